"""zkgov.identity."""
