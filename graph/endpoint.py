"""Where the graph lives: a parsed `GRAPH_URL` names the backend and how to reach it."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, SecretStr

GRAPH_SCHEMES = ("falkordb", "neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


class GraphBackend(StrEnum):
    FALKORDB = "falkordb"
    NEO4J = "neo4j"


class GraphEndpoint(BaseModel):
    """A parsed `GRAPH_URL`."""

    backend: GraphBackend
    url: str
    host: str
    port: int
    username: str | None = None
    password: SecretStr | None = None


def parse_graph_url(value: str) -> GraphEndpoint:
    parts = urlsplit(value)
    if parts.scheme not in GRAPH_SCHEMES:
        raise ValueError(
            f"must start with one of {', '.join(s + '://' for s in GRAPH_SCHEMES)}"
            f" (got scheme {parts.scheme!r})"
        )
    if not parts.hostname:
        raise ValueError("names no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"has an invalid port: {exc}") from None
    if parts.scheme == "falkordb":
        return GraphEndpoint(
            backend=GraphBackend.FALKORDB,
            url=value,
            host=parts.hostname,
            port=port or 6379,
            password=SecretStr(unquote(parts.password)) if parts.password else None,
        )
    if not parts.username or parts.password is None:
        raise ValueError("needs a user and password for Neo4j (neo4j://user:password@host:7687)")
    return GraphEndpoint(
        backend=GraphBackend.NEO4J,
        url=f"{parts.scheme}://{parts.hostname}:{port or 7687}",
        host=parts.hostname,
        port=port or 7687,
        username=unquote(parts.username),
        password=SecretStr(unquote(parts.password)),
    )
