"""Faults as an HTTP client sees them, over one real keep-alive connection to the service
on loopback: a Postgres connection lost mid-request is a 503 (never a 500), a statement
timeout says it timed out, and after any error, a 500 included, the same connection
serves the next request."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings
from tests.conftest import Tenant, make_tenant
from tests.helpers import eventually
from tests.support.postgres_faults import (
    administrator,
    backends_waiting_on_a_lock,
    table_locked,
    terminate_all_but,
)
from tests.support.serving import serving

CONVERSATION: dict[str, Any] = {
    "external_id": "call-during-failover",
    "account": {"name": "Helix Health", "domain": "helixhealth.org"},
    "occurred_at": "2026-01-12T15:00:00Z",
    "channel": "call",
    "participants": [{"name": "Dana Whitfield", "side": "customer"}],
    "turns": [{"speaker": "Dana Whitfield", "text": "We are looking at Lumen Pipelines."}],
}


def one_connection(base_url: str) -> httpx.Client:
    """A client that keeps a single connection alive and reuses it for every request."""
    return httpx.Client(
        base_url=base_url,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        timeout=60,
    )


def client_address(response: httpx.Response) -> object:
    """The client's end of the TCP connection that carried `response`."""
    return response.extensions["network_stream"].get_extra_info("client_addr")


def test_a_connection_lost_mid_request_is_a_503_and_the_next_request_works(
    runtime: Runtime, tenant: Tenant, database_url: str
) -> None:
    with (
        serving(create_app(runtime)) as base_url,
        one_connection(base_url) as client,
        administrator(database_url) as admin,
        ThreadPoolExecutor(1) as background,
    ):
        first = client.get("/conversations", headers=tenant.headers)
        assert first.status_code == 200
        with table_locked(database_url, "conversations") as holder:
            # The request authenticates, then waits on the lock to store the conversation;
            # meanwhile the database drops every connection of the service (a failover).
            posting = background.submit(
                client.post, "/conversations", json=CONVERSATION, headers=tenant.headers
            )
            assert eventually(lambda: backends_waiting_on_a_lock(admin) == 1)
            assert terminate_all_but(admin, holder.info.backend_pid) >= 2
        answer = posting.result()

        assert answer.status_code == 503, answer.text
        error = answer.json()["error"]
        assert error["code"] == "database_unavailable"
        assert error["message"] == (
            "PostgreSQL unreachable: terminating connection due to administrator command"
        )
        after = client.get("/conversations", headers=tenant.headers)
        assert after.status_code == 200 and after.json()["items"] == []  # nothing half-written
        assert client_address(after) == client_address(first)
        retried = client.post("/conversations", json=CONVERSATION, headers=tenant.headers)
        assert retried.status_code == 201 and retried.json()["status"] == "processed"


@pytest.fixture
def impatient_runtime(settings: Settings, runtime: Runtime) -> Iterator[Runtime]:
    """The service with a one-second statement timeout (STORE_TIMEOUT_SECONDS)."""
    with Runtime.start(settings.model_copy(update={"STORE_TIMEOUT_SECONDS": 1.0})) as started:
        yield started


def test_a_statement_timeout_is_a_503_that_says_it_timed_out(
    impatient_runtime: Runtime, database_url: str
) -> None:
    tenant = make_tenant(impatient_runtime, "impatient")
    with (
        serving(create_app(impatient_runtime)) as base_url,
        one_connection(base_url) as client,
    ):
        with table_locked(database_url, "accounts"):
            answer = client.get("/accounts", headers=tenant.headers)
        assert answer.status_code == 503, answer.text
        error = answer.json()["error"]
        assert error["code"] == "database_timeout"
        assert error["message"] == (
            "PostgreSQL statement timed out (canceling statement due to statement timeout)"
        )
        after = client.get("/accounts", headers=tenant.headers)
        assert after.status_code == 200
        assert client_address(after) == client_address(answer)


def test_after_a_500_the_same_connection_serves_the_next_request(runtime: Runtime) -> None:
    app = create_app(runtime)

    def unclassified_fault() -> None:
        raise RuntimeError("a fault nobody classified")

    app.add_api_route("/test/unclassified-fault", unclassified_fault)
    with serving(app) as base_url, one_connection(base_url) as client:
        for _ in range(3):
            failed = client.get("/test/unclassified-fault")
            assert failed.status_code == 500
            assert failed.json() == {
                "error": {"code": "internal_error", "message": "internal error"}
            }
            healthy = client.get("/healthz")
            assert healthy.status_code == 200
            assert client_address(healthy) == client_address(failed)
