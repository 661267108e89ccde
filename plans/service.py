"""Use cases on accounts and stakeholders. Functions take a session and only flush;
every write records an outbox change in the same transaction."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import InvalidInput
from core.outbox.models import Change, EntityType, Operation
from core.outbox.service import record_changes
from core.pagination import Page, Position, decode_cursor, encode_cursor
from plans import repository
from plans.errors import AccountNotFound
from plans.models import Account, Stakeholder

HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def normalise_domain(value: str | None) -> str | None:
    """`https://www.Acme.com/about` -> `acme.com`; raises ValueError for non-hostnames."""
    if value is None:
        return None
    domain = value.strip().lower()
    domain = re.sub(r"^[a-z][a-z0-9+.-]*://", "", domain).split("/", 1)[0].split(":", 1)[0]
    domain = domain.removeprefix("www.")
    if not domain:
        return None
    if not HOSTNAME.match(domain):
        raise ValueError(f"{value!r} is not a domain name like acme.com")
    return domain


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Domain = Annotated[str | None, AfterValidator(normalise_domain)]
ShortText = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=100)]
LongText = Annotated[str | None, StringConstraints(max_length=10_000)]


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    domain: Domain = None
    industry: ShortText = None
    description: LongText = None


class AccountUpdate(BaseModel):
    """Only the fields present in the request are changed; `null` clears a field."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    domain: Domain = None
    industry: ShortText = None
    description: LongText = None


def _fields_sent(data: BaseModel, *, required: str) -> dict[str, Any]:
    """The fields the caller sent; the `required` one may be left out, not cleared."""
    fields = data.model_dump(include=data.model_fields_set)
    if required in fields and fields[required] is None:
        raise InvalidInput(f"{required} cannot be null", field=required)
    return fields


def create_account(
    session: Session, workspace_id: uuid.UUID, data: AccountCreate, *, origin: str = "api"
) -> Account:
    account = repository.add_account(session, workspace_id, data.model_dump())
    fields = sorted(data.model_dump(exclude_none=True))
    _account_changed(session, account, Operation.UPSERT, fields, origin)
    return account


def update_account(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    data: AccountUpdate,
    *,
    origin: str = "api",
) -> Account:
    fields = _fields_sent(data, required="name")
    result = repository.update_account(session, workspace_id, account_id, fields)
    if result is None:
        raise AccountNotFound(f"no account {account_id}")
    account, changed = result
    if changed:
        _account_changed(session, account, Operation.UPSERT, changed, origin)
    return account


def get_account(session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID) -> Account:
    account = repository.get_account(session, workspace_id, account_id)
    if account is None:
        raise AccountNotFound(f"no account {account_id}")
    return account


def list_accounts(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None = None,
    search: str | None = None,
) -> Page[Account]:
    after = decode_cursor(cursor) if cursor else None
    items = repository.list_accounts(
        session, workspace_id, limit=limit + 1, after=after, search=search
    )
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor(Position(last.created_at, last.id))
    return Page(items=items, next_cursor=next_cursor)


def set_account_deleted(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    deleted: bool,
    *,
    origin: str = "api",
) -> Account:
    """Soft-delete or restore an account (its data stays; the map hides it)."""
    account = repository.set_account_deleted(
        session, workspace_id, account_id, utcnow() if deleted else None
    )
    if account is None:
        raise AccountNotFound(f"no account {account_id}")
    _account_changed(session, account, _deletion(deleted), ["deleted"], origin)
    return account


Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=320)]


class StakeholderUpdate(BaseModel):
    """A person's identity fields; only the fields present change, `null` clears."""

    model_config = ConfigDict(extra="forbid")

    full_name: Name | None = None
    title: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=200)] = None
    department: ShortText = None
    email: Email | None = None


def _check_email(email: str | None) -> None:
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise InvalidInput(f"{email!r} is not an email address", field="email")


def create_stakeholder(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    data: StakeholderUpdate,
    *,
    origin: str = "api",
) -> Stakeholder:
    if data.full_name is None:
        raise InvalidInput("a stakeholder needs a name", field="full_name")
    _check_email(data.email)
    get_account(session, workspace_id, account_id)
    person = repository.add_stakeholder(
        session,
        workspace_id,
        account_id,
        {"full_name": data.full_name, "title": data.title, "department": data.department},
        [data.email] if data.email else [],
    )
    _person_changed(session, person, Operation.UPSERT, [], origin)
    return person


def update_stakeholder(
    session: Session,
    workspace_id: uuid.UUID,
    stakeholder_id: uuid.UUID,
    data: StakeholderUpdate,
    *,
    origin: str = "api",
) -> Stakeholder:
    """Change identity fields; a new email is added first so it becomes the one shown."""
    fields = _fields_sent(data, required="full_name")
    email = fields.pop("email", None)
    _check_email(email)
    if email:
        owner = repository.stakeholder_id_by_email(session, workspace_id, email)
        if owner is not None and owner != stakeholder_id:
            raise InvalidInput(f"{email} belongs to another stakeholder", field="email")
        if owner is None:
            repository.add_stakeholder_email(session, workspace_id, stakeholder_id, email)
    person = repository.update_stakeholder(session, workspace_id, stakeholder_id, fields)
    _person_changed(session, person, Operation.UPSERT, sorted(data.model_fields_set), origin)
    return person


def set_stakeholder_deleted(
    session: Session,
    workspace_id: uuid.UUID,
    stakeholder_id: uuid.UUID,
    deleted: bool,
    *,
    origin: str = "api",
) -> Stakeholder:
    person = repository.update_stakeholder(
        session, workspace_id, stakeholder_id, {"deleted_at": utcnow() if deleted else None}
    )
    _person_changed(session, person, _deletion(deleted), ["deleted"], origin)
    return person


def _deletion(deleted: bool) -> Operation:
    return Operation.DELETE if deleted else Operation.UPSERT


def _account_changed(
    session: Session, account: Account, operation: Operation, fields: list[str], origin: str
) -> None:
    """The graph and the CRMs see the account's change."""
    record_changes(
        session,
        [
            Change(
                account.workspace_id,
                EntityType.ACCOUNT,
                account.id,
                operation,
                changed_fields=fields,
                origin=origin,
            )
        ],
    )


def _person_changed(
    session: Session, person: Stakeholder, operation: Operation, fields: list[str], origin: str
) -> None:
    """The graph and the CRMs see the person's change, and the account's scores (which
    count everyone in it) are recomputed."""
    workspace_id = person.workspace_id
    record_changes(
        session,
        [
            Change(
                workspace_id,
                EntityType.STAKEHOLDER,
                person.id,
                operation,
                changed_fields=fields,
                origin=origin,
            ),
            Change(workspace_id, EntityType.ACCOUNT_SCORES, person.account_id, origin=origin),
        ],
    )
