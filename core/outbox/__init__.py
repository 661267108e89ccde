"""The transactional outbox: changes written with the data, applied later by projectors."""
