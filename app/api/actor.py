"""Who a rep edit is attributed to."""

from __future__ import annotations

from fastapi import Request

from core.tenancy.models import Principal


def actor_of(request: Request, principal: Principal) -> str:
    """The rep named in `X-Actor` (the page or agent acting for them), else the API key."""
    named = (request.headers.get("x-actor") or "").strip()[:200]
    return named or f"api key {principal.key_id}"
