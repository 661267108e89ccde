"""Graph vocabulary and the rows the port writes.

Labels and relationship types come from these closed enums only; Cypher text is built
from them at import time, never from user input.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Dialect(StrEnum):
    FALKORDB = "falkordb"
    NEO4J = "neo4j"


class NodeLabel(StrEnum):
    ACCOUNT = "Account"
    STAKEHOLDER = "Stakeholder"
    OUR_PERSON = "OurPerson"


class RelType(StrEnum):
    WORKS_AT = "WORKS_AT"
    REPORTS_TO = "REPORTS_TO"
    INFLUENCES = "INFLUENCES"
    DEFERS_TO = "DEFERS_TO"
    ALLIED_WITH = "ALLIED_WITH"
    OPPOSES = "OPPOSES"
    INTERACTS_WITH = "INTERACTS_WITH"


# Person-to-person edges of a customer's political map.
MAP_RELATIONS = (
    RelType.REPORTS_TO,
    RelType.DEFERS_TO,
    RelType.INFLUENCES,
    RelType.ALLIED_WITH,
    RelType.OPPOSES,
)
# Edges a path between customer people may use (opposition is not a way through).
PATH_RELATIONS = (RelType.REPORTS_TO, RelType.DEFERS_TO, RelType.INFLUENCES, RelType.ALLIED_WITH)


GraphValue = str | int | float | bool | None | list[str] | list[int] | list[float]


@dataclass(frozen=True)
class AccountNode:
    id: UUID
    properties: dict[str, GraphValue]


@dataclass(frozen=True)
class StakeholderNode:
    id: UUID
    account_id: UUID
    properties: dict[str, GraphValue]


@dataclass(frozen=True)
class OurPersonNode:
    id: UUID
    properties: dict[str, GraphValue]


@dataclass(frozen=True)
class EdgeRow:
    """An edge to write: `id` is the record's id in Postgres (shared across stores)."""

    id: UUID
    type: RelType
    source: UUID
    target: UUID
    properties: dict[str, GraphValue]
