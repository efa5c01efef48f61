"""zkgov.rights."""
