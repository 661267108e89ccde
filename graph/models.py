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


class RelType(StrEnum):
    WORKS_AT = "WORKS_AT"
    REPORTS_TO = "REPORTS_TO"
    INFLUENCES = "INFLUENCES"
    DEFERS_TO = "DEFERS_TO"
    ALLIED_WITH = "ALLIED_WITH"
    OPPOSES = "OPPOSES"
    INTERACTS_WITH = "INTERACTS_WITH"


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
