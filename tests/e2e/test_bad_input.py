"""Bad input gets a 4xx that names the field, never a 500, and leaves nothing behind."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings
from core.db import unit_of_work
from plans import repository as plans_repository
from tests.conftest import Tenant
from tests.integration.test_ingest import CATALOGUE, DISCOVERY, conversation


@pytest.fixture
def deal(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    """An account with an opportunity (created by a conversation) and its people."""
    catalogue = {"product_lines": CATALOGUE["product_lines"]}
    assert client.put("/config/catalogue", json=catalogue, headers=tenant.headers).is_success
    posted = client.post(
        "/conversations", json=conversation("call-1", DISCOVERY), headers=tenant.headers
    )
    assert posted.status_code == 201, posted.text
    result = posted.json()
    return {
        "account_id": result["account_id"],
        "opportunity_id": result["opportunities"][0]["id"],
        "stakeholder_id": result["stakeholders"][0]["id"],
    }


def fields_of(response: Any) -> list[str]:
    body = response.json()["error"]
    assert body["code"] == "validation_error", body
    return [item["field"] for item in body["details"]["fields"]]


def test_an_empty_org_import_names_the_people_and_writes_nothing(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    account = client.post("/accounts", json={"name": "Helix"}, headers=tenant.headers).json()
    refused = client.post(
        f"/accounts/{account['id']}/org-import", json={"people": []}, headers=tenant.headers
    )
    assert refused.status_code == 422 and fields_of(refused) == ["body.people"]
    stakeholders = client.get(f"/accounts/{account['id']}/stakeholders", headers=tenant.headers)
    assert stakeholders.json() == []
    with unit_of_work(runtime.session_factory) as session:
        imported = plans_repository.upsert_imported_people(
            session, tenant.workspace.id, uuid.UUID(account["id"]), []
        )
    assert imported == {}


@pytest.mark.parametrize(
    "path", ["/opportunities/{opportunity_id}/history", "/accounts/{account_id}/plan/history"]
)
def test_a_version_beyond_what_postgres_counts_is_refused(
    client: TestClient, tenant: Tenant, deal: dict[str, Any], path: str
) -> None:
    url = path.format(**deal)
    largest = client.get(url, params={"before_version": 2**31 - 1}, headers=tenant.headers)
    assert largest.status_code == 200, largest.text
    refused = client.get(url, params={"before_version": 2**31}, headers=tenant.headers)
    assert refused.status_code == 422 and fields_of(refused) == ["query.before_version"]


# Each: the request, the field the answer must name.
UNSTORABLE_TEXT = [
    ("post", "/accounts", {"name": "Helix\u0000Health"}, "body.name"),
    (
        "post",
        "/conversations",
        conversation("nul-1", [("Dana\u0000 Whitfield", "Hello.")]),
        "body.turns.0.speaker",
    ),
    (
        "patch",
        "/opportunities/{opportunity_id}/plan",
        {"summary": "fine", "notes": "broken \u0000", "reason": "tidy up"},
        "body.notes",
    ),
    (
        "put",
        "/config/catalogue",
        {"product_lines": [{"key": "vault", "name": "Lumen\u0000Vault"}]},
        "body.product_lines.0.name",
    ),
    ("post", "/accounts", {"name": "Helix \udc00 Health"}, "body.name"),  # a lone surrogate
]


@pytest.mark.parametrize(("method", "path", "body", "field"), UNSTORABLE_TEXT)
def test_text_postgres_cannot_store_is_refused_naming_the_field(
    client: TestClient,
    tenant: Tenant,
    deal: dict[str, Any],
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    # Sent as JSON text: JSON can escape a lone surrogate, which no client would encode.
    headers = {**tenant.headers, "content-type": "application/json"}
    content = json.dumps(body).encode()
    response = client.request(method, path.format(**deal), content=content, headers=headers)
    assert response.status_code == 422, response.text
    assert fields_of(response) == [field]


def test_a_nul_character_in_the_query_is_refused_naming_the_parameter(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/accounts", params={"q": "Helix\u0000"}, headers=tenant.headers)
    assert response.status_code == 422 and fields_of(response) == ["query.q"]


def test_a_name_cannot_be_set_to_null(
    client: TestClient, tenant: Tenant, deal: dict[str, Any]
) -> None:
    url = f"/opportunities/{deal['opportunity_id']}"
    refused = client.patch(url, json={"name": None, "reason": "rename"}, headers=tenant.headers)
    assert refused.status_code == 422 and fields_of(refused) == ["body.name"]
    item = client.get(url, headers=tenant.headers).json()["plan"]["action_items"][0]
    cleared = client.patch(
        f"{url}/plan",
        json={"action_items": [{"id": item["id"], "action": None}], "reason": "tidy up"},
        headers=tenant.headers,
    )
    assert cleared.status_code == 422 and fields_of(cleared) == ["body.action_items.0.action"]
    assert client.get(url, headers=tenant.headers).json()["plan"]["action_items"][0] == item


def test_a_role_can_be_scoped_only_to_an_opportunity_of_the_persons_account(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, deal: dict[str, Any]
) -> None:
    catalogue = {"product_lines": CATALOGUE["product_lines"]}
    client.put("/config/catalogue", json=catalogue, headers=other_tenant.headers)
    theirs = client.post(
        "/conversations", json=conversation("call-1", DISCOVERY), headers=other_tenant.headers
    ).json()["opportunities"][0]["id"]
    roles = f"/stakeholders/{deal['stakeholder_id']}/roles"

    def scoped_to(opportunity_id: str) -> Any:
        body = {
            "role": "champion",
            "scope": {"kind": "opportunity", "opportunity_id": opportunity_id},
            "reason": "from the QBR",
        }
        return client.post(roles, json=body, headers=tenant.headers)

    refused = scoped_to(theirs)
    assert refused.status_code == 422
    assert fields_of(refused) == ["body.scope.opportunity_id"]
    profile = client.get(f"/stakeholders/{deal['stakeholder_id']}", headers=tenant.headers).json()
    assert all(role["scope"]["kind"] != "opportunity" for role in profile["roles"])
    assert scoped_to(deal["opportunity_id"]).status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_gets_415(
    client: TestClient, tenant: Tenant, content_type: str | None
) -> None:
    headers = {**tenant.headers, **({"content-type": content_type} if content_type else {})}
    response = client.post("/accounts", content=b'{"name": "Helix"}', headers=headers)
    assert response.status_code == 415, response.text
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert "application/json" in response.json()["error"]["message"]
    assert client.get("/accounts", headers=tenant.headers).json()["items"] == []


def test_json_with_its_charset_or_a_json_suffix_is_read(client: TestClient, tenant: Tenant) -> None:
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        headers = {**tenant.headers, "content-type": content_type}
        response = client.post("/accounts", content=b'{"name": "Helix"}', headers=headers)
        assert response.status_code == 201, response.text


def test_a_body_that_is_not_utf8_gets_the_validation_error_shape(
    client: TestClient, tenant: Tenant
) -> None:
    headers = {**tenant.headers, "content-type": "application/json"}
    response = client.post("/accounts", content=b'{"name": "Caf\xe9"}', headers=headers)
    assert response.status_code == 422, response.text
    assert fields_of(response) == ["body"]
    assert "UTF-8" in response.json()["error"]["message"]


@pytest.fixture
def roomy_client(settings: Settings, runtime: Runtime) -> Iterator[TestClient]:
    """The API with the default request size limit, so a long conversation gets through."""
    default_limit = Settings.model_fields["MAX_REQUEST_BYTES"].default
    roomy = settings.model_copy(update={"MAX_REQUEST_BYTES": default_limit})
    with Runtime.start(roomy) as started, TestClient(create_app(started)) as test_client:
        yield test_client


def test_ten_thousand_turns_meet_the_turn_limit(roomy_client: TestClient, tenant: Tenant) -> None:
    line = ("Dana Whitfield", "We went over the rollout plan again with the whole team today.")
    body = conversation("marathon", [line] * 10_000)
    response = roomy_client.post("/conversations", json=body, headers=tenant.headers)
    assert response.status_code == 422, response.text
    assert "MAX_CONVERSATION_TURNS" in response.json()["error"]["message"]
    assert fields_of(response) == ["body.turns"]
