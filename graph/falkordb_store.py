"""GraphStore on FalkorDB over its native (Redis) protocol.

Never over FalkorDB's Bolt port: it crashed on large UNWIND parameters and does not roll
back transactions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import redis
from falkordb import Graph, Node
from redis.backoff import NoBackoff
from redis.retry import Retry
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from graph.errors import (
    GraphConstraintViolation,
    GraphQueryError,
    GraphServerMismatch,
    GraphUnavailable,
)
from graph.models import Dialect
from graph.queries import (
    FALKORDB_LIST_CONSTRAINTS,
    FALKORDB_LIST_INDEXES,
    PING,
    SCHEMA,
    Statement,
)


class FalkorDBStore:
    """A FalkorDB graph named `graph_name` on `host:port`."""

    dialect = Dialect.FALKORDB

    def __init__(
        self,
        host: str,
        port: int,
        graph_name: str,
        *,
        password: str | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        # A plain Redis connection rather than falkordb.FalkorDB(), whose constructor
        # queries the server (INFO) and so could not be built while the graph is down.
        # Connections are made lazily; retries are ours (tenacity below), not redis-py's.
        self._client = redis.Redis(
            host=host,
            port=port,
            password=password,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=min(timeout_seconds, 5.0),
            decode_responses=True,
            retry=Retry(NoBackoff(), 0),
        )
        self.graph_name = graph_name
        self._where = f"{host}:{port}"
        self._graph = Graph(self._client, graph_name)
        self._timeout_ms = int(timeout_seconds * 1000)

    # Statements are idempotent (MERGE by id), so a call whose connection broke can be
    # sent again; a longer outage is the projector's to wait out.
    @retry(
        retry=retry_if_exception_type(GraphUnavailable),
        stop=stop_after_attempt(3),
        wait=wait_exponential(multiplier=0.1, max=1.0),
        reraise=True,
    )
    def run(self, statement: Statement, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        statement.check_parameters(parameters)
        return self._send(statement, parameters)

    def _send(self, statement: Statement, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        send = self._graph.ro_query if statement.read_only else self._graph.query
        try:
            result = send(statement.text(self.dialect), dict(parameters), timeout=self._timeout_ms)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise GraphUnavailable(f"FalkorDB unreachable: {exc}") from exc
        except redis.ResponseError as exc:
            if statement.read_only and "empty key" in str(exc):
                # GRAPH.RO_QUERY refuses a graph that does not exist yet; a read of a
                # graph nobody has written to simply finds nothing.
                return self._send(replace(statement, read_only=False), parameters)
            if "unknown command" in str(exc).lower():
                raise GraphServerMismatch(
                    f"the server at {self._where} answers but is not FalkorDB ({exc}): "
                    "a Redis without the FalkorDB module?"
                ) from exc
            raise _query_error(statement, exc) from exc
        columns = [column[1] for column in result.header]
        return [
            {name: _plain(value) for name, value in zip(columns, row, strict=True)}
            for row in result.result_set
        ]

    def ensure_schema(self) -> None:
        existing = {
            (row["label"], prop)
            for row in self.run(FALKORDB_LIST_INDEXES, {})
            for prop in row["properties"]
        }
        for element in SCHEMA:
            if (str(element.label), element.key) not in existing:
                self.run(element.falkordb_index_statement(), {})
        constraints = {
            (row["label"], tuple(row["properties"])): row["status"]
            for row in self.run(FALKORDB_LIST_CONSTRAINTS, {})
            if row["type"] == "UNIQUE"
        }
        for element in SCHEMA:
            key = (str(element.label), (element.key,))
            if element.unique and key not in constraints:
                self._create_constraint(element.falkordb_constraint_command(self.graph_name))
            elif element.unique and constraints[key] == "FAILED":
                raise GraphQueryError(
                    f"unique constraint on {element.label}.{element.key} failed: the graph "
                    "holds duplicate ids; rebuild it from Postgres (graph rebuild)"
                )

    def _create_constraint(self, command: list[str]) -> None:
        try:
            self._client.execute_command(*command)
        except redis.ResponseError as exc:
            if "already exists" not in str(exc):
                raise GraphQueryError(f"FalkorDB refused {' '.join(command)}: {exc}") from exc
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise GraphUnavailable(f"FalkorDB unreachable: {exc}") from exc

    def ping(self) -> None:
        self._send(PING, {})

    def delete_graph(self) -> None:
        """Drop the whole graph (all workspaces in it). For tests and tooling."""
        try:
            self._graph.delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc).lower() and "invalid graph" not in str(exc).lower():
                raise GraphQueryError(f"could not delete graph {self.graph_name}: {exc}") from exc

    def close(self) -> None:
        self._client.close()


def _query_error(statement: Statement, exc: redis.ResponseError) -> GraphQueryError:
    message = str(exc)
    if "unique constraint" in message.lower():
        return GraphConstraintViolation(f"{statement.name}: {message}")
    return GraphQueryError(f"{statement.name}: {message}")


def _plain(value: Any) -> Any:
    if isinstance(value, Node):
        return dict(value.properties)
    return value
