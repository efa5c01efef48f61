"""zkgov.crypto."""
