"""zkgov.testing."""
