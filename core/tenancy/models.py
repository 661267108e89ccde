"""Tenancy domain types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class Scope(StrEnum):
    """What a key may do. Each scope includes the ones below it: admin > write > read."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


SCOPE_RANK = {Scope.READ: 0, Scope.WRITE: 1, Scope.ADMIN: 2}


@dataclass(frozen=True)
class Workspace:
    id: UUID
    name: str
    created_at: datetime


@dataclass(frozen=True)
class Principal:
    """Who is calling: one API key of one workspace."""

    workspace_id: UUID
    key_id: UUID
    scopes: frozenset[Scope]

    def allows(self, needed: Scope) -> bool:
        return any(SCOPE_RANK[scope] >= SCOPE_RANK[needed] for scope in self.scopes)


@dataclass(frozen=True)
class IssuedKey:
    """A key just created; `secret` is shown once and never stored."""

    id: UUID
    workspace: Workspace
    name: str
    scopes: frozenset[Scope]
    secret: str
