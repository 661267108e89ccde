"""GraphStore on Neo4j 5 through the official driver, with managed transactions.

`Driver.execute_query` runs each statement in a managed transaction (retried by the
driver on transient errors) against the configured database, routed to readers or
writers by `Statement.read_only`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import neo4j
from neo4j import GraphDatabase, Query, RoutingControl
from neo4j import exceptions as neo4j_errors

from graph.errors import GraphConstraintViolation, GraphQueryError, GraphUnavailable
from graph.models import Dialect
from graph.queries import PING, SCHEMA, Statement


class Neo4jStore:
    dialect = Dialect.NEO4J

    def __init__(
        self,
        uri: str,
        username: str,
        password: str,
        database: str,
        *,
        timeout_seconds: float = 10.0,
        driver: neo4j.Driver | None = None,
    ) -> None:
        self._driver = driver or GraphDatabase.driver(
            uri,
            auth=(username, password),
            connection_timeout=min(timeout_seconds, 5.0),
            max_transaction_retry_time=timeout_seconds,
        )
        self.database = database
        self._timeout_seconds = timeout_seconds

    def run(self, statement: Statement, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        statement.check_parameters(parameters)
        routing = RoutingControl.READ if statement.read_only else RoutingControl.WRITE
        query = Query(statement.text(self.dialect), timeout=self._timeout_seconds)
        try:
            records, _summary, _keys = self._driver.execute_query(
                query, dict(parameters), database_=self.database, routing_=routing
            )
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise GraphUnavailable(f"Neo4j unreachable: {exc}") from exc
        except neo4j_errors.ConstraintError as exc:
            raise GraphConstraintViolation(f"{statement.name}: {exc.message}") from exc
        except neo4j_errors.Neo4jError as exc:
            raise GraphQueryError(f"{statement.name}: {exc.message}") from exc
        except neo4j_errors.DriverError as exc:
            raise GraphUnavailable(f"Neo4j driver error: {exc}") from exc
        return [{key: _plain(value) for key, value in record.items()} for record in records]

    def ensure_schema(self) -> None:
        for element in SCHEMA:
            self.run(element.neo4j_statement(), {})

    def ping(self) -> None:
        self.run(PING, {})

    def close(self) -> None:
        self._driver.close()


def _plain(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Node):
        return dict(value.items())
    return value
