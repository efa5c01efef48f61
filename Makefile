# zkgov — one entry point for set-up, the demo, tests and benchmarks.
# Every target does the set-up it needs, idempotently (stamps under .stamps/).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMPS := .stamps

.PHONY: setup demo test test-native test-slow test-all bench bench-all bench-pytest doctor typecheck clean

setup: $(STAMPS)/python $(STAMPS)/node

NATIVE_SRC := native/Cargo.toml native/Cargo.lock $(wildcard native/src/*.rs)

# pip builds the Rust core (release profile, cached in native/target) through maturin.
$(STAMPS)/python: pyproject.toml $(NATIVE_SRC)
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

$(STAMPS)/node: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: setup
	$(VENV)/bin/zkgov demo

test: setup
	$(PY) -m pytest -m "not slow"

test-native:
	cargo test --release --manifest-path native/Cargo.toml

test-slow: setup
	$(PY) -m pytest -m slow

test-all: setup
	$(PY) -m pytest

typecheck: setup
	$(PY) -m mypy
	$(PY) -m mypy.stubtest zkgov._native

# The quick set; the last run is kept as build/bench/previous.json and compared (ratios, noise).
# More: make bench BENCH_ARGS="--repeats 9" (any `zkgov bench` option).
bench: setup
	@mkdir -p build/bench && if [ -f build/bench/bench.json ]; then cp build/bench/bench.json build/bench/previous.json; fi
	$(VENV)/bin/zkgov bench --out build/bench $$([ -f build/bench/previous.json ] && echo --compare build/bench/previous.json --no-fail) $(BENCH_ARGS)

bench-all: setup
	$(VENV)/bin/zkgov bench --set all --out build/bench-all

bench-pytest: setup
	@mkdir -p build/bench
	$(PY) -m pytest benchmarks --benchmark-only --benchmark-json=build/bench/pytest-benchmark.json

doctor: setup
	$(VENV)/bin/zkgov doctor

clean:
	rm -rf $(STAMPS) $(VENV) node_modules build *.egg-info
