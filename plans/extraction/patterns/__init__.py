"""Patterns over the document's clause frames: roles, ties and outcomes, each with a stable id."""
