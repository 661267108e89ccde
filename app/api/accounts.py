"""/accounts: create, list (paginated), get, update."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel

from app.api.actor import actor_of
from app.api.deps import Reader, SessionDep, Writer
from app.api.opportunities import BeforeVersion, History, history
from core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from plans import account_plan, service
from plans import repository as plans_repository
from plans.account_plan import AccountPlan, AccountPlanEdit
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


class AccountPlanOut(BaseModel):
    account_id: UUID
    version: int
    plan: AccountPlan


@router.get("/{account_id}/plan")
def get_account_plan(account_id: UUID, principal: Reader, session: SessionDep) -> AccountPlanOut:
    service.get_account(session, principal.workspace_id, account_id)
    plan, version = account_plan.get_plan(session, principal.workspace_id, account_id)
    return AccountPlanOut(account_id=account_id, version=version, plan=plan)


@router.patch("/{account_id}/plan")
def edit_account_plan(
    account_id: UUID,
    body: AccountPlanEdit,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> AccountPlanOut:
    service.get_account(session, principal.workspace_id, account_id)
    plan, version = account_plan.edit_plan(
        session, principal.workspace_id, account_id, body, actor_of(request, principal)
    )
    return AccountPlanOut(account_id=account_id, version=version, plan=plan)


@router.get("/{account_id}/plan/history")
def account_plan_history(
    account_id: UUID,
    principal: Reader,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    before_version: BeforeVersion = None,
) -> History:
    service.get_account(session, principal.workspace_id, account_id)
    return history(session, principal.workspace_id, "account", account_id, limit, before_version)


class StakeholderSummary(BaseModel):
    id: UUID
    full_name: str
    title: str | None
    department: str | None
    seniority: str | None
    emails: list[str]


@router.get("/{account_id}/stakeholders")
def account_stakeholders(
    account_id: UUID, principal: Reader, session: SessionDep
) -> list[StakeholderSummary]:
    service.get_account(session, principal.workspace_id, account_id)
    return [
        StakeholderSummary(
            id=s.id,
            full_name=s.full_name,
            title=s.title,
            department=s.department,
            seniority=s.seniority,
            emails=list(s.emails),
        )
        for s in plans_repository.live_stakeholders(session, principal.workspace_id, account_id)
    ]
