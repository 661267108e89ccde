"""The rule-based extractor: deterministic, offline, for common English sales talk."""
