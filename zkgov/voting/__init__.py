"""zkgov.voting."""
