"""Liveness and readiness; the only routes without authentication."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import migrate
from app.api.deps import get_runtime
from core.db import store_error

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (says nothing about the stores)."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "a store is down or not migrated"}})
def readyz(request: Request) -> JSONResponse:
    """Both stores reachable and the schema at the newest migration; else 503 naming which.
    An embedded FalkorDB also shows its supervisor's view: running or restarting, its pid,
    how many times it was restarted and how it last ended."""
    runtime = get_runtime(request)
    checks: dict[str, dict[str, Any]] = {}
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        status = migrate.status(runtime.engine)
        if status.is_current:
            checks["postgres"] = {"status": "ok", "migration": status.current}
        else:
            checks["postgres"] = {
                "status": "not_migrated",
                "error": f"schema at {status.current}, code expects {status.head}",
            }
    except DBAPIError as exc:
        fault = store_error(exc)  # "unreachable" or "timed out", said plainly
        error = fault.message if fault is not None else _first_line(exc)
        checks["postgres"] = {"status": "down", "error": error}
    except Exception as exc:
        checks["postgres"] = {"status": "down", "error": _first_line(exc)}
    try:
        runtime.graph.ping()
        checks["graph"] = {"status": "ok", "backend": str(runtime.graph.dialect)}
    except Exception as exc:
        checks["graph"] = {"status": "down", "error": _first_line(exc)}
    if runtime.graph_supervisor is not None:
        checks["graph"]["embedded"] = runtime.graph_supervisor.status().as_json()
    failing = sorted(name for name, check in checks.items() if check["status"] != "ok")
    body: dict[str, Any] = {"status": "ready" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    return JSONResponse(body, status_code=503 if failing else 200)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
