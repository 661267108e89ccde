"""All SQL of the plans package."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import utcnow
from core.pagination import Position
from plans.errors import DuplicateAccountDomain, StakeholderNotFound
from plans.models import Account, Stakeholder
from plans.tables import AccountRow, StakeholderEmailRow, StakeholderRow


def _account(row: AccountRow) -> Account:
    return Account.model_validate(row, from_attributes=True)


def add_account(session: Session, workspace_id: uuid.UUID, fields: dict[str, Any]) -> Account:
    row = AccountRow(workspace_id=workspace_id, **fields)
    session.add(row)
    _flush_account(session, fields.get("domain"))
    return _account(row)


def _flush_account(session: Session, domain: str | None) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        if "uq_accounts_workspace_domain" in str(exc.orig):
            raise DuplicateAccountDomain(
                f"an account with domain {domain!r} already exists in this workspace"
            ) from None
        raise


def _live_account_row(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID, *, lock: bool = False
) -> AccountRow | None:
    query = select(AccountRow).where(
        AccountRow.workspace_id == workspace_id,
        AccountRow.id == account_id,
        AccountRow.deleted_at.is_(None),
    )
    return session.scalar(query.with_for_update() if lock else query)


def get_account(session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID) -> Account | None:
    row = _live_account_row(session, workspace_id, account_id)
    return _account(row) if row else None


def update_account(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID, fields: dict[str, Any]
) -> tuple[Account, list[str]] | None:
    """Apply `fields`; return the account and the names of fields whose value changed."""
    row = _live_account_row(session, workspace_id, account_id, lock=True)
    if row is None:
        return None
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, fields[name])
        row.version += 1
        _flush_account(session, fields.get("domain"))
    return _account(row), changed


def set_account_deleted(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID, deleted_at: datetime | None
) -> Account | None:
    """Soft-delete (a time) or restore (None) an account; None if there is no such account.
    Restoring fails with DuplicateAccountDomain when a live account took its domain."""
    row = session.scalar(
        select(AccountRow)
        .where(AccountRow.workspace_id == workspace_id, AccountRow.id == account_id)
        .with_for_update()
    )
    if row is None:
        return None
    if (row.deleted_at is None) != (deleted_at is None):
        row.deleted_at = deleted_at
        row.version += 1
        _flush_account(session, row.domain)
    return _account(row)


def list_accounts(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    limit: int,
    after: Position | None = None,
    search: str | None = None,
) -> list[Account]:
    query: Select[AccountRow] = select(AccountRow).where(
        AccountRow.workspace_id == workspace_id, AccountRow.deleted_at.is_(None)
    )
    if search:
        pattern = f"%{_escape_like(search)}%"
        query = query.where(
            or_(
                AccountRow.name.ilike(pattern, escape="\\"),
                AccountRow.domain.ilike(pattern, escape="\\"),
            )
        )
    if after is not None:
        query = query.where(
            tuple_(AccountRow.created_at, AccountRow.id) > (after.created_at, after.id)
        )
    query = query.order_by(AccountRow.created_at, AccountRow.id).limit(limit)
    return [_account(row) for row in session.scalars(query)]


def all_account_ids(session: Session, workspace_id: uuid.UUID) -> list[uuid.UUID]:
    """Accounts not deleted, in id order."""
    return list(
        session.scalars(
            select(AccountRow.id)
            .where(AccountRow.workspace_id == workspace_id, AccountRow.deleted_at.is_(None))
            .order_by(AccountRow.id)
        )
    )


def accounts_by_ids(
    session: Session, workspace_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Account]:
    """Live and soft-deleted accounts among `ids` (projectors need both)."""
    rows = session.scalars(
        select(AccountRow).where(AccountRow.workspace_id == workspace_id, AccountRow.id.in_(ids))
    )
    return [_account(row) for row in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- stakeholders -------------------------------------------------------------------


def _stakeholders(session: Session, rows: Sequence[StakeholderRow]) -> list[Stakeholder]:
    emails: dict[uuid.UUID, list[str]] = {row.id: [] for row in rows}
    if rows:
        for email_row in session.scalars(
            select(StakeholderEmailRow)
            .where(StakeholderEmailRow.stakeholder_id.in_(list(emails)))
            .order_by(StakeholderEmailRow.email)
        ):
            emails[email_row.stakeholder_id].append(email_row.email)
    return [
        Stakeholder(
            id=row.id,
            workspace_id=row.workspace_id,
            account_id=row.account_id,
            full_name=row.full_name,
            title=row.title,
            department=row.department,
            reports_to_id=row.reports_to_id,
            emails=tuple(emails[row.id]),
            seniority=row.seniority,
            merged_into_id=row.merged_into_id,
            external_ref=row.external_ref,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            deleted_at=row.deleted_at,
        )
        for row in rows
    ]


def add_stakeholder(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    fields: dict[str, Any],
    emails: Sequence[str] = (),
) -> Stakeholder:
    row = StakeholderRow(workspace_id=workspace_id, account_id=account_id, **fields)
    session.add(row)
    session.flush()
    set_stakeholder_emails(session, workspace_id, row.id, emails)
    return _stakeholders(session, [row])[0]


def set_stakeholder_emails(
    session: Session, workspace_id: uuid.UUID, stakeholder_id: uuid.UUID, emails: Sequence[str]
) -> None:
    session.execute(
        delete(StakeholderEmailRow).where(StakeholderEmailRow.stakeholder_id == stakeholder_id)
    )
    for email in dict.fromkeys(e.strip().lower() for e in emails):
        session.add(
            StakeholderEmailRow(
                workspace_id=workspace_id, email=email, stakeholder_id=stakeholder_id
            )
        )
    session.flush()


def stakeholders_by_ids(
    session: Session, workspace_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Stakeholder]:
    rows = session.scalars(
        select(StakeholderRow).where(
            StakeholderRow.workspace_id == workspace_id, StakeholderRow.id.in_(ids)
        )
    ).all()
    return _stakeholders(session, rows)


def all_stakeholder_ids(session: Session, workspace_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        session.scalars(
            select(StakeholderRow.id).where(
                StakeholderRow.workspace_id == workspace_id, StakeholderRow.deleted_at.is_(None)
            )
        )
    )


def live_stakeholder_ids(session: Session, workspace_id: uuid.UUID) -> list[uuid.UUID]:
    """People neither deleted nor merged into another, in id order."""
    return list(
        session.scalars(
            select(StakeholderRow.id)
            .where(
                StakeholderRow.workspace_id == workspace_id,
                StakeholderRow.deleted_at.is_(None),
                StakeholderRow.merged_into_id.is_(None),
            )
            .order_by(StakeholderRow.id)
        )
    )


def stakeholder_ids_of_account(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> list[uuid.UUID]:
    """Everyone ever recorded at the account, deleted and merged people too."""
    return list(
        session.scalars(
            select(StakeholderRow.id).where(
                StakeholderRow.workspace_id == workspace_id,
                StakeholderRow.account_id == account_id,
            )
        )
    )


def count_accounts(session: Session, workspace_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AccountRow)
            .where(AccountRow.workspace_id == workspace_id, AccountRow.deleted_at.is_(None))
        )
        or 0
    )


def live_stakeholders(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> list[Stakeholder]:
    rows = session.scalars(
        select(StakeholderRow)
        .where(
            StakeholderRow.workspace_id == workspace_id,
            StakeholderRow.account_id == account_id,
            StakeholderRow.deleted_at.is_(None),
        )
        .order_by(StakeholderRow.created_at)
    ).all()
    return _stakeholders(session, rows)


def stakeholder_id_by_email(
    session: Session, workspace_id: uuid.UUID, email: str
) -> uuid.UUID | None:
    return session.scalar(
        select(StakeholderEmailRow.stakeholder_id).where(
            StakeholderEmailRow.workspace_id == workspace_id,
            StakeholderEmailRow.email == email.strip().lower(),
        )
    )


def update_stakeholder(
    session: Session, workspace_id: uuid.UUID, stakeholder_id: uuid.UUID, fields: dict[str, Any]
) -> Stakeholder:
    row = session.scalar(
        select(StakeholderRow)
        .where(StakeholderRow.workspace_id == workspace_id, StakeholderRow.id == stakeholder_id)
        .with_for_update()
    )
    if row is None:
        raise StakeholderNotFound(f"no stakeholder {stakeholder_id}")
    for name, value in fields.items():
        setattr(row, name, value)
    row.version += 1
    session.flush()
    return _stakeholders(session, [row])[0]


def add_stakeholder_email(
    session: Session, workspace_id: uuid.UUID, stakeholder_id: uuid.UUID, email: str
) -> None:
    session.execute(
        pg_insert(StakeholderEmailRow)
        .values(
            workspace_id=workspace_id, email=email.strip().lower(), stakeholder_id=stakeholder_id
        )
        .on_conflict_do_nothing()
    )


def find_account(
    session: Session, workspace_id: uuid.UUID, *, name: str, domain: str | None
) -> Account | None:
    """A live account by domain, else by name (case-insensitive) with no other domain."""
    live = select(AccountRow).where(
        AccountRow.workspace_id == workspace_id, AccountRow.deleted_at.is_(None)
    )
    if domain:
        row = session.scalar(live.where(func.lower(AccountRow.domain) == domain.lower()))
        if row is not None:
            return _account(row)
    by_name = live.where(func.lower(AccountRow.name) == name.strip().lower())
    if domain:
        by_name = by_name.where(AccountRow.domain.is_(None))
    row = session.scalar(by_name.order_by(AccountRow.created_at).limit(1))
    return _account(row) if row else None


# --- imports (bulk) -------------------------------------------------------------------


def upsert_imported_people(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    people: Sequence[dict[str, Any]],
) -> dict[str, uuid.UUID]:
    """Insert or update people by their ref in the source; return ref -> id."""
    if not people:
        return {}  # an executemany over no rows would insert one row of NULLs
    now = utcnow()
    base = pg_insert(StakeholderRow)
    statement = base.on_conflict_do_update(
        index_elements=["account_id", "external_ref"],
        index_where=StakeholderRow.external_ref.is_not(None),
        set_={
            "full_name": base.excluded.full_name,
            "title": base.excluded.title,
            "department": base.excluded.department,
            "seniority": base.excluded.seniority,
            "updated_at": now,
            "version": StakeholderRow.version + 1,
        },
    ).returning(StakeholderRow.external_ref, StakeholderRow.id)
    rows = session.execute(
        statement,
        [
            {
                "id": uuid.uuid4(),
                "workspace_id": workspace_id,
                "account_id": account_id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                **person,
            }
            for person in people
        ],
    )
    return {str(ref): row_id for ref, row_id in rows}


def set_reports_to(session: Session, managers: dict[uuid.UUID, uuid.UUID]) -> None:
    for person, manager in managers.items():
        session.execute(
            update(StakeholderRow).where(StakeholderRow.id == person).values(reports_to_id=manager)
        )
