"""The political map through the API against the real stores: profiles with explained
scores, overrides, roles, merges, and the graph queries (paths, blockers, warm intros,
coverage gaps, org chart)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.runtime import Runtime
from tests.conftest import Tenant
from tests.integration.test_ingest import CATALOGUE, DISCOVERY, conversation, post

PEOPLE = [
    ("ceo", "Ava Chen", "CEO"),
    ("cfo", "Priya Raman", "CFO"),
    ("vp", "Dana Whitfield", "VP, Data Platform"),
    ("mgr", "Marcus Bell", "Manager, Data Engineering"),
    ("ciso", "Alan Osei", "CISO"),
    ("an", "Tom Reilly", "Analyst"),
]
TIES = [
    ("mgr", "vp", "reports_to", 1.0),
    ("vp", "ceo", "reports_to", 0.3),
    ("cfo", "ceo", "reports_to", 0.9),
    ("ciso", "ceo", "reports_to", 1.0),
    ("an", "ciso", "reports_to", 1.0),
    ("vp", "cfo", "defers_to", 0.9),
    ("ciso", "cfo", "allied_with", 0.6),
]


@pytest.fixture
def account(client: TestClient, tenant: Tenant, runtime: Runtime) -> dict[str, Any]:
    account = client.post(
        "/accounts",
        json={"name": "Helix Health", "domain": "helixhealth.org"},
        headers=tenant.headers,
    ).json()
    body = {
        "people": [{"ref": ref, "name": name, "title": title} for ref, name, title in PEOPLE],
        "ties": [{"source": s, "target": t, "kind": k, "weight": w} for s, t, k, w in TIES],
    }
    imported = client.post(
        f"/accounts/{account['id']}/org-import", json=body, headers=tenant.headers
    )
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"people": 6, "ties": 7}
    people = {
        s["full_name"]: s["id"]
        for s in client.get(
            f"/accounts/{account['id']}/stakeholders", headers=tenant.headers
        ).json()
    }
    for name, role in [
        ("Dana Whitfield", "champion"),
        ("Priya Raman", "economic_buyer"),
        ("Ava Chen", "decision_maker"),
        ("Alan Osei", "blocker"),
    ]:
        response = client.post(
            f"/stakeholders/{people[name]}/roles",
            json={"role": role, "reason": "from the QBR"},
            headers=tenant.headers,
        )
        assert response.status_code == 200, response.text
    conversation = {
        "external_id": "call-1",
        "account": {"id": account["id"]},
        "occurred_at": "2026-11-10T15:00:00Z",
        "channel": "call",
        "participants": [
            {"name": "Dana Whitfield", "side": "customer"},
            {"name": "Marcus Bell", "side": "customer"},
            {"name": "Sam Ortiz", "email": "sam@lumensystems.com", "side": "ours"},
        ],
        "turns": [
            {
                "speaker": "Dana Whitfield",
                "text": "Between us, Priya is skeptical, but I'll champion this internally.",
            },
            {"speaker": "Marcus Bell", "text": "I can run the technical evaluation next week."},
            {"speaker": "Sam Ortiz", "text": "Thanks both, I'll send the evaluation plan."},
        ],
    }
    assert (
        client.post("/conversations", json=conversation, headers=tenant.headers).status_code == 201
    )
    runtime.drain()
    return {"id": account["id"], "people": people}


def url(account: dict[str, Any], path: str) -> str:
    return f"/accounts/{account['id']}/{path}"


def names(path: dict[str, Any] | None) -> list[str]:
    return [node["name"] for node in path["nodes"]] if path else []


def test_profiles_explain_every_score(
    client: TestClient, tenant: Tenant, account: dict[str, Any]
) -> None:
    priya = client.get(
        f"/stakeholders/{account['people']['Priya Raman']}", headers=tenant.headers
    ).json()
    assert priya["seniority"] == "c_level"
    assert {r["role"] for r in priya["roles"]} >= {
        "economic_buyer",
        "blocker",
    }  # the call said she is skeptical
    for name, score in priya["scores"].items():
        assert sum(e["points"] for e in score["evidence"]) == pytest.approx(
            score["value"], abs=0.011
        ), name
    kinds = {e["kind"] for e in priya["scores"]["influence"]["evidence"]}
    assert {"title_rule", "centrality"} <= kinds
    incoming = {(r["type"], r["other_name"]) for r in priya["relations"] if r["direction"] == "in"}
    assert ("DEFERS_TO", "Dana Whitfield") in incoming

    dana = client.get(
        f"/stakeholders/{account['people']['Dana Whitfield']}", headers=tenant.headers
    ).json()
    assert dana["scores"]["relationship_strength"]["value"] > 0
    trust = [e for e in dana["scores"]["relationship_strength"]["evidence"] if e["kind"] == "trust"]
    assert trust and "Between us" in trust[0]["quote"]


def test_shortest_and_strongest_paths_differ_when_they_should(
    client: TestClient, tenant: Tenant, account: dict[str, Any]
) -> None:
    (champion_to_buyer,) = client.get(
        url(account, "paths"),
        params={"from": "champion", "to": "economic_buyer"},
        headers=tenant.headers,
    ).json()
    assert names(champion_to_buyer["shortest"]) == ["Dana Whitfield", "Priya Raman"]

    dana, ava = account["people"]["Dana Whitfield"], account["people"]["Ava Chen"]
    (pair,) = client.get(
        url(account, "paths"), params={"from": dana, "to": ava}, headers=tenant.headers
    ).json()
    assert names(pair["shortest"]) == ["Dana Whitfield", "Ava Chen"]  # one weak hop
    assert names(pair["strongest"]) == ["Dana Whitfield", "Priya Raman", "Ava Chen"]
    assert pair["strongest"]["strength"] == pytest.approx(0.9 * 0.9, abs=1e-3)
    assert pair["strongest"]["strength"] > pair["shortest"]["strength"]

    unknown = client.get(
        url(account, "paths"),
        params={"from": "nobody", "to": "economic_buyer"},
        headers=tenant.headers,
    )
    assert (
        unknown.status_code == 422
        and unknown.json()["error"]["details"]["fields"][0]["field"] == "query.from"
    )


def test_blockers_near_deciders_and_who_could_neutralise_them(
    client: TestClient, tenant: Tenant, account: dict[str, Any]
) -> None:
    found = client.get(url(account, "blockers"), params={"hops": 1}, headers=tenant.headers).json()
    near_ava = next(item for item in found if item["decision_maker"]["name"] == "Ava Chen")
    alan = next(b for b in near_ava["blockers"] if b["name"] == "Alan Osei")
    assert alan["hops"] == 1
    assert {n["name"] for n in alan["neutralisers"]} >= {"Ava Chen", "Tom Reilly"} - {"Tom Reilly"}
    helpers = {(n["name"], n["via"]) for n in alan["neutralisers"]}
    assert ("Ava Chen", "REPORTS_TO") in helpers  # Alan reports to Ava


def test_warm_introductions_start_from_our_people(
    client: TestClient, tenant: Tenant, account: dict[str, Any]
) -> None:
    (answer,) = client.get(
        url(account, "warm-intros"), params={"target": "economic_buyer"}, headers=tenant.headers
    ).json()
    best = answer["intros"][0]
    assert best["from"]["name"] == "Sam Ortiz"
    assert [n["name"] for n in best["path"]] == ["Sam Ortiz", "Dana Whitfield", "Priya Raman"]
    assert 0 < best["strength"] < 0.9


def test_coverage_gaps_and_org_chart(
    client: TestClient, tenant: Tenant, account: dict[str, Any]
) -> None:
    gaps = client.get(url(account, "coverage-gaps"), headers=tenant.headers).json()
    assert {d["name"] for d in gaps["uncovered_deciders"]} == {"Ava Chen", "Priya Raman"}

    (root,) = client.get(url(account, "org-chart"), headers=tenant.headers).json()
    assert root["name"] == "Ava Chen"
    reports = {r["name"]: r for r in root["reports"]}
    assert set(reports) == {"Dana Whitfield", "Priya Raman", "Alan Osei"}
    assert [r["name"] for r in reports["Dana Whitfield"]["reports"]] == ["Marcus Bell"]


def test_a_deal_worked_with_one_person_is_single_threaded_until_another_takes_part(
    client: TestClient, tenant: Tenant
) -> None:
    sales = client
    catalogue = {"product_lines": CATALOGUE["product_lines"]}
    assert sales.put("/config/catalogue", json=catalogue, headers=tenant.headers).is_success
    created = post(sales, tenant, conversation("call-1", DISCOVERY)).json()
    (deal,) = created["opportunities"]
    account = {"id": created["account_id"]}

    def single_threaded() -> list[dict[str, Any]]:
        gaps = sales.get(url(account, "coverage-gaps"), headers=tenant.headers).json()
        return list(gaps["single_threaded_opportunities"])

    assert single_threaded() == [{"opportunity_id": deal["id"], "contacts": ["Dana Whitfield"]}]

    with_the_cfo = conversation(
        "call-2",
        [("Priya Raman", "Legal is reviewing the MSA redlines for Lumen Pipelines now.")],
        "2026-02-02T15:00:00Z",
    )
    with_the_cfo["participants"].append({"name": "Priya Raman", "title": "CFO", "side": "customer"})
    updated = post(sales, tenant, with_the_cfo).json()
    assert [o["id"] for o in updated["opportunities"]] == [deal["id"]]
    assert single_threaded() == []


def test_the_account_graph_is_ready_to_draw_and_filterable(
    client: TestClient, tenant: Tenant, account: dict[str, Any]
) -> None:
    graph = client.get(url(account, "graph"), headers=tenant.headers).json()
    kinds = {n["kind"] for n in graph["nodes"]}
    assert kinds == {"stakeholder", "our_person"}
    types = {e["type"] for e in graph["edges"]}
    assert {"REPORTS_TO", "DEFERS_TO", "ALLIED_WITH", "INTERACTS_WITH"} <= types
    assert all(0 < e["weight"] <= 1 for e in graph["edges"])
    deciders = client.get(
        url(account, "graph"),
        params={"role": ["decision_maker", "economic_buyer"]},
        headers=tenant.headers,
    ).json()
    assert {n["name"] for n in deciders["nodes"] if n["kind"] == "stakeholder"} == {
        "Ava Chen",
        "Priya Raman",
    }
    senior = client.get(
        url(account, "graph"), params={"min_decision_power": 7}, headers=tenant.headers
    ).json()
    assert all(n["decision_power"] >= 7 for n in senior["nodes"] if n["kind"] == "stakeholder")


def test_overrides_win_are_audited_and_clear(
    client: TestClient, tenant: Tenant, account: dict[str, Any], runtime: Runtime
) -> None:
    marcus = account["people"]["Marcus Bell"]
    before = client.get(f"/stakeholders/{marcus}", headers=tenant.headers).json()["scores"][
        "influence"
    ]["value"]
    body = {"score": "influence", "value": 9, "reason": "the CEO's nephew"}
    after = client.post(
        f"/stakeholders/{marcus}/overrides",
        json=body,
        headers={**tenant.headers, "X-Actor": "Sam Ortiz"},
    ).json()
    influence = after["scores"]["influence"]
    assert influence["value"] == 9 and influence["overridden"]
    assert (
        influence["override"]["previous_value"] == before
        and influence["override"]["by"] == "Sam Ortiz"
    )
    assert influence["evidence"][-1]["kind"] == "override"
    assert sum(e["points"] for e in influence["evidence"]) == pytest.approx(9, abs=0.011)
    runtime.drain()
    node = next(
        n
        for n in client.get(url(account, "graph"), headers=tenant.headers).json()["nodes"]
        if n["id"] == marcus
    )
    assert node["influence"] == 9

    cleared = client.delete(
        f"/stakeholders/{marcus}/overrides/influence",
        params={"reason": "not true"},
        headers=tenant.headers,
    ).json()
    assert (
        cleared["scores"]["influence"]["value"] == before
        and not cleared["scores"]["influence"]["overridden"]
    )
    history = client.get(f"/stakeholders/{marcus}/overrides", headers=tenant.headers).json()
    assert history[0]["cleared_by"] and history[0]["clear_reason"] == "not true"
    bad = client.post(
        f"/stakeholders/{marcus}/overrides",
        json={"score": "influence", "value": 11, "reason": "x!!"},
        headers=tenant.headers,
    )
    assert (
        bad.status_code == 422
        and bad.json()["error"]["details"]["fields"][0]["field"] == "body.value"
    )


def test_roles_can_be_scoped_and_removed(
    client: TestClient, tenant: Tenant, account: dict[str, Any]
) -> None:
    alan = account["people"]["Alan Osei"]
    body = {
        "role": "champion",
        "scope": {"kind": "aspect", "aspect": "security review"},
        "reason": "loves our SSO story",
    }
    profile = client.post(f"/stakeholders/{alan}/roles", json=body, headers=tenant.headers).json()
    scoped = next(r for r in profile["roles"] if r["role"] == "champion")
    assert scoped["scope"] == {
        "kind": "aspect",
        "aspect": "security review",
        "opportunity_id": None,
    }
    assert any(
        r["role"] == "blocker" for r in profile["roles"]
    )  # champion on one aspect, blocker overall
    removed = client.delete(
        f"/stakeholders/{alan}/roles/{scoped['id']}",
        params={"reason": "changed his mind"},
        headers=tenant.headers,
    ).json()
    assert all(r["role"] != "champion" for r in removed["roles"])
    missing_aspect = client.post(
        f"/stakeholders/{alan}/roles",
        json={"role": "champion", "scope": {"kind": "aspect"}, "reason": "x!!"},
        headers=tenant.headers,
    )
    assert missing_aspect.status_code == 422


def test_merging_keeps_all_evidence_and_edges(
    client: TestClient, tenant: Tenant, account: dict[str, Any], runtime: Runtime
) -> None:
    extra = {"people": [{"ref": "dup", "name": "D. Whitfield", "title": "VP Data"}], "ties": []}
    client.post(
        url(account, "org-import"),
        json={**extra, "people": extra["people"]},
        headers=tenant.headers,
    )
    people = {
        s["full_name"]: s["id"]
        for s in client.get(url(account, "stakeholders"), headers=tenant.headers).json()
    }
    duplicate, dana = people["D. Whitfield"], people["Dana Whitfield"]
    edges_before = {
        (r["type"], r["other_name"])
        for r in client.get(f"/stakeholders/{dana}", headers=tenant.headers).json()["relations"]
    }
    merged = client.post(
        f"/stakeholders/{dana}/merge",
        json={"duplicate_id": duplicate, "reason": "same person"},
        headers=tenant.headers,
    )
    assert merged.status_code == 200, merged.text
    assert {(r["type"], r["other_name"]) for r in merged.json()["relations"]} >= edges_before
    assert client.get(f"/stakeholders/{duplicate}", headers=tenant.headers).status_code == 404
    runtime.drain()
    graph_ids = {
        n["id"] for n in client.get(url(account, "graph"), headers=tenant.headers).json()["nodes"]
    }
    assert duplicate not in graph_ids and dana in graph_ids


def test_another_workspace_sees_none_of_it(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, account: dict[str, Any]
) -> None:
    dana = account["people"]["Dana Whitfield"]
    assert client.get(f"/stakeholders/{dana}", headers=other_tenant.headers).status_code == 404
    assert client.get(url(account, "graph"), headers=other_tenant.headers).status_code == 404
    body = {"score": "influence", "value": 1, "reason": "sabotage"}
    assert (
        client.post(
            f"/stakeholders/{dana}/overrides", json=body, headers=other_tenant.headers
        ).status_code
        == 404
    )
