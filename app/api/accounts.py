"""/accounts: create, list (paginated), get, update."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel

from app.api.deps import Reader, SessionDep, Writer
from app.pagination import DEFAULT_LIMIT, MAX_LIMIT
from plans import service
from plans.models import Account
from plans.service import AccountCreate, AccountUpdate

router = APIRouter(prefix="/accounts", tags=["accounts"])


class AccountOut(BaseModel):
    id: UUID
    name: str
    domain: str | None
    industry: str | None
    description: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, account: Account) -> AccountOut:
        return cls.model_validate(account.model_dump())


class AccountPage(BaseModel):
    items: list[AccountOut]
    next_cursor: str | None


@router.post("", status_code=status.HTTP_201_CREATED)
def create_account(
    body: AccountCreate, principal: Writer, session: SessionDep, response: Response
) -> AccountOut:
    account = service.create_account(session, principal.workspace_id, body)
    response.headers["Location"] = f"/accounts/{account.id}"
    return AccountOut.of(account)


@router.get("")
def list_accounts(
    principal: Reader,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200, description="name or domain contains")] = None,
) -> AccountPage:
    page = service.list_accounts(
        session, principal.workspace_id, limit=limit, cursor=cursor, search=q
    )
    return AccountPage(items=[AccountOut.of(a) for a in page.items], next_cursor=page.next_cursor)


@router.get("/{account_id}")
def get_account(account_id: UUID, principal: Reader, session: SessionDep) -> AccountOut:
    return AccountOut.of(service.get_account(session, principal.workspace_id, account_id))


@router.patch("/{account_id}")
def update_account(
    account_id: UUID, body: AccountUpdate, principal: Writer, session: SessionDep
) -> AccountOut:
    return AccountOut.of(service.update_account(session, principal.workspace_id, account_id, body))
