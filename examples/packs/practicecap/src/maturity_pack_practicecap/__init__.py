"""Example third-party pack: a practice capability model (no standard)."""
