"""/conversations: post one (idempotent on external_id), list, read with its signals."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel

from app.api.deps import Reader, SessionDep, Writer, get_runtime
from core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Position, decode_cursor, encode_cursor
from plans.conversations import repository
from plans.conversations.models import ConversationIn, IngestResult
from plans.errors import ConversationNotFound

router = APIRouter(prefix="/conversations", tags=["conversations"])


class SignalOut(BaseModel):
    id: UUID
    kind: str
    quote: str
    confidence: float
    source: str
    payload: dict[str, Any]


class ConversationOut(BaseModel):
    id: UUID
    external_id: str
    account_id: UUID
    occurred_at: datetime
    channel: str
    title: str | None
    status: str
    extractor: str | None
    extraction_note: str | None
    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None
    created_at: datetime
    processed_at: datetime | None


class ConversationDetail(ConversationOut):
    participants: list[dict[str, Any]]
    turns: list[dict[str, Any]] | None
    text: str | None
    result: dict[str, Any] | None
    signals: list[SignalOut]


class ConversationPage(BaseModel):
    items: list[ConversationOut]
    next_cursor: str | None


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "already posted: the first result, nothing changed"}},
)
def post_conversation(
    body: ConversationIn, principal: Writer, request: Request, response: Response
) -> IngestResult:
    """Store the conversation, extract its signals, and update opportunities and plans.

    Posting the same `external_id` again returns the first result and changes nothing
    (200); the same id with different content is a 409."""
    outcome = get_runtime(request).ingestor.ingest(principal.workspace_id, body)
    if not outcome.created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/conversations/{outcome.result.conversation_id}"
    return outcome.result


def _out(row: Any) -> dict[str, Any]:
    return {
        name: getattr(row, name) for name in ConversationOut.model_fields if name != "cost_usd"
    } | {"cost_usd": float(row.cost_usd) if row.cost_usd is not None else None}


@router.get("")
def list_conversations(
    principal: Reader,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    account_id: UUID | None = None,
    status_filter: Annotated[
        str | None, Query(alias="status", pattern="^(stored|processed|failed)$")
    ] = None,
) -> ConversationPage:
    rows = repository.list_conversations(
        session,
        principal.workspace_id,
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        account_id=account_id,
        status=status_filter,
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(Position(rows[-1].created_at, rows[-1].id))
    return ConversationPage(
        items=[ConversationOut(**_out(r)) for r in rows], next_cursor=next_cursor
    )


@router.get("/{conversation_id}")
def get_conversation(
    conversation_id: UUID, principal: Reader, session: SessionDep
) -> ConversationDetail:
    row = repository.get(session, principal.workspace_id, conversation_id)
    if row is None:
        raise ConversationNotFound(f"no conversation {conversation_id}")
    signals = [
        SignalOut(
            id=s.id,
            kind=s.kind,
            quote=s.quote,
            confidence=s.confidence,
            source=s.source,
            payload=s.payload,
        )
        for s in repository.signals_of(session, row.id)
    ]
    return ConversationDetail(
        **_out(row),
        participants=row.participants,
        turns=row.turns,
        text=row.text,
        result=row.result,
        signals=signals,
    )
