"""Neo4j cannot run here; its Cypher is checked by Neo4j's parser (test_neo4j_cypher).
This checks the adapter's own logic against a stand-in driver: routing, database,
parameters, timeouts, and error translation."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Query, RoutingControl
from neo4j import exceptions as neo4j_errors

from graph import queries
from graph.errors import GraphConstraintViolation, GraphQueryError, GraphUnavailable
from graph.neo4j_store import Neo4jStore


class StandInDriver:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.error = error

    def execute_query(self, query: Query, parameters: dict[str, Any], **options: Any) -> Any:
        self.calls.append({"query": query, "parameters": parameters, **options})
        if self.error is not None:
            raise self.error
        return ([], None, [])

    def close(self) -> None:
        pass


def store(driver: StandInDriver) -> Neo4jStore:
    return Neo4jStore("neo4j://x", "u", "p", "sales", timeout_seconds=7, driver=driver)  # type: ignore[arg-type]


def test_reads_and_writes_are_routed_to_the_configured_database() -> None:
    driver = StandInDriver()
    neo = store(driver)
    neo.run(queries.LIST_ACCOUNTS, {"workspace_id": "w"})
    neo.run(queries.DELETE_ACCOUNTS, {"workspace_id": "w", "ids": ["a"]})
    read, write = driver.calls
    assert read["routing_"] is RoutingControl.READ and write["routing_"] is RoutingControl.WRITE
    assert read["database_"] == write["database_"] == "sales"
    assert read["query"].timeout == 7
    assert read["query"].text == queries.LIST_ACCOUNTS.text(neo.dialect)
    assert write["parameters"] == {"workspace_id": "w", "ids": ["a"]}


def test_schema_uses_the_neo4j_dialect() -> None:
    driver = StandInDriver()
    store(driver).ensure_schema()
    texts = [call["query"].text for call in driver.calls]
    assert texts and all("IF NOT EXISTS" in text for text in texts)


@pytest.mark.parametrize(
    ("error", "translated"),
    [
        (neo4j_errors.ServiceUnavailable("down"), GraphUnavailable),
        (neo4j_errors.SessionExpired("gone"), GraphUnavailable),
        (neo4j_errors.ConstraintError("dup"), GraphConstraintViolation),
        (neo4j_errors.CypherSyntaxError("bad"), GraphQueryError),
    ],
)
def test_driver_errors_are_translated(error: Exception, translated: type[Exception]) -> None:
    with pytest.raises(translated):
        store(StandInDriver(error)).run(queries.PING, {})
