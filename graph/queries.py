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
from graph.models import MAP_RELATIONS, PATH_RELATIONS, Dialect, NodeLabel, RelType


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


OUR_PERSON = NodeLabel.OUR_PERSON

SCHEMA: tuple[SchemaElement, ...] = (
    SchemaElement(ACCOUNT, "id", unique=True),
    SchemaElement(STAKEHOLDER, "id", unique=True),
    SchemaElement(OUR_PERSON, "id", unique=True),
    SchemaElement(ACCOUNT, "workspace_id", unique=False),
    SchemaElement(STAKEHOLDER, "workspace_id", unique=False),
    SchemaElement(STAKEHOLDER, "account_id", unique=False),
    SchemaElement(OUR_PERSON, "workspace_id", unique=False),
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

# --- the political map of one account -------------------------------------------------
# Edges carry the id of their Postgres record, the account's id, a weight in [0, 1] and
# a cost = -ln(weight), so the strongest path (largest product of weights) is the
# cheapest one.

UPSERT_OUR_PEOPLE = _statement(
    "upsert_our_people",
    f"""
    UNWIND $rows AS row
    MERGE (o:{OUR_PERSON} {{id: row.id}})
    ON CREATE SET o.workspace_id = $workspace_id
    WITH o, row WHERE o.workspace_id = $workspace_id
    SET o += row.properties
    RETURN count(o) AS written
    """,
    "rows",
    "workspace_id",
)


def _upsert_edges(rel: RelType, source_label: NodeLabel) -> Statement:
    return _statement(
        f"upsert_{rel.lower()}_edges",
        f"""
        UNWIND $rows AS row
        MATCH (a:{source_label} {{id: row.source}})
        WHERE a.workspace_id = $workspace_id
        MATCH (b:{STAKEHOLDER} {{id: row.target}})
        WHERE b.workspace_id = $workspace_id
        MERGE (a)-[r:{rel} {{id: row.id}}]->(b)
        SET r += row.properties
        RETURN count(r) AS written
        """,
        "rows",
        "workspace_id",
    )


UPSERT_EDGES: dict[RelType, Statement] = {
    **{rel: _upsert_edges(rel, STAKEHOLDER) for rel in MAP_RELATIONS},
    RelType.INTERACTS_WITH: _upsert_edges(RelType.INTERACTS_WITH, OUR_PERSON),
}

DELETE_STALE_ACCOUNT_EDGES = _statement(
    "delete_stale_account_edges",
    f"""
    MATCH (a)-[r]->(b:{STAKEHOLDER})
    WHERE b.workspace_id = $workspace_id AND r.account_id = $account_id AND NOT r.id IN $keep
    DELETE r
    """,
    "workspace_id",
    "account_id",
    "keep",
)

ACCOUNT_NODES = _statement(
    "account_nodes",
    f"""
    MATCH (s:{STAKEHOLDER})
    WHERE s.workspace_id = $workspace_id AND s.account_id = $account_id
    RETURN properties(s) AS node
    ORDER BY s.id
    """,
    "workspace_id",
    "account_id",
    read_only=True,
)

ACCOUNT_EDGES = _statement(
    "account_edges",
    f"""
    MATCH (a)-[r]->(b:{STAKEHOLDER})
    WHERE b.workspace_id = $workspace_id AND r.account_id = $account_id
    RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS edge
    ORDER BY r.id
    """,
    "workspace_id",
    "account_id",
    read_only=True,
)

ACCOUNT_OUR_PEOPLE = _statement(
    "account_our_people",
    f"""
    MATCH (o:{OUR_PERSON})-[r:{RelType.INTERACTS_WITH}]->(s:{STAKEHOLDER})
    WHERE s.workspace_id = $workspace_id AND o.workspace_id = $workspace_id
      AND r.account_id = $account_id
    RETURN DISTINCT o.id AS id, o.name AS name, o.email AS email, o.title AS title
    """,
    "workspace_id",
    "account_id",
    read_only=True,
)

_PATH_TYPES = "|".join(str(rel) for rel in PATH_RELATIONS)
_PATH_TYPE_LIST = ", ".join(f"'{rel}'" for rel in PATH_RELATIONS)
MAX_PATH_HOPS = 6

_PATH_ENDS = f"""
    MATCH (a:{STAKEHOLDER} {{id: $source}}), (b:{STAKEHOLDER} {{id: $target}})
    WHERE a.workspace_id = $workspace_id AND b.workspace_id = $workspace_id
      AND a.account_id = $account_id AND b.account_id = $account_id
"""

# Fewest hops between two people. Neo4j: shortestPath in MATCH, undirected. FalkorDB has
# no undirected shortestPath, so its path procedure is used with both directions.
SHORTEST_PATH = _statement(
    "shortest_path",
    "",
    "workspace_id",
    "account_id",
    "source",
    "target",
    read_only=True,
    neo4j=" ".join(
        f"""{_PATH_ENDS}
        MATCH p = shortestPath((a)-[:{_PATH_TYPES}*..{MAX_PATH_HOPS}]-(b))
        RETURN [n IN nodes(p) | n.id] AS ids, [r IN relationships(p) | r.weight] AS weights
        """.split()
    ),
    falkordb=" ".join(
        f"""{_PATH_ENDS}
        CALL algo.SPpaths({{sourceNode: a, targetNode: b, relTypes: [{_PATH_TYPE_LIST}],
            relDirection: 'both', maxLen: {MAX_PATH_HOPS}, pathCount: 1}}) YIELD path
        RETURN [n IN nodes(path) | n.id] AS ids, [r IN relationships(path) | r.weight] AS weights
        """.split()
    ),
)

# Largest product of edge strengths = smallest sum of costs. Neo4j (community, no GDS):
# bounded enumeration ordered by cost. FalkorDB: its weighted path procedure.
STRONGEST_PATH = _statement(
    "strongest_path",
    "",
    "workspace_id",
    "account_id",
    "source",
    "target",
    read_only=True,
    neo4j=" ".join(
        f"""{_PATH_ENDS}
        MATCH p = (a)-[:{_PATH_TYPES}*1..{MAX_PATH_HOPS}]-(b)
        WITH p, reduce(total = 0.0, r IN relationships(p) | total + r.cost) AS cost
        ORDER BY cost ASC LIMIT 1
        RETURN [n IN nodes(p) | n.id] AS ids, [r IN relationships(p) | r.weight] AS weights
        """.split()
    ),
    falkordb=" ".join(
        f"""{_PATH_ENDS}
        CALL algo.SPpaths({{sourceNode: a, targetNode: b, relTypes: [{_PATH_TYPE_LIST}],
            relDirection: 'both', maxLen: {MAX_PATH_HOPS}, weightProp: 'cost', pathCount: 1}})
            YIELD path
        RETURN [n IN nodes(path) | n.id] AS ids, [r IN relationships(path) | r.weight] AS weights
        """.split()
    ),
)

# The strongest way from `target` to everyone in the account it can reach (for warm
# introductions: combined with how strongly each of our people knows each of them).
# FalkorDB's pathCount counts paths in total, cheapest first, so $limit must allow several
# per person; the caller keeps the first (cheapest) path to each.
STRONGEST_FROM = _statement(
    "strongest_from",
    "",
    "workspace_id",
    "account_id",
    "target",
    "limit",
    read_only=True,
    neo4j=" ".join(
        f"""
        MATCH (t:{STAKEHOLDER} {{id: $target}})
        WHERE t.workspace_id = $workspace_id AND t.account_id = $account_id
        MATCH p = (t)-[:{_PATH_TYPES}*1..{MAX_PATH_HOPS}]-(s:{STAKEHOLDER})
        WHERE s.account_id = $account_id AND s <> t
        WITH s, p, reduce(total = 0.0, r IN relationships(p) | total + r.cost) AS cost
        ORDER BY cost ASC
        WITH s, collect(p)[0] AS best
        RETURN [n IN nodes(best) | n.id] AS ids, [r IN relationships(best) | r.weight] AS weights
        LIMIT $limit
        """.split()
    ),
    falkordb=" ".join(
        f"""
        MATCH (t:{STAKEHOLDER} {{id: $target}})
        WHERE t.workspace_id = $workspace_id AND t.account_id = $account_id
        CALL algo.SSpaths({{sourceNode: t, relTypes: [{_PATH_TYPE_LIST}], relDirection: 'both',
            maxLen: {MAX_PATH_HOPS}, weightProp: 'cost', pathCount: $limit}}) YIELD path
        RETURN [n IN nodes(path) | n.id] AS ids, [r IN relationships(path) | r.weight] AS weights
        """.split()
    ),
)

MAX_BLOCKER_HOPS = 4
BLOCKERS_NEAR_DECIDERS = _statement(
    "blockers_near_deciders",
    f"""
    MATCH (dm:{STAKEHOLDER}), (blocker:{STAKEHOLDER})
    WHERE dm.workspace_id = $workspace_id AND dm.account_id = $account_id
      AND blocker.workspace_id = $workspace_id AND blocker.account_id = $account_id
      AND any(role IN dm.roles WHERE role IN ['decision_maker', 'economic_buyer'])
      AND 'blocker' IN blocker.roles AND dm.id <> blocker.id
    MATCH p = (dm)-[:{"|".join(str(r) for r in MAP_RELATIONS)}*1..{MAX_BLOCKER_HOPS}]-(blocker)
    WITH dm, blocker, min(length(p)) AS hops
    WHERE hops <= $hops
    RETURN dm.id AS decision_maker, blocker.id AS blocker, hops
    ORDER BY hops, decision_maker, blocker
    """,
    "workspace_id",
    "account_id",
    "hops",
    read_only=True,
)

# Who could neutralise a blocker: people who influence them or are allied with them,
# people they report or defer to, and our people who know them.
NEUTRALISERS = _statement(
    "neutralisers",
    f"""
    UNWIND $blockers AS blocker_id
    MATCH (b:{STAKEHOLDER} {{id: blocker_id}})
    WHERE b.workspace_id = $workspace_id
    MATCH (n)-[r]-(b)
    WHERE n.workspace_id = $workspace_id AND n.id <> b.id
      AND NOT 'blocker' IN coalesce(n.roles, [])
      AND (
        type(r) IN ['{RelType.ALLIED_WITH}', '{RelType.INTERACTS_WITH}']
        OR (type(r) = '{RelType.INFLUENCES}' AND startNode(r) = n)
        OR (type(r) IN ['{RelType.REPORTS_TO}', '{RelType.DEFERS_TO}'] AND startNode(r) = b)
      )
    RETURN blocker_id AS blocker, n.id AS id, type(r) AS via, r.weight AS weight
    ORDER BY blocker, weight DESC
    """,
    "workspace_id",
    "blockers",
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
