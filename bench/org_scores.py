"""Scores on real, published organisations, imported and scored through the service.

Prints, for each study: who comes out on top, and the Spearman rank correlation between
formal rank and the computed influence / decision power.

    python -m bench.org_scores

Uses DATABASE_URL if set, else the embedded stores under a temporary DATA_DIR.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from scipy.stats import spearmanr
from sqlalchemy import select

from app.runtime import Runtime
from app.settings import load_settings
from core.db import unit_of_work
from core.tenancy import service as tenancy
from plans import service as accounts
from plans.map.org_import import OrgImport, import_org
from plans.map.scores import recompute_account
from plans.map.tables import ScoreRow
from plans.tables import StakeholderRow
from scoring.titles import title_rule
from tests.support import organisations


def score(
    runtime: Runtime, workspace_id: object, name: str, organisation: OrgImport
) -> tuple[dict[str, ScoreRow], float]:
    started = time.perf_counter()
    with unit_of_work(runtime.session_factory) as session:
        account = accounts.create_account(session, workspace_id, accounts.AccountCreate(name=name))  # type: ignore[arg-type]
        import_org(session, workspace_id, account.id, organisation)  # type: ignore[arg-type]
        recompute_account(session, workspace_id, account.id, runtime.relationship_weights)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    with unit_of_work(runtime.session_factory) as session:
        rows = session.execute(
            select(StakeholderRow.external_ref, ScoreRow)
            .join(ScoreRow, ScoreRow.stakeholder_id == StakeholderRow.id)
            .where(StakeholderRow.account_id == account.id)
        ).all()
    return {str(ref): row for ref, row in rows}, elapsed


def top(scores: dict[str, ScoreRow], field: str, count: int, names: dict[str, str]) -> str:
    ranked = sorted(scores, key=lambda ref: -getattr(scores[ref], field))[:count]
    return ", ".join(f"{names.get(ref, ref)} ({getattr(scores[ref], field):.1f})" for ref in ranked)


def rho(rank: Sequence[float], values: Sequence[float]) -> float:
    return float(spearmanr(rank, values).statistic)


def main() -> None:
    settings = load_settings(DATA_DIR=Path(tempfile.mkdtemp(prefix="bench-orgs-")))
    with Runtime.start(settings) as runtime:
        with unit_of_work(runtime.session_factory) as session:
            workspace = tenancy.ensure_workspace(session, f"orgs-{int(time.time())}").id

        florentine = organisations.florentine()
        scores, _ = score(runtime, workspace, "Florence", florentine)
        print(
            f"Florentine families (Padgett & Ansell 1993): top influence"
            f" {top(scores, 'influence', 3, {})}"
        )

        karate = organisations.karate()
        scores, _ = score(runtime, workspace, "Karate", karate)
        print(
            f"Karate club (Zachary 1977): top influence {top(scores, 'influence', 3, {})} "
            "(instructor = 0, administrator = 33)"
        )

        for titled in (False, True):
            organisation, levels = organisations.krackhardt(with_titles=titled)
            scores, _ = score(runtime, workspace, f"Krackhardt {titled}", organisation)
            refs = sorted(levels)
            rank = [-levels[r] for r in refs]
            label = "with titles from the org chart" if titled else "network only (no titles)"
            print(
                f"Krackhardt high-tech managers, {label}: Spearman(rank, influence) "
                f"{rho(rank, [scores[r].influence for r in refs]):.2f}, "
                f"Spearman(rank, decision power)"
                f" {rho(rank, [scores[r].decision_power for r in refs]):.2f}; "
                f"top influence {top(scores, 'influence', 3, {'7': '7 (CEO)'})}"
            )

        enron = organisations.enron()
        scores, elapsed = score(runtime, workspace, "Enron", enron)
        titles = {p.ref: p.title for p in enron.people}
        names = {p.ref: p.name for p in enron.people}
        refs = sorted(scores)
        formal = [title_rule(titles[r]).decision_power for r in refs]
        network_part = [
            sum(
                c["points"]
                for c in scores[r].evidence["influence"]["contributions"]
                if c["kind"] == "centrality"
            )
            for r in refs
        ]
        print(
            f"Enron (Perry & Wolfe), {len(refs)} people, e-mail network + titles: "
            f"Spearman(title rank, influence)"
            f" {rho(formal, [scores[r].influence for r in refs]):.2f}, "
            f"Spearman(title rank, centrality part alone) {rho(formal, network_part):.2f}; "
            f"top influence {top(scores, 'influence', 3, names)}; imported and scored in"
            f" {elapsed:.1f} s"
        )

        eu = organisations.email_eu_core()
        scores, elapsed = score(runtime, workspace, "EU core", eu)
        print(
            f"email-Eu-core, {len(scores)} people, no formal rank (not correlated): "
            f"imported and scored in {elapsed:.1f} s"
        )


if __name__ == "__main__":
    main()
