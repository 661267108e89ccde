"""The rep's web page in a real headless Chromium against the real service (Postgres,
FalkorDB, background workers): sign in, open an account, read the evidence behind a score,
correct it, give a role, find a path, open an opportunity; names are text, never HTML."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    Response,
    expect,
    sync_playwright,
)

from app.demo import load_demo
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import Tenant
from tests.e2e.web_browser import (
    DESKTOP,
    LAPTOP,
    PAINTED_PIXELS,
    launch_chromium,
    require_chromium,
    signed_in_page,
)
from tests.helpers import eventually
from tests.support.serving import serving

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
README_SCREENSHOT = ROOT / "docs" / "account-view.png"
XSS_NAME = "<img src=x onerror=alert(1)>"
GRAPH = "window.stakeholderGraph"

pytestmark = pytest.mark.slow


@dataclass
class Demo:
    base_url: str
    key: str
    accounts: dict[str, str]  # name -> id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def get(self, path: str, **params: Any) -> Any:
        response = httpx.get(self.base_url + path, headers=self.headers, params=params)
        response.raise_for_status()
        return response.json()

    def person(self, account: str, name: str) -> str:
        graph = self.get(f"/accounts/{self.accounts[account]}/graph")
        return next(str(n["id"]) for n in graph["nodes"] if n["name"] == name)


@dataclass
class Problems:
    """What must never happen on the page: errors in the console (CSP violations are
    reported there), uncaught exceptions, dialogs (alert() from injected markup), and
    requests to any other origin. Refused API calls are kept apart, to be checked."""

    origin: str
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        page.on("dialog", self._dialog)
        page.on("request", self._request)
        page.on("response", self._response)
        return page

    def _console(self, message: ConsoleMessage) -> None:
        # Chromium logs every refused request too; those are in `refused`.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console.append(message.text)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Request) -> None:
        if not request.url.startswith(self.origin + "/"):
            self.foreign.append(request.url)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            path = response.url.removeprefix(self.origin).split("?")[0]
            self.refused.append(f"{response.status} {path}")

    def assert_clean(self) -> None:
        assert self.console == []
        assert self.dialogs == []
        assert self.foreign == []


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture
def demo(runtime: Runtime) -> Iterator[Demo]:
    """The demo workspace, the graph workers running, the service on a loopback port."""
    key = load_demo(runtime)
    runtime.drain()
    runtime.start_background_workers()
    with serving(create_app(runtime)) as base_url:
        listed = httpx.get(
            base_url + "/accounts", headers={"Authorization": f"Bearer {key}"}
        ).json()
        yield Demo(base_url, key, {a["name"]: a["id"] for a in listed["items"]})


@pytest.fixture
def problems(demo: Demo) -> Problems:
    return Problems(demo.base_url)


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def click_node(page: Page, node_id: str) -> None:
    """Click a person where Cytoscape drew them on the canvas."""
    position = page.evaluate(f"id => {GRAPH}.clientPosition(id)", node_id)
    page.mouse.click(position["x"], position["y"])


def sign_in_by_form(page: Page, demo: Demo) -> None:
    page.goto(demo.base_url + "/")
    expect(page).to_have_url(re.compile(r"/app/"))
    page.get_by_label("API key").fill("si_wrong_key")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    page.get_by_label("API key").fill(demo.key)
    page.get_by_label("Your name").fill("Jane Rep")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("table.accounts")).to_be_visible()


def open_account_by_keyboard(page: Page, name: str) -> None:
    """Tab from the top of the page to the account's link and press Enter."""
    page.locator("body").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == name:
            break
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.className]")
    assert focused == ["A", "account-link"], focused
    page.keyboard.press("Enter")


def read_the_evidence(page: Page, demo: Demo, priya: str) -> None:
    click_node(page, priya)
    person = page.locator("article.person")
    expect(person.locator(".person-name")).to_have_text("Priya Raman")
    decision_power = person.locator("section.score[data-score=decision_power]")
    expect(decision_power.locator(".evidence-title_rule")).to_contain_text("'CFO'")
    quoted = decision_power.locator(".evidence-signal blockquote").first
    expect(quoted).not_to_be_empty()  # her own words ("I approved...") or others' about her
    quote = quoted.text_content() or ""
    profile = demo.get(f"/stakeholders/{priya}")
    quoted_by_api = {c["quote"] for c in profile["scores"]["decision_power"]["evidence"]}
    assert quote in quoted_by_api  # the page shows the evidence the score was computed from
    influence = person.locator("section.score[data-score=influence]")
    expect(influence.locator(".evidence-centrality").first).to_be_visible()
    decision_power.locator(".evidence-signal a.conversation-link").first.click()
    dialog = page.locator("dialog.conversation-dialog")
    expect(dialog.locator("mark").first).to_have_text(quote)
    shoot(page, "conversation")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()


def override_influence(page: Page, priya: str) -> None:
    influence = page.locator("article.person section.score[data-score=influence]")
    before = float(influence.locator(".score-value").text_content() or "nan")
    assert before != 9.5
    influence.locator("summary").click()
    influence.get_by_label("New influence").fill("9.5")
    influence.get_by_label("Reason").fill("She chairs the steering committee")
    influence.get_by_role("button", name="Override").click()
    expect(influence.locator(".score-value")).to_have_text("9.5")
    expect(influence.locator(".badge.overridden")).to_be_visible()
    expect(influence.locator(".override-note")).to_contain_text("by Jane Rep")
    # The graph is re-fetched until the workers have carried the change into it.
    expect(page.locator(f"#graph[data-synced='{priya}']")).to_have_count(1, timeout=30_000)
    assert page.evaluate(f"id => {GRAPH}.node(id).influence", priya) == 9.5

    influence.locator("summary").click()
    influence.get_by_label("Reason").fill("The committee was disbanded")
    influence.get_by_role("button", name="Clear the override").click()
    expect(influence.locator(".badge.overridden")).to_have_count(0)
    expect(influence.locator(".score-value")).to_have_text(f"{before:g}")
    expect(page.locator(f"#graph[data-synced='{priya}']")).to_have_count(1, timeout=30_000)
    assert page.evaluate(f"id => {GRAPH}.node(id).influence", priya) == before


def filter_by_role(page: Page, demo: Demo, account_id: str, everyone: int) -> None:
    blockers = demo.get(f"/accounts/{account_id}/graph", role="blocker")["nodes"]
    assert 0 < len(blockers) < everyone
    page.get_by_role("checkbox", name="Blocker", exact=True).check()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(f"#graph[data-nodes='{len(blockers)}']")).to_have_count(1)
    assert sorted(page.evaluate(f"{GRAPH}.nodeIds()")) == sorted(n["id"] for n in blockers)
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(f"#graph[data-nodes='{everyone}']")).to_have_count(1)


def make_champion_by_keyboard(page: Page, dana: str) -> None:
    page.get_by_role("tab", name="People").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Find a person").fill("Dana")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('person-button')"):
            break
    page.keyboard.press("Enter")
    person = page.locator("article.person")
    expect(person.locator(".person-name")).to_have_text("Dana Whitfield")
    person.locator("summary", has_text="Add a role").click()
    form = page.get_by_role("form", name="Add a role")
    form.get_by_label("Role").select_option("champion")
    form.get_by_label("Reason").fill("Asked us to present to Priya")
    form.get_by_role("button", name="Add role").click()
    expect(person.locator(".person-roles .role-champion")).to_be_visible()
    expect(page.locator(f"#graph[data-synced='{dana}']")).to_have_count(1, timeout=30_000)
    assert "champion" in page.evaluate(f"id => {GRAPH}.node(id).roles", dana)


def find_a_path(page: Page, dana: str, priya: str) -> None:
    page.get_by_role("tab", name="Paths").click()
    page.get_by_label("From", exact=True).select_option("champion")
    page.get_by_label("To", exact=True).select_option("economic_buyer")
    page.get_by_role("button", name="Find paths").click()
    # Other champions the demo conversations name have their own pairs; Dana's is one.
    pair = page.locator(
        ".path-pair", has=page.locator("h4", has_text="Dana Whitfield → Priya Raman")
    )
    expect(pair).to_have_count(1)
    expect(pair.locator("li.path-shortest")).to_contain_text("1 hop")
    pair.get_by_role("button", name="Show on graph").click()
    shortest = page.evaluate(f"{GRAPH}.classed('on-shortest')")
    assert dana in shortest and priya in shortest
    assert len(page.evaluate(f"{GRAPH}.classed('faded')")) > 0  # the rest steps back


def assert_fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the window"


def test_a_rep_reads_and_corrects_the_political_map(
    demo: Demo, browser: Browser, problems: Problems
) -> None:
    context = browser.new_context(viewport=LAPTOP)
    page = problems.watch(context.new_page())
    page.set_default_timeout(20_000)
    helix = demo.accounts["Helix Health"]
    priya = demo.person("Helix Health", "Priya Raman")
    dana = demo.person("Helix Health", "Dana Whitfield")

    sign_in_by_form(page, demo)
    expect(page.locator("table.accounts tbody tr")).to_have_count(3)
    expect(page.locator("table.accounts")).to_contain_text("Negotiation")
    expect(page.locator("table.accounts meter").first).to_be_visible()
    shoot(page, "accounts")
    open_account_by_keyboard(page, "Helix Health")
    expect(page).to_have_url(re.compile(f"#/accounts/{helix}$"))

    expect(page.locator("#graph[data-state=drawn]")).to_have_count(1)
    drawn = demo.get(f"/accounts/{helix}/graph")
    assert page.evaluate(f"{GRAPH}.nodeCount()") == len(drawn["nodes"]) > 5
    assert page.evaluate(f"{GRAPH}.edgeCount()") == len(drawn["edges"]) > 5
    assert page.evaluate(PAINTED_PIXELS) > 2_000
    assert_fits(page)
    filter_by_role(page, demo, helix, len(drawn["nodes"]))

    read_the_evidence(page, demo, priya)
    override_influence(page, priya)
    make_champion_by_keyboard(page, dana)
    find_a_path(page, dana, priya)

    click_node(page, priya)
    expect(page.locator("article.person .person-name")).to_have_text("Priya Raman")
    shoot(page, "account-view-1366x768")
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    README_SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(README_SCREENSHOT))
    page.set_viewport_size(DESKTOP)
    assert_fits(page)
    shoot(page, "account-view-1920x1080")

    page.locator(".chips a", has_text="Lumen Pipelines").click()
    opportunity = page.locator("section.opportunity")
    expect(opportunity.locator("h1")).to_have_text("Helix Health - Lumen Pipelines")
    expect(opportunity.locator("table.qualification").first.locator("tbody tr")).to_have_count(8)
    expect(opportunity.locator("table.qualification").nth(1).locator("tbody tr")).to_have_count(4)
    expect(opportunity.locator(".stage-history li").first).to_contain_text("exit criteria")
    expect(opportunity.locator("table.actions tbody tr").first).to_be_visible()
    expect(opportunity.locator(".evidence-list blockquote").first).to_be_visible()
    assert_fits(page)
    shoot(page, "opportunity")

    context.close()
    problems.assert_clean()
    assert problems.refused == ["401 /accounts"]  # the wrong key, on purpose


def test_names_are_shown_as_text_never_run_as_markup(
    demo: Demo, browser: Browser, problems: Problems
) -> None:
    helix = demo.accounts["Helix Health"]
    imported = httpx.post(
        f"{demo.base_url}/accounts/{helix}/org-import",
        headers=demo.headers,
        json={"people": [{"ref": "x", "name": XSS_NAME, "title": "CFO"}], "ties": []},
    )
    assert imported.status_code == 200, imported.text
    assert eventually(
        lambda: any(n["name"] == XSS_NAME for n in demo.get(f"/accounts/{helix}/graph")["nodes"])
    )
    page = problems.watch(signed_in_page(browser, demo.base_url, demo.key))
    page.goto(f"{demo.base_url}/app/#/accounts/{helix}")
    expect(page.locator("#graph[data-state=drawn]")).to_have_count(1)

    page.get_by_role("tab", name="People").click()
    listed = page.locator(".person-button-name", has_text=XSS_NAME)
    expect(listed).to_have_text(XSS_NAME)
    listed.click()
    expect(page.locator("article.person .person-name")).to_have_text(XSS_NAME)
    node_id = page.locator("article.person").get_attribute("data-stakeholder-id")
    assert page.evaluate(f"id => {GRAPH}.node(id).label", node_id) == XSS_NAME
    assert page.locator("img").count() == 0
    shoot(page, "xss-name")
    page.context.close()
    problems.assert_clean()
    assert problems.refused == []


def test_a_workspace_sees_only_its_own_accounts(
    demo: Demo, browser: Browser, tenant: Tenant, problems: Problems
) -> None:
    own = httpx.post(f"{demo.base_url}/accounts", headers=tenant.headers, json={"name": "Ours"})
    assert own.status_code == 201
    page = problems.watch(signed_in_page(browser, demo.base_url, tenant.key))
    page.goto(f"{demo.base_url}/app/#/accounts")
    expect(page.locator("table.accounts tbody tr")).to_have_count(1)
    expect(page.locator("table.accounts .account-link")).to_have_text("Ours")
    # This workspace has no product catalogue, and the page says what that means.
    expect(page.get_by_role("status").filter(has_text="no product catalogue")).to_contain_text(
        "create no opportunity"
    )
    page.goto(f"{demo.base_url}/app/#/accounts/{demo.accounts['Helix Health']}")
    expect(page.get_by_role("alert")).to_contain_text("no account")
    page.context.close()
    problems.assert_clean()
    theirs = f"404 /accounts/{demo.accounts['Helix Health']}"
    assert problems.refused and all(r.startswith(theirs) for r in problems.refused)


def test_the_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/app/"
    page = client.get("/app/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert page.headers["cache-control"] == "no-cache"
    html = page.text
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/app/' in attrs and body == "" for attrs, body in scripts)
    assets = re.findall(r'(?:src|href)="(/app/[^"]+)"', html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        if asset.endswith((".js", ".css")):
            assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        revalidated = client.get(asset, headers={"If-None-Match": answer.headers["etag"]})
        assert revalidated.status_code == 304
    script = next(a for a in assets if a.endswith(".js"))
    packed = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-type"] == "text/javascript; charset=utf-8"
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    plain = client.get(script, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == packed.content
    assert plain.headers["etag"] != packed.headers["etag"]
    missing = client.get("/app/nothing.js")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/app/..%2Fpyproject.toml").status_code == 404
