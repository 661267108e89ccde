"""The rule-based extractor's opportunity decisions on the labelled conversations, through
the real API and stores: at least 90% of the opportunities it creates at the default
threshold must be real deals (recall is reported, not asserted: precision is the product's
bias). A creation on a conversation labelled "update" is a real deal whose first
conversation was missed; it counts as right for precision and is shown separately."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import Tenant

DATA = Path(__file__).parents[1] / "data"
MIN_PRECISION = 0.9


def labelled() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((DATA / "conversations").glob("*/*.json"))]


def test_creation_precision_on_the_labelled_set(client: TestClient, tenant: Tenant) -> None:
    catalogue = json.loads((DATA / "catalogue.json").read_text())["product_lines"]
    client.put("/config/catalogue", json={"product_lines": catalogue}, headers=tenant.headers)
    items = labelled()
    assert len(items) >= 40
    outcomes: dict[str, int] = defaultdict(int)
    wrong: list[str] = []
    for item in sorted(items, key=lambda c: c["occurred_at"]):
        body = {k: v for k, v in item.items() if k != "labels"}
        response = client.post("/conversations", json=body, headers=tenant.headers)
        assert response.status_code == 201, (item["external_id"], response.text)
        actions = {o["action"] for o in response.json()["opportunities"]}
        created = "created" in actions
        wanted = item["labels"]["opportunity"] == "create"
        real_deal = item["labels"]["opportunity"] in ("create", "update")
        outcome = "tp" if created and real_deal else "fp" if created else "fn" if wanted else "tn"
        if created and not wanted:
            outcomes["created_on_update"] += 1
        outcomes[outcome] += 1
        if outcome == "fp":
            wrong.append(item["external_id"])
    found = outcomes["tp"] + outcomes["fp"]
    precision = outcomes["tp"] / found if found else 1.0
    recall = (outcomes["tp"] - outcomes["created_on_update"]) / (
        outcomes["tp"] - outcomes["created_on_update"] + outcomes["fn"]
    )
    print(
        f"labelled set: {len(items)} conversations, "
        f"creation precision {precision:.2f}, recall {recall:.2f}"
    )
    assert found > 0, "the extractor created no opportunity at all"
    assert precision >= MIN_PRECISION, (dict(outcomes), wrong)
