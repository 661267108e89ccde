"""Graph errors, translated from falkordb / redis / neo4j exceptions at the backend edge."""

from __future__ import annotations

from core.errors import AppError, GraphUnavailable


class GraphQueryError(AppError):
    """The graph rejected a statement (a bug or a constraint violation), not an outage."""

    status_code = 500
    code = "graph_query_error"


class GraphConstraintViolation(GraphQueryError):
    status_code = 409
    code = "graph_constraint_violation"


class GraphServerMismatch(GraphQueryError):
    """The server answers but is not the graph database it was taken for (a Redis without
    the FalkorDB module): every statement would be rejected."""

    code = "graph_server_mismatch"


__all__ = ["GraphConstraintViolation", "GraphQueryError", "GraphServerMismatch", "GraphUnavailable"]
