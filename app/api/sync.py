"""/sync: CRM sync status and the conflict log; /webhooks: CRM deliveries."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel

from app.api.actor import actor_of
from app.api.deps import Reader, SessionDep, Writer
from connectors.notion import webhooks as notion_webhooks
from connectors.sync import service
from connectors.sync.models import ConflictOut, ConnectorStatus
from core.pagination import DEFAULT_LIMIT, MAX_LIMIT

router = APIRouter(prefix="/sync", tags=["crm sync"])
webhook_router = APIRouter(prefix="/webhooks", tags=["crm sync"])


@router.get("/status")
def sync_status(principal: Reader, session: SessionDep) -> list[ConnectorStatus]:
    """Per CRM connection: changes waiting to be written (backlog, failing), the last
    success and error, conflicts (open and all), calls made, paused record types."""
    return service.status(session, principal.workspace_id)


class ConflictPage(BaseModel):
    items: list[ConflictOut]
    next_cursor: str | None


@router.get("/conflicts")
def list_conflicts(
    principal: Reader,
    session: SessionDep,
    status: service.ConflictStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ConflictPage:
    """Fields both sides changed differently (with both values, the shadow, the rule and
    who won), CRM edits of read-only fields that were put back, CRM values refused here,
    and records that could not be synced (`field` "*"). Newest first."""
    page = service.list_conflicts(
        session, principal.workspace_id, status_filter=status, limit=limit, cursor=cursor
    )
    return ConflictPage(items=page.items, next_cursor=page.next_cursor)


@router.post("/conflicts/{conflict_id}/resolve")
def resolve_conflict(
    conflict_id: UUID,
    body: service.Resolution,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> ConflictOut:
    """Choose the value that stands: `postgres` (ours) or `crm` (the CRM's); it is set here
    at once and written to the CRM at the next sync. `dismiss` closes a record-level entry."""
    return service.resolve_conflict(
        session, principal.workspace_id, conflict_id, body, actor_of(request, principal)
    )


class WebhookReceipt(BaseModel):
    status: notion_webhooks.Receipt


async def raw_body(request: Request) -> bytes:
    """The body exactly as sent: signatures are over these bytes."""
    return await request.body()


@webhook_router.post("/notion/{connection_id}")
def notion_webhook(
    connection_id: UUID,
    body: Annotated[bytes, Depends(raw_body)],
    session: SessionDep,
    x_notion_signature: Annotated[str | None, Header()] = None,
) -> WebhookReceipt:
    """Notion's deliveries for one connection. Signed with the subscription's
    verification token (401 and nothing stored otherwise); events only hint at pages to
    fetch at the next sync round."""
    return WebhookReceipt(
        status=notion_webhooks.receive(session, connection_id, body, x_notion_signature)
    )
