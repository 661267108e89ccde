"""The FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from app.api import (
    accounts,
    config,
    conversations,
    health,
    opportunities,
    political,
    stakeholders,
    sync,
)
from app.api.errors import install_error_handlers
from app.api.limits import BodySizeLimit
from app.api.request_text import RequestTextCheck
from app.api.web import router as web_router
from app.runtime import Runtime
from app.settings import Settings, load_settings


def create_app(runtime: Runtime | None = None, settings: Settings | None = None) -> FastAPI:
    """The API. With a `runtime` the caller owns the stores; without one, the app starts
    them itself on startup (how `uvicorn --factory app.main:create_app` workers run)."""
    settings = runtime.settings if runtime else (settings or load_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runtime is not None:
            app.state.runtime = runtime
            yield
            return
        owned = Runtime.start(settings)
        if settings.BACKGROUND_WORKERS:
            owned.start_background_workers()
        app.state.runtime = owned
        try:
            yield
        finally:
            owned.stop()

    app = FastAPI(
        title="Stakeholder intelligence",
        version="0.1.0",
        description="Evidence-backed political maps, opportunities and plans for B2B sales.",
        lifespan=lifespan,
    )
    app.state.max_request_bytes = settings.MAX_REQUEST_BYTES
    if runtime is not None:
        app.state.runtime = runtime
    # Inside BodySizeLimit (added later, so it runs first): only bodies within the limit
    # are held to be checked.
    app.add_middleware(RequestTextCheck)
    app.add_middleware(BodySizeLimit, max_bytes=settings.MAX_REQUEST_BYTES)
    # Political maps of big accounts are megabytes of JSON; already-encoded bodies (the
    # page's pre-gzipped files) pass through untouched.
    app.add_middleware(GZipMiddleware, minimum_size=2_000)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(accounts.router)
    app.include_router(conversations.router)
    app.include_router(opportunities.router)
    app.include_router(config.router)
    app.include_router(stakeholders.router)
    app.include_router(political.router)
    app.include_router(sync.router)
    app.include_router(sync.webhook_router)
    app.include_router(web_router)
    return app
