"""Notion webhook deliveries: signature check over the raw body, the one-time
verification request, and events turned into hints (ids to fetch), never into data.

Notion signs each delivery with `X-Notion-Signature: sha256=<hex HMAC-SHA256 of the raw
body>` keyed by the subscription's verification token. Before that token exists, Notion
POSTs `{"verification_token": ...}` once, unsigned; the token is kept for the connection
(and shown by `stakeholder-intel sync status`) so it can be pasted into Notion's form.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from connectors.mapping import SyncedEntity
from connectors.notion.values import page_id
from connectors.sync import repository
from connectors.sync.service import connection
from core.errors import BadRequest, Unauthorized

SCHEMA_EVENTS = {"data_source.schema_updated", "database.schema_updated"}


class Receipt(StrEnum):
    VERIFICATION_STORED = "verification_stored"
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


def signature(body: bytes, token: str) -> str:
    return "sha256=" + hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def _parse(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"the webhook body is not JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise BadRequest("the webhook body is not a JSON object")
    return parsed


def receive(
    session: Session, connection_id: uuid.UUID, body: bytes, signature_header: str | None
) -> Receipt:
    """Check and take one delivery. Unauthorized (nothing stored) for a missing or bad
    signature; the verification request is the one unsigned body accepted, and only
    while the connection has no token yet."""
    conn = connection(session, connection_id)
    token = conn.secrets.get("webhook_token")
    if token is None:
        payload = _parse(body)
        offered = payload.get("verification_token")
        if isinstance(offered, str) and offered and set(payload) <= {"verification_token"}:
            repository.set_webhook_token(session, connection_id, offered)
            return Receipt.VERIFICATION_STORED
        raise Unauthorized("this connection has no webhook verification token yet")
    if not signature_header or not hmac.compare_digest(signature(body, token), signature_header):
        raise Unauthorized("missing or wrong X-Notion-Signature")
    event = _parse(body)
    event_id, kind = event.get("id"), event.get("type")
    entity = event.get("entity") or {}
    if not isinstance(event_id, str) or not isinstance(kind, str) or not isinstance(entity, dict):
        raise BadRequest("a Notion event needs an id, a type and an entity")
    if not repository.take_event(session, connection_id, event_id, kind):
        return Receipt.DUPLICATE
    if kind in SCHEMA_EVENTS:
        repository.request_mapping_check(session, connection_id)
        return Receipt.ACCEPTED
    if entity.get("type") != "page" or not isinstance(entity.get("id"), str):
        return Receipt.IGNORED
    authors = {page_id(str(a.get("id"))) for a in event.get("authors") or [] if isinstance(a, dict)}
    bot = conn.options.get("bot_id")
    if bot and authors == {bot}:
        return Receipt.IGNORED  # our own write: its echo is already in the shadow
    data = event.get("data") or {}
    parent = data.get("parent") or {} if isinstance(data, dict) else {}
    source = page_id(str(parent.get("data_source_id") or parent.get("id") or ""))
    located = {page_id(mapped.location): target for target, mapped in conn.mapping.entities.items()}
    target: SyncedEntity | None = located.get(source)
    repository.add_hint(session, connection_id, page_id(entity["id"]), target)
    return Receipt.ACCEPTED
