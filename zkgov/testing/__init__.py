"""Helpers for testing circuits, importable from users' own test suites."""

from zkgov.testing.witness_tester import WitnessTester

__all__ = ["WitnessTester"]
