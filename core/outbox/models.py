"""Outbox domain types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class Operation(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"


class EntityType(StrEnum):
    ACCOUNT = "account"
    STAKEHOLDER = "stakeholder"
    OPPORTUNITY = "opportunity"
    ACCOUNT_PLAN = "account_plan"
    ACCOUNT_SCORES = "account_scores"  # recompute the account's scores
    ACCOUNT_GRAPH = "account_graph"  # re-project the account's political map


@dataclass(frozen=True)
class Change:
    """A change to enqueue: which record, what happened, which fields."""

    workspace_id: UUID
    entity_type: EntityType
    entity_id: UUID
    operation: Operation = Operation.UPSERT
    changed_fields: list[str] = field(default_factory=list)
    origin: str = "api"
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PendingChange:
    id: int
    workspace_id: UUID
    consumer: str
    entity_type: EntityType
    entity_id: UUID
    operation: Operation
    changed_fields: list[str]
    origin: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class Backlog:
    consumer: str
    pending: int
    failing: int
    oldest_pending_at: datetime | None
    last_processed_at: datetime | None
    last_error: str | None
