"""Every Cypher statement the service sends, shared by the FalkorDB and Neo4j backends.

Rules that hold for every statement here:
- values are parameters, never formatted into the text;
- labels and relationship types come from the closed enums in `graph.models`;
- every statement that touches data is scoped by `$workspace_id`, so a workspace can
  neither see nor change another's nodes;
- where the two dialects differ, the `neo4j=` / `falkordb=` text sits right here, next
  to the shared one.

`all_statements()` lists them all; the test suite runs every Neo4j-bound text through
Neo4j's own parser.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graph.errors import GraphQueryError
from graph.models import Dialect, NodeLabel, RelType


@dataclass(frozen=True)
class Statement:
    """One Cypher statement with the parameters it takes.

    `read_only` statements are routed to readers (Neo4j) or sent with GRAPH.RO_QUERY
    (FalkorDB).
    """

    name: str
    cypher: str
    parameters: frozenset[str]
    read_only: bool = False
    neo4j: str | None = None
    falkordb: str | None = None

    def text(self, dialect: Dialect) -> str:
        override = self.neo4j if dialect is Dialect.NEO4J else self.falkordb
        return override if override is not None else self.cypher

    def check_parameters(self, parameters: Mapping[str, Any]) -> None:
        """Raise `GraphQueryError` unless exactly the declared parameters are given."""
        given = frozenset(parameters)
        if given != self.parameters:
            missing = sorted(self.parameters - given)
            extra = sorted(given - self.parameters)
            raise GraphQueryError(
                f"statement {self.name}: missing parameters {missing}, unexpected {extra}"
            )


def _statement(name: str, cypher: str, *parameters: str, **options: Any) -> Statement:
    return Statement(name, " ".join(cypher.split()), frozenset(parameters), **options)


ACCOUNT = NodeLabel.ACCOUNT
STAKEHOLDER = NodeLabel.STAKEHOLDER

# --- schema -----------------------------------------------------------------------
# Neo4j: Cypher DDL with IF NOT EXISTS (idempotent by itself).
# FalkorDB: an exact-match index in Cypher (checked against db.indexes() first, since
# FalkorDB has no IF NOT EXISTS), then the unique constraint through the
# GRAPH.CONSTRAINT command, which needs that index to exist.


@dataclass(frozen=True)
class SchemaElement:
    label: NodeLabel
    key: str
    unique: bool

    @property
    def name(self) -> str:
        kind = "unique" if self.unique else "index"
        return f"{self.label.lower()}_{self.key}_{kind}"

    def neo4j_statement(self) -> Statement:
        if self.unique:
            cypher = (
                f"CREATE CONSTRAINT {self.name} IF NOT EXISTS "
                f"FOR (n:{self.label}) REQUIRE n.{self.key} IS UNIQUE"
            )
        else:
            cypher = (
                f"CREATE INDEX {self.name} IF NOT EXISTS FOR (n:{self.label}) ON (n.{self.key})"
            )
        return _statement(f"schema_{self.name}", cypher)

    def falkordb_index_statement(self) -> Statement:
        return _statement(
            f"schema_{self.name}", f"CREATE INDEX FOR (n:{self.label}) ON (n.{self.key})"
        )

    def falkordb_constraint_command(self, graph_name: str) -> list[str]:
        return [
            "GRAPH.CONSTRAINT",
            "CREATE",
            graph_name,
            "UNIQUE",
            "NODE",
            str(self.label),
            "PROPERTIES",
            "1",
            self.key,
        ]


SCHEMA: tuple[SchemaElement, ...] = (
    SchemaElement(ACCOUNT, "id", unique=True),
    SchemaElement(STAKEHOLDER, "id", unique=True),
    SchemaElement(ACCOUNT, "workspace_id", unique=False),
    SchemaElement(STAKEHOLDER, "workspace_id", unique=False),
)

FALKORDB_LIST_INDEXES = _statement(
    "falkordb_list_indexes",
    "CALL db.indexes() YIELD label, properties RETURN label, properties",
    read_only=True,
)

FALKORDB_LIST_CONSTRAINTS = _statement(
    "falkordb_list_constraints",
    "CALL db.constraints() YIELD type, label, properties, status "
    "RETURN type, label, properties, status",
    read_only=True,
)

# --- health -------------------------------------------------------------------------

PING = _statement("ping", "RETURN 1 AS ok", read_only=True)

# --- accounts -----------------------------------------------------------------------
# MERGE by id alone (ids are UUIDs shared with Postgres); a node that already exists in
# another workspace is filtered out by the WHERE and not written, and the caller sees a
# short count.

UPSERT_ACCOUNTS = _statement(
    "upsert_accounts",
    f"""
    UNWIND $rows AS row
    MERGE (a:{ACCOUNT} {{id: row.id}})
    ON CREATE SET a.workspace_id = $workspace_id
    WITH a, row WHERE a.workspace_id = $workspace_id
    SET a += row.properties
    RETURN count(a) AS written
    """,
    "rows",
    "workspace_id",
)

DELETE_ACCOUNTS = _statement(
    "delete_accounts",
    f"""
    UNWIND $ids AS id
    MATCH (a:{ACCOUNT} {{id: id}})
    WHERE a.workspace_id = $workspace_id
    DETACH DELETE a
    """,
    "ids",
    "workspace_id",
)

GET_ACCOUNT = _statement(
    "get_account",
    f"""
    MATCH (a:{ACCOUNT} {{id: $id}})
    WHERE a.workspace_id = $workspace_id
    RETURN properties(a) AS account
    """,
    "id",
    "workspace_id",
    read_only=True,
)

LIST_ACCOUNTS = _statement(
    "list_accounts",
    f"""
    MATCH (a:{ACCOUNT})
    WHERE a.workspace_id = $workspace_id
    RETURN properties(a) AS account
    ORDER BY a.id
    """,
    "workspace_id",
    read_only=True,
)

# --- stakeholders -------------------------------------------------------------------

UPSERT_STAKEHOLDERS = _statement(
    "upsert_stakeholders",
    f"""
    UNWIND $rows AS row
    MERGE (s:{STAKEHOLDER} {{id: row.id}})
    ON CREATE SET s.workspace_id = $workspace_id
    WITH s, row WHERE s.workspace_id = $workspace_id
    SET s += row.properties
    WITH s, row
    MERGE (a:{ACCOUNT} {{id: row.account_id}})
    ON CREATE SET a.workspace_id = $workspace_id
    WITH s, a WHERE a.workspace_id = $workspace_id
    MERGE (s)-[:{RelType.WORKS_AT}]->(a)
    RETURN count(s) AS written
    """,
    "rows",
    "workspace_id",
)

# A stakeholder who moved to another account keeps one WORKS_AT edge: the current one.
DETACH_STAKEHOLDERS_FROM_OTHER_ACCOUNTS = _statement(
    "detach_stakeholders_from_other_accounts",
    f"""
    UNWIND $rows AS row
    MATCH (s:{STAKEHOLDER} {{id: row.id}})-[w:{RelType.WORKS_AT}]->(a:{ACCOUNT})
    WHERE s.workspace_id = $workspace_id AND a.id <> row.account_id
    DELETE w
    """,
    "rows",
    "workspace_id",
)

DELETE_STAKEHOLDERS = _statement(
    "delete_stakeholders",
    f"""
    UNWIND $ids AS id
    MATCH (s:{STAKEHOLDER} {{id: id}})
    WHERE s.workspace_id = $workspace_id
    DETACH DELETE s
    """,
    "ids",
    "workspace_id",
)

LIST_STAKEHOLDERS = _statement(
    "list_stakeholders",
    f"""
    MATCH (s:{STAKEHOLDER})-[:{RelType.WORKS_AT}]->(a:{ACCOUNT})
    WHERE s.workspace_id = $workspace_id AND a.workspace_id = $workspace_id
    RETURN properties(s) AS stakeholder, a.id AS account_id
    ORDER BY s.id
    """,
    "workspace_id",
    read_only=True,
)

# --- whole workspace ----------------------------------------------------------------


COUNT_NODES: dict[NodeLabel, Statement] = {
    label: _statement(
        f"count_{label.lower()}_nodes",
        f"MATCH (n:{label}) WHERE n.workspace_id = $workspace_id RETURN count(n) AS nodes",
        "workspace_id",
        read_only=True,
    )
    for label in NodeLabel
}

DELETE_WORKSPACE_NODES: dict[NodeLabel, Statement] = {
    label: _statement(
        f"delete_workspace_{label.lower()}_nodes",
        f"MATCH (n:{label}) WHERE n.workspace_id = $workspace_id DETACH DELETE n",
        "workspace_id",
    )
    for label in NodeLabel
}


FALKORDB_ONLY = (FALKORDB_LIST_INDEXES, FALKORDB_LIST_CONSTRAINTS)


def all_statements(dialect: Dialect) -> Iterator[Statement]:
    """Every statement a backend of `dialect` can send, schema included.

    Collected from this module's globals so a new statement cannot be left out of the
    Cypher parser test.
    """
    for value in list(globals().values()):
        if isinstance(value, Statement) and value not in FALKORDB_ONLY:
            yield value
        elif isinstance(value, dict):
            yield from (item for item in value.values() if isinstance(item, Statement))
    if dialect is Dialect.NEO4J:
        yield from (element.neo4j_statement() for element in SCHEMA)
    else:
        yield from FALKORDB_ONLY
        yield from (element.falkordb_index_statement() for element in SCHEMA)
