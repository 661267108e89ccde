"""Influence and decision power on real, published organisations, imported through the
same path a customer's org chart takes, scored by the service against the real stores."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from scipy.stats import spearmanr
from sqlalchemy import select

from app.runtime import Runtime
from core.db import unit_of_work
from plans import service as accounts
from plans.map.org_import import OrgImport, import_org
from plans.map.scores import recompute_account
from plans.map.tables import ScoreRow
from plans.tables import StakeholderRow
from scoring.titles import title_rule
from tests.conftest import Tenant
from tests.support import organisations


def scored(
    runtime: Runtime, tenant: Tenant, name: str, organisation: OrgImport
) -> dict[str, ScoreRow]:
    """Import into a new account, score it, and return scores by the source's ref."""
    with unit_of_work(runtime.session_factory) as session:
        account = accounts.create_account(
            session, tenant.workspace.id, accounts.AccountCreate(name=name)
        )
        import_org(session, tenant.workspace.id, account.id, organisation)
        recompute_account(session, tenant.workspace.id, account.id, runtime.relationship_weights)
    with unit_of_work(runtime.session_factory) as session:
        rows = session.execute(
            select(StakeholderRow.external_ref, ScoreRow)
            .join(ScoreRow, ScoreRow.stakeholder_id == StakeholderRow.id)
            .where(StakeholderRow.account_id == account.id)
        ).all()
    return {str(ref): score for ref, score in rows}


def ranked(scores: dict[str, ScoreRow], field: str) -> list[str]:
    return sorted(scores, key=lambda ref: -getattr(scores[ref], field))


def test_the_medici_come_out_first_on_influence(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    """Padgett & Ansell (1993): the Medici's power came from their brokerage position."""
    account = client.post(
        "/accounts", json={"name": "Florence, 1430"}, headers=tenant.headers
    ).json()
    body = organisations.florentine().model_dump(mode="json")
    response = client.post(
        f"/accounts/{account['id']}/org-import", json=body, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    runtime.drain()
    nodes = client.get(f"/accounts/{account['id']}/graph", headers=tenant.headers).json()["nodes"]
    by_influence = sorted(
        (n for n in nodes if n["kind"] == "stakeholder"), key=lambda n: -n["influence"]
    )
    assert by_influence[0]["name"] == "Medici"
    medici = client.get(f"/stakeholders/{by_influence[0]['id']}", headers=tenant.headers).json()
    terms = {
        e["label"].split(":")[0]
        for e in medici["scores"]["influence"]["evidence"]
        if e["kind"] == "centrality"
    }
    assert terms == {"others look to them", "broker between groups"}


def test_karate_club_instructor_and_administrator_are_the_top_two(
    runtime: Runtime, tenant: Tenant
) -> None:
    """Zachary (1977): the club split between the instructor (0) and the administrator (33)."""
    scores = scored(runtime, tenant, "Karate club", organisations.karate())
    assert set(ranked(scores, "influence")[:2]) == {"0", "33"}


def test_krackhardt_managers_formal_rank_agrees_with_scores(
    runtime: Runtime, tenant: Tenant
) -> None:
    """Krackhardt (1987): advice centrality lines up with formal rank, not perfectly."""
    organisation, levels = organisations.krackhardt(with_titles=False)
    network_only = scored(runtime, tenant, "High-tech (no titles)", organisation)
    refs = sorted(levels)
    rank = [-levels[r] for r in refs]  # level 1 (CEO) is the highest rank
    rho_influence = spearmanr(rank, [network_only[r].influence for r in refs]).statistic
    assert rho_influence > 0.3, rho_influence  # the network alone recovers much of the rank

    titled, _ = organisations.krackhardt(with_titles=True)
    with_titles = scored(runtime, tenant, "High-tech (org chart)", titled)
    rho_decision = spearmanr(rank, [with_titles[r].decision_power for r in refs]).statistic
    assert rho_decision > 0.8, rho_decision
    assert ranked(with_titles, "decision_power")[0] == "7"  # the CEO


def test_enron_titles_and_email_network(runtime: Runtime, tenant: Tenant) -> None:
    organisation = organisations.enron()
    scores = scored(runtime, tenant, "Enron", organisation)
    titles = {p.ref: p.title for p in organisation.people}
    refs = sorted(scores)
    formal = [title_rule(titles[r]).decision_power for r in refs]
    rho = spearmanr(formal, [scores[r].influence for r in refs]).statistic
    assert rho > 0.3, rho


def test_a_thousand_person_email_network_scores(runtime: Runtime, tenant: Tenant) -> None:
    scores = scored(runtime, tenant, "EU research institution", organisations.email_eu_core())
    assert len(scores) == 1005
    assert all(0 <= s.influence <= 10 for s in scores.values())
    assert uuid.UUID(str(next(iter(scores.values())).stakeholder_id))
