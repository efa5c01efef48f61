"""zkgov.insurance."""
