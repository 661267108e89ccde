"""Build the configured GraphStore."""

from __future__ import annotations

from graph.endpoint import GraphBackend, GraphEndpoint
from graph.falkordb_store import FalkorDBStore
from graph.neo4j_store import Neo4jStore
from graph.port import GraphStore


def open_graph_store(
    endpoint: GraphEndpoint, graph_name: str, timeout_seconds: float = 10.0
) -> GraphStore:
    password = endpoint.password.get_secret_value() if endpoint.password else None
    if endpoint.backend is GraphBackend.FALKORDB:
        return FalkorDBStore(
            endpoint.host,
            endpoint.port,
            graph_name,
            password=password,
            timeout_seconds=timeout_seconds,
        )
    assert endpoint.username is not None and password is not None
    return Neo4jStore(
        endpoint.url, endpoint.username, password, graph_name, timeout_seconds=timeout_seconds
    )
