"""Helpers for testing circuits and contracts, importable from users' own test suites."""

from zkgov.testing.verifier_double import verifier_double_source
from zkgov.testing.witness_tester import WitnessTester

__all__ = ["WitnessTester", "verifier_double_source"]
