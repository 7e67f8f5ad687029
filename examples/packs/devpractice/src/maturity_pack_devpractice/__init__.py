"""Example third-party pack: software-delivery practices (no standard)."""
