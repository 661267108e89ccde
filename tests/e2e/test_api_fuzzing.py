"""Schemathesis over every operation of the API: no request, however odd, is answered
with a server error.

It runs in process against the real app on the real stores, as `st run` would (its
examples, coverage, fuzzing and stateful phases), with a workspace holding the demo's
accounts, conversations, deals and people and an open CRM conflict, and with the ids of
those records as the values of path parameters (and of the bodies and queries that name
records), so that operations reach their 200 paths, not only their 404s. The seed is
fixed so a failure can be replayed; the number of examples per operation is bounded to
keep the suite short. Each operation's answers are written to
test-artifacts/api-fuzzing.txt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.core.result import Ok
from schemathesis.engine import events, from_schema

from app.main import create_app
from app.runtime import Runtime
from connectors.mapping import ConflictRule
from tests.conftest import Tenant
from tests.integration.test_crm_sync import load_deals
from tests.integration.test_crm_sync_api import both_edit, with_rule
from tests.support.notion_sync import notion_sync

EXAMPLES_PER_OPERATION = 10
SEED = 20_260_112
# A Notion delivery is signed with a token only Notion and the connection know.
NO_SUCCESS_EXPECTED = {"POST /webhooks/notion/{connection_id}"}
SUMMARY = Path(__file__).parents[2] / "test-artifacts" / "api-fuzzing.txt"


@dataclass
class Records:
    """Ids of the workspace's records, by the dictionary that offers them."""

    ids: dict[str, list[str]] = field(default_factory=dict)


def workspace_records(runtime: Runtime, tenant: Tenant, client: TestClient) -> Records:
    """An open CRM conflict (through the Notion emulator), then the demo's records."""
    with notion_sync(runtime, tenant.workspace.id) as sync:
        with_rule(sync, runtime, tenant, "industry", ConflictRule.MANUAL)
        both_edit(sync, runtime, tenant, "industry", "Pharma", {"select": {"name": "Medtech"}})
        connection = str(sync.connection_id)
    load_deals(runtime, tenant)

    def get(path: str) -> Any:
        response = client.get(path, headers=tenant.headers)
        assert response.status_code == 200, response.text
        return response.json()

    accounts = [a["id"] for a in get("/accounts?limit=200")["items"]]
    people_by_account = [[s["id"] for s in get(f"/accounts/{a}/stakeholders")] for a in accounts]
    people = [person for group in people_by_account for person in group]
    return Records(
        {
            "accounts": accounts,
            "colleagues": max(people_by_account, key=len),
            "opportunities": [o["id"] for o in get("/opportunities?limit=200")["items"]],
            "conversations": [c["id"] for c in get("/conversations?limit=200")["items"]],
            "people": people,
            "roles": [r["id"] for p in people for r in get(f"/stakeholders/{p}")["roles"]],
            "conflicts": [c["id"] for c in get("/sync/conflicts")["items"]],
            "connections": [connection],
            "targets": ["champion", "economic_buyer", "decision_maker", "blocker", *people],
        }
    )


# Where each dictionary's values go; the rest of the time a value is generated.
BINDINGS = {
    "path.account_id": "accounts",
    "path.opportunity_id": "opportunities",
    "path.conversation_id": "conversations",
    "path.stakeholder_id": "people",
    "path.role_id": "roles",
    "path.conflict_id": "conflicts",
    "path.connection_id": "connections",
    "query.account_id": "accounts",
    "query.from": "targets",
    "query.to": "targets",
    "query.target": "targets",
    "body.account.id": "accounts",
    "body.duplicate_id": "people",
    "body.scope.opportunity_id": "opportunities",
}


def fuzzing_config(records: Records, tenant: Tenant) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "workers": 1,
            "headers": {"Authorization": f"Bearer {tenant.key}"},
            "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "database": "none"},
            "dictionaries": {name: {"values": ids} for name, ids in records.ids.items() if ids},
            "parameters": {
                where: {"dictionary": name, "probability": 0.9}
                for where, name in BINDINGS.items()
                if records.ids[name]
            },
            "operations": [
                {
                    # Two records of one person are two people of one account.
                    "include-name": "POST /stakeholders/{stakeholder_id}/merge",
                    "parameters": {
                        where: {"dictionary": "colleagues", "probability": 0.9}
                        for where in ("path.stakeholder_id", "body.duplicate_id")
                    },
                }
            ],
        }
    )


@dataclass
class Run:
    cases: Counter[str] = field(default_factory=Counter)
    answers: dict[str, Counter[int]] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def take(self, event: events.EngineEvent) -> None:
        if isinstance(event, events.ScenarioFinished):
            label = event.recorder.label
            self.cases[label] += len(event.recorder.cases)
            answers = self.answers.setdefault(label, Counter())
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    answers[interaction.response.status_code] += 1
        elif isinstance(event, events.EngineFinished):
            self.server_errors += [str(failure) for failure in event.failures]
        elif isinstance(event, events.NonFatalError) and event.related_to_operation:
            # In process, an exception escaping the app is what a server answers with a 500.
            raised = f"{type(event.value).__name__}: {event.value}".splitlines()[0]
            self.server_errors.append(f"{event.label} raised {raised}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            self.problems.append(str(event))

    def without_success(self) -> set[str]:
        return {
            label
            for label, answers in self.answers.items()
            if label != "Stateful tests" and not any(200 <= code < 300 for code in answers)
        }

    def summary(self) -> str:
        lines = [
            f"{len(self.cases) - 1} operations and the stateful scenarios; "
            f"{sum(self.cases.values())} cases; {len(self.server_errors)} server errors",
            *sorted(Counter(error[:200] for error in self.server_errors)),
        ]
        for label in sorted(self.answers):
            counts = ", ".join(f"{code}: {n}" for code, n in sorted(self.answers[label].items()))
            lines.append(f"{label}: {self.cases[label]} cases ({counts})")
        return "\n".join(lines) + "\n"


@pytest.mark.slow
# Hypothesis warns while it prints a large failing example; the failure is what matters.
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_no_operation_answers_with_a_server_error(
    runtime: Runtime, tenant: Tenant, client: TestClient
) -> None:
    records = workspace_records(runtime, tenant, client)
    app = create_app(runtime)
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", app, config=fuzzing_config(records, tenant)
    )
    run = Run()
    for event in from_schema(schema).execute():
        run.take(event)
    SUMMARY.parent.mkdir(exist_ok=True)
    SUMMARY.write_text(run.summary())

    assert run.server_errors == [], run.summary()
    assert run.problems == []
    operations = {
        f"{found.ok().method.upper()} {found.ok().path}"
        for found in schema.get_all_operations()
        if isinstance(found, Ok)
    }
    assert set(run.cases) - {"Stateful tests"} == operations, "every operation was tested"
    assert run.without_success() == NO_SUCCESS_EXPECTED, run.summary()
