"""The political map: the graph port, its Cypher, its backends and the projector."""
