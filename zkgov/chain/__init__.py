"""zkgov.chain."""
