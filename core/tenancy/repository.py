"""All SQL of tenancy."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.tenancy.models import Workspace
from core.tenancy.tables import ApiKeyRow, WorkspaceRow


def _workspace(row: WorkspaceRow) -> Workspace:
    return Workspace(id=row.id, name=row.name, created_at=row.created_at)


def workspace_by_name(session: Session, name: str) -> Workspace | None:
    row = session.scalar(select(WorkspaceRow).where(WorkspaceRow.name == name))
    return _workspace(row) if row else None


def workspace_by_id(session: Session, workspace_id: uuid.UUID) -> Workspace | None:
    row = session.get(WorkspaceRow, workspace_id)
    return _workspace(row) if row else None


def add_workspace(session: Session, name: str) -> Workspace:
    row = WorkspaceRow(name=name)
    session.add(row)
    session.flush()
    return _workspace(row)


def list_workspaces(session: Session) -> list[Workspace]:
    return [
        _workspace(r) for r in session.scalars(select(WorkspaceRow).order_by(WorkspaceRow.name))
    ]


def add_api_key(
    session: Session,
    workspace_id: uuid.UUID,
    name: str,
    prefix: str,
    secret_hash: str,
    scopes: list[str],
) -> uuid.UUID:
    row = ApiKeyRow(
        workspace_id=workspace_id, name=name, prefix=prefix, secret_hash=secret_hash, scopes=scopes
    )
    session.add(row)
    session.flush()
    return row.id


def active_key_by_prefix(session: Session, prefix: str) -> ApiKeyRow | None:
    return session.scalar(
        select(ApiKeyRow).where(ApiKeyRow.prefix == prefix, ApiKeyRow.revoked_at.is_(None))
    )


def touch_key(session: Session, key_id: uuid.UUID, when: datetime) -> None:
    session.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(last_used_at=when))


def revoke_key(session: Session, workspace_id: uuid.UUID, prefix: str, when: datetime) -> bool:
    result = session.execute(
        update(ApiKeyRow)
        .where(
            ApiKeyRow.workspace_id == workspace_id,
            ApiKeyRow.prefix == prefix,
            ApiKeyRow.revoked_at.is_(None),
        )
        .values(revoked_at=when)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
