"""zkgov.cli."""
