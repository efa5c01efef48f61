"""zkgov.snark.formats."""
