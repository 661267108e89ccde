"""The accounts resource and the API's error contract, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from app.runtime import Runtime
from core.tenancy.models import Scope
from tests.conftest import Tenant, make_tenant


def test_create_get_update_and_list_with_pagination(client: TestClient, tenant: Tenant) -> None:
    created = client.post(
        "/accounts",
        json={"name": "  Helix Health ", "domain": "https://www.HelixHealth.org/"},
        headers=tenant.headers,
    )
    assert created.status_code == 201, created.text
    account = created.json()
    assert account["name"] == "Helix Health" and account["domain"] == "helixhealth.org"
    assert created.headers["location"] == f"/accounts/{account['id']}"

    fetched = client.get(f"/accounts/{account['id']}", headers=tenant.headers)
    assert fetched.json() == account

    updated = client.patch(
        f"/accounts/{account['id']}", json={"industry": "Healthcare"}, headers=tenant.headers
    )
    assert updated.status_code == 200
    assert updated.json()["industry"] == "Healthcare" and updated.json()["version"] == 2
    cleared = client.patch(
        f"/accounts/{account['id']}", json={"industry": None}, headers=tenant.headers
    )
    assert cleared.json()["industry"] is None

    for index in range(6):
        client.post("/accounts", json={"name": f"Account {index}"}, headers=tenant.headers)
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/accounts", params=params, headers=tenant.headers).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Helix Health"] + [f"Account {i}" for i in range(6)]
    found = client.get("/accounts", params={"q": "helix"}, headers=tenant.headers).json()
    assert [a["name"] for a in found["items"]] == ["Helix Health"]


def test_every_endpoint_but_health_needs_a_valid_key(client: TestClient, tenant: Tenant) -> None:
    assert client.get("/healthz").status_code == 200
    missing = client.get("/accounts")
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.get("/accounts", headers={"Authorization": "Bearer si_000000000000_" + "x" * 43})
    assert wrong.status_code == 401
    basic = client.get("/accounts", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401


def test_scopes_limit_what_a_key_may_do(client: TestClient, runtime: Runtime) -> None:
    reader = make_tenant(runtime, "readers", Scope.READ)
    assert client.get("/accounts", headers=reader.headers).status_code == 200
    refused = client.post("/accounts", json={"name": "X"}, headers=reader.headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert "write" in refused.json()["error"]["message"]


def test_workspaces_never_see_each_others_accounts(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    ours = client.post("/accounts", json={"name": "Ours"}, headers=tenant.headers).json()
    assert client.get(f"/accounts/{ours['id']}", headers=other_tenant.headers).status_code == 404
    patched = client.patch(
        f"/accounts/{ours['id']}", json={"name": "Stolen"}, headers=other_tenant.headers
    )
    assert patched.status_code == 404
    assert client.get("/accounts", headers=other_tenant.headers).json()["items"] == []
    assert client.get(f"/accounts/{ours['id']}", headers=tenant.headers).json()["name"] == "Ours"


def test_bad_bodies_get_errors_that_name_the_problem(client: TestClient, tenant: Tenant) -> None:
    malformed = client.post(
        "/accounts",
        content=b'{"name": "Acme",',
        headers={**tenant.headers, "Content-Type": "application/json"},
    )
    assert malformed.status_code == 422
    error = malformed.json()["error"]
    assert error["code"] == "validation_error"
    assert "malformed JSON" in error["message"]

    invalid = client.post("/accounts", json={"domain": "not a domain"}, headers=tenant.headers)
    assert invalid.status_code == 422
    fields = {f["field"] for f in invalid.json()["error"]["details"]["fields"]}
    assert fields == {"body.name", "body.domain"}

    unknown = client.post("/accounts", json={"name": "A", "colour": "red"}, headers=tenant.headers)
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"]["fields"][0]["field"] == "body.colour"

    too_big = client.post(
        "/accounts", json={"name": "A", "description": "x" * 70_000}, headers=tenant.headers
    )
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "payload_too_large"

    bad_id = client.get("/accounts/not-a-uuid", headers=tenant.headers)
    assert bad_id.status_code == 422
    assert bad_id.json()["error"]["details"]["fields"][0]["field"] == "path.account_id"

    bad_cursor = client.get("/accounts", params={"cursor": "zzz"}, headers=tenant.headers)
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["error"]["details"]["fields"][0]["field"] == "cursor"


def test_duplicate_domain_is_a_conflict_and_nothing_is_half_written(
    client: TestClient, tenant: Tenant
) -> None:
    client.post("/accounts", json={"name": "A", "domain": "acme.com"}, headers=tenant.headers)
    clash = client.post(
        "/accounts", json={"name": "B", "domain": "ACME.com"}, headers=tenant.headers
    )
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "duplicate_account_domain"
    names = [a["name"] for a in client.get("/accounts", headers=tenant.headers).json()["items"]]
    assert names == ["A"]


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/accounts" in schema["paths"] and "/readyz" in schema["paths"]
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 200


def test_readyz_reports_both_stores(client: TestClient) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["checks"]["postgres"]["status"] == "ok"
    assert body["checks"]["graph"] == {"status": "ok", "backend": "falkordb"}


def test_streamed_bodies_over_the_limit_get_413_too(client: TestClient, tenant: Tenant) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "A", "description": "'
        for _ in range(100):
            yield b"x" * 1_000
        yield b'"}'

    response = client.post(
        "/accounts",
        content=chunks(),
        headers={**tenant.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
