"""The web page in a real browser: time from navigation to a drawn influence graph, for an
organisation of 200 people and one of 2,000, as a ratio.

Each organisation is synthetic (a seeded reporting tree across departments, with titles
from CEO down to analysts, plus influence, alliance, deference and opposition ties and a
few roles), imported through `POST /accounts/{id}/org-import` and projected into the graph
by the service's own workers. Every run opens a fresh browser context (empty cache) on the
account view and reads the page's `graph-drawn` performance mark: milliseconds from
navigation start to the first frame drawn after the layout.

    python -m bench.page_render [--runs 5] [--sizes 200,2000]

Uses DATABASE_URL / GRAPH_URL if set, else embedded stores under a temporary DATA_DIR;
drives Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, sync_playwright

from app.main import create_app
from app.runtime import Runtime
from app.settings import load_settings
from core.db import unit_of_work
from core.tenancy import service as tenancy
from core.tenancy.models import Scope
from tests.e2e.web_browser import (
    LAPTOP,
    PAINTED_PIXELS,
    launch_chromium,
    signed_in_page,
)
from tests.support.serving import serving

DEPARTMENTS = [
    "Finance", "IT", "Operations", "Sales", "Marketing",
    "Legal", "People", "Procurement", "Security", "Data",
]  # fmt: skip
FIRST = ["Alex", "Sam", "Jordan", "Priya", "Chen", "Maria", "Tom", "Aisha", "Luca", "Ines"]
LAST = ["Morgan", "Patel", "Okafor", "Rossi", "Nguyen", "Schmidt", "Dubois", "Silva", "Kim"]
TITLES = {
    1: "VP of {department}",
    2: "Director of {department}",
    3: "{department} Manager",
    4: "Senior {department} Analyst",
    5: "{department} Analyst",
}
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
DRAWN = """() => {
  const mark = performance.getEntriesByName('graph-drawn')[0];
  const data = performance.getEntriesByName('graph-data')[0];
  return {
    drawn: mark.startTime, data: data.startTime, layout: mark.detail.layoutMs,
    nodes: mark.detail.nodes,
  };
}"""


def level_of(index: int, size: int) -> int:
    """A pyramid: the CEO, a VP per department, then ~8% directors, ~17% managers."""
    if index == 0:
        return 0
    if index <= len(DEPARTMENTS):
        return 1
    share = index / size
    return 2 if share < 0.08 else 3 if share < 0.25 else 4 if share < 0.55 else 5


def organisation(size: int, seed: int = 7) -> dict[str, Any]:
    """`size` people in a reporting tree, with cross-cutting ties (seeded, so repeatable)."""
    rng = random.Random(seed)
    people: list[dict[str, Any]] = []
    ties: list[dict[str, Any]] = []
    by_level: dict[tuple[int, str], list[str]] = {}
    for index in range(size):
        level = level_of(index, size)
        department = DEPARTMENTS[(index - 1) % len(DEPARTMENTS)] if index else "Executive"
        ref = f"p{index}"
        name = f"{FIRST[index % len(FIRST)]} {LAST[(index // len(FIRST)) % len(LAST)]} {index}"
        title = TITLES[level].format(department=department) if level else "Chief Executive Officer"
        people.append({"ref": ref, "name": name, "title": title, "department": department})
        if level:
            managers = by_level.get((level - 1, department), [])
            managers = managers or by_level.get((level - 2, department), [])
            manager = rng.choice(managers) if managers else "p0"
            ties.append({"source": ref, "target": manager, "kind": "reports_to"})
        by_level.setdefault((level, department), []).append(ref)
    refs = [p["ref"] for p in people]
    colleagues: dict[str, list[str]] = {}
    for person in people:
        colleagues.setdefault(person["department"], []).append(person["ref"])
    for kind, count in (
        ("influences", size // 3),
        ("allied_with", size // 5),
        ("defers_to", size // 20),
        ("opposes", max(1, size // 40)),
    ):
        for _ in range(count):
            source = rng.choice(refs)
            # Most ties stay inside a department, as in real organisations.
            pool = colleagues[people[int(source[1:])]["department"]]
            target = rng.choice(pool if rng.random() < 0.8 and len(pool) > 1 else refs)
            if target == source:
                continue
            weight = round(rng.uniform(0.3, 1.0), 2)
            ties.append({"source": source, "target": target, "kind": kind, "weight": weight})
    return {"people": people, "ties": ties}


ROLES = [
    ("economic_buyer", "Chief Executive Officer"),
    ("decision_maker", "VP of Finance"),
    ("decision_maker", "VP of IT"),
    ("champion", "Director of IT"),
    ("champion", "Director of Data"),
    ("blocker", "Director of Security"),
    ("blocker", "Procurement Manager"),
    ("influencer", "Director of Operations"),
]


def give_roles(http: httpx.Client, account_id: str) -> None:
    """A few roles, so the drawing has colours and marks (first person with each title)."""
    graph = http.get(f"/accounts/{account_id}/graph").json()
    for role, title in ROLES:
        person = next((n for n in graph["nodes"] if n["title"] == title), None)
        if person is not None:
            http.post(
                f"/stakeholders/{person['id']}/roles",
                json={"role": role, "scope": {"kind": "account"}, "reason": "bench organisation"},
            ).raise_for_status()


def prepare(runtime: Runtime, http: httpx.Client, size: int) -> str:
    account = http.post("/accounts", json={"name": f"Synthetic {size}"}).json()
    http.post(f"/accounts/{account['id']}/org-import", json=organisation(size)).raise_for_status()
    runtime.drain()  # the graph workers project the import, so roles can find people by title
    give_roles(http, account["id"])
    runtime.drain()
    return str(account["id"])


def measure(
    browser: Browser, base_url: str, key: str, account_id: str, screenshot: Path | None = None
) -> dict[str, float]:
    """One cold load of the account view: navigation start to the drawn graph (ms)."""
    page = signed_in_page(browser, base_url, key, viewport=LAPTOP)
    try:
        page.goto(f"{base_url}/app/#/accounts/{account_id}")
        page.wait_for_selector("#graph[data-state=drawn]", timeout=300_000)
        result: dict[str, float] = page.evaluate(DRAWN)
        if page.evaluate(PAINTED_PIXELS) == 0:
            raise RuntimeError("the graph was reported drawn but the canvas is empty")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
        return result
    finally:
        page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="200,2000")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(DATA_DIR=Path(data_dir))
        with Runtime.start(settings) as runtime:
            with unit_of_work(runtime.session_factory) as session:
                workspace = tenancy.ensure_workspace(session, f"bench-page-{time.time_ns()}")
                key = tenancy.issue_key(session, workspace, [Scope.ADMIN], "bench").secret
            with (
                serving(create_app(runtime)) as base_url,
                httpx.Client(
                    base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=600
                ) as http,
                sync_playwright() as playwright,
            ):
                browser = launch_chromium(playwright)
                medians = run_all(runtime, http, browser, base_url, key, sizes, options.runs)
                browser.close()
    if len(sizes) == 2:
        small, large = sizes
        print(
            f"\nnavigation -> drawn graph, {large:,} / {small:,} people: "
            f"{medians[large] / medians[small]:.2f}x"
        )


def run_all(
    runtime: Runtime,
    http: httpx.Client,
    browser: Browser,
    base_url: str,
    key: str,
    sizes: list[int],
    runs: int,
) -> dict[int, float]:
    medians: dict[int, float] = {}
    print("medians in ms: navigation -> API data in hand -> layout and first frame = drawn")
    print(f"{'people':>7} {'nodes':>7} {'runs':>5} {'data':>8} {'layout':>8} {'drawn':>8}")
    for size in sizes:
        account_id = prepare(runtime, http, size)
        # A first load warms the server (not counted) and leaves a screenshot to look at.
        measure(browser, base_url, key, account_id, ARTIFACTS / f"page-render-{size}.png")
        results = [measure(browser, base_url, key, account_id) for _ in range(runs)]
        medians[size] = statistics.median(r["drawn"] for r in results)
        data = statistics.median(r["data"] for r in results)
        layout = statistics.median(r["layout"] for r in results)
        nodes = int(results[0]["nodes"])
        print(
            f"{size:>7,} {nodes:>7,} {runs:>5} {data:>8,.0f} {layout:>8,.0f} {medians[size]:>8,.0f}"
        )
    return medians


if __name__ == "__main__":
    main()
