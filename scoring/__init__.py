"""Pure scoring functions: decision power, influence, relationship strength, with evidence."""
