"""The Notion emulator through the real notion-client (sync Client) over HTTP.

These tests pin the behaviours a Postgres <-> Notion sync must survive (see
shared/SYNC.md): minute-truncated timestamps, date normalisation, 25-item relation
truncation, short and 100-row query pages, validation errors, every injected fault as the
client sees it, rate limiting, and signed webhooks with drops, duplicates, delays and
reordering. Time comes from the emulator's virtual clock; nothing here asserts on elapsed
time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from notion_client import APIResponseError, Client
from notion_client.errors import APIErrorCode, HTTPResponseError, RequestTimeoutError

from tests.helpers import eventually
from tests.notion_emulator import (
    Fault,
    NotionEmulator,
    RunningEmulator,
    WebhookRequest,
    running_emulator,
    verify_signature,
)

START = datetime(2026, 7, 6, 10, 0, 37, tzinfo=UTC)
JsonDict = dict[str, Any]


# -- fixtures and helpers ----------------------------------------------------------------


@pytest.fixture
def running() -> Iterator[RunningEmulator]:
    with running_emulator(NotionEmulator(start=START)) as server:
        yield server


@pytest.fixture
def emulator(running: RunningEmulator) -> NotionEmulator:
    return running.emulator


@pytest.fixture
def notion(running: RunningEmulator) -> Iterator[Client]:
    client = running.client()
    try:
        yield client
    finally:
        client.close()


def got(answer: Any) -> JsonDict:
    """notion-client types answers as `Any | Awaitable[Any]`; the sync client's are dicts."""
    assert isinstance(answer, dict)
    return answer


def text(value: str) -> JsonDict:
    return {"rich_text": [{"text": {"content": value}}]}


def title(value: str) -> JsonDict:
    return {"title": [{"text": {"content": value}}]}


def plain(prop: JsonDict) -> str:
    return "".join(item["plain_text"] for item in prop[prop["type"]])


def make_crm(notion: Client, emulator: NotionEmulator) -> tuple[str, str, str]:
    """Two data sources: Contacts, and Deals related to them both ways."""
    contacts = got(
        notion.databases.create(
            parent={"type": "page_id", "page_id": emulator.root_page_id},
            title=[{"type": "text", "text": {"content": "Contacts"}}],
            initial_data_source={"properties": {"Name": {"title": {}}}},
        )
    )
    contacts_ds = contacts["data_sources"][0]["id"]
    deals = got(
        notion.databases.create(
            parent={"type": "page_id", "page_id": emulator.root_page_id},
            title=[{"type": "text", "text": {"content": "Deals"}}],
            initial_data_source={
                "properties": {
                    "Name": {"title": {}},
                    "Record ID": {"rich_text": {}},
                    "Amount": {"number": {"format": "euro"}},
                    "Stage": {"select": {"options": [{"name": "Lead"}, {"name": "Won"}]}},
                    "Tags": {"multi_select": {"options": [{"name": "a"}]}},
                    "Close": {"date": {}},
                    "Active": {"checkbox": {}},
                    "Website": {"url": {}},
                    "Email": {"email": {}},
                    "Phone": {"phone_number": {}},
                    "Owners": {"people": {}},
                    "Notes": {"rich_text": {}},
                    "Contacts": {
                        "relation": {
                            "data_source_id": contacts_ds,
                            "type": "dual_property",
                            "dual_property": {},
                        }
                    },
                }
            },
        )
    )
    return deals["id"], deals["data_sources"][0]["id"], contacts_ds


def new_deal(notion: Client, ds: str, name: str, **extra: JsonDict) -> JsonDict:
    properties: JsonDict = {"Name": title(name), **extra}
    return got(
        notion.pages.create(
            parent={"type": "data_source_id", "data_source_id": ds}, properties=properties
        )
    )


def query_all(notion: Client, ds: str, **body: Any) -> list[JsonDict]:
    rows: list[JsonDict] = []
    cursor: str | None = None
    while True:
        page = got(
            notion.data_sources.query(ds, **body, **({"start_cursor": cursor} if cursor else {}))
        )
        rows.extend(page["results"])
        if not page["has_more"]:
            assert page["next_cursor"] is None
            return rows
        cursor = page["next_cursor"]


def api_error(excinfo: pytest.ExceptionInfo[APIResponseError]) -> APIResponseError:
    return excinfo.value


# -- databases, data sources, pages ----------------------------------------------------------


def test_database_create_and_retrieve_have_notion_shapes(
    notion: Client, emulator: NotionEmulator
) -> None:
    database_id, ds, _ = make_crm(notion, emulator)

    database = got(notion.databases.retrieve(database_id))
    data_source = got(notion.data_sources.retrieve(ds))

    assert database["object"] == "database"
    assert database["data_sources"] == [{"id": ds, "name": "Deals"}]
    # Databases keep milliseconds; data sources are truncated to the minute.
    assert database["created_time"] == "2026-07-06T10:00:37.000+00:00"
    assert data_source["created_time"] == "2026-07-06T10:00:00.000Z"
    assert data_source["parent"] == {"type": "database_id", "database_id": database_id}
    assert data_source["properties"]["Name"]["id"] == "title"
    relation = data_source["properties"]["Contacts"]["relation"]
    assert relation["type"] == "dual_property"
    assert relation["dual_property"]["synced_property_name"] == "Related to Deals (Contacts)"
    assert "archived" in data_source  # 2025-09-03 still carries the alias


def test_page_create_update_trash_restore(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, _ = make_crm(notion, emulator)
    owner = emulator.add_user("Ada Rep", email="ada@example.com")
    page = new_deal(
        notion,
        ds,
        "Acme",
        Amount={"number": 1200},
        Stage={"select": {"name": "Lead"}},
        Tags={"multi_select": [{"name": "a"}, {"name": "new-tag"}]},
        Active={"checkbox": True},
        Website={"url": "https://acme.example"},
        Email={"email": "buyer@acme.example"},
        Phone={"phone_number": "+1 555 0100"},
        Owners={"people": [{"object": "user", "id": owner}]},
        Notes=text("first call went well"),
    )
    props = page["properties"]
    assert page["parent"]["data_source_id"] == ds
    assert props["Amount"]["number"] == 1200
    assert props["Stage"]["select"]["name"] == "Lead"
    assert [o["name"] for o in props["Tags"]["multi_select"]] == ["a", "new-tag"]
    assert props["Owners"]["people"][0]["person"] == {"email": "ada@example.com"}
    assert plain(props["Notes"]) == "first call went well"

    updated = got(
        notion.pages.update(page["id"], properties={"Stage": {"select": {"name": "Won"}}})
    )
    assert updated["properties"]["Stage"]["select"]["name"] == "Won"
    assert updated["properties"]["Amount"]["number"] == 1200  # untouched fields stay

    trashed = got(notion.pages.update(page["id"], in_trash=True))
    assert trashed["in_trash"] is True and trashed["archived"] is True
    assert query_all(notion, ds) == []  # queries leave trashed pages out
    assert [p["id"] for p in query_all(notion, ds, in_trash=True)] == [page["id"]]
    with pytest.raises(APIResponseError) as edit_in_trash:
        got(notion.pages.update(page["id"], properties={"Amount": {"number": 1}}))
    assert edit_in_trash.value.code == "validation_error"
    assert "archived" in str(edit_in_trash.value)

    got(notion.pages.update(page["id"], in_trash=False))
    assert [p["id"] for p in query_all(notion, ds)] == [page["id"]]
    assert got(notion.pages.retrieve(page["id"]))["in_trash"] is False


def test_2026_03_11_drops_the_archived_alias(running: RunningEmulator) -> None:
    client = running.client(notion_version="2026-03-11")
    try:
        page = got(
            client.pages.create(
                parent={"page_id": running.emulator.root_page_id}, properties={"title": []}
            )
        )
        assert "archived" not in page
        with pytest.raises(APIResponseError) as excinfo:
            got(client.pages.update(page["id"], archived=True))
        assert excinfo.value.code == "validation_error"
        assert got(client.pages.update(page["id"], in_trash=True))["in_trash"] is True
    finally:
        client.close()


def test_users_me_and_search(notion: Client, emulator: NotionEmulator) -> None:
    me = got(notion.users.me())
    assert me["type"] == "bot" and me["id"] == emulator.integration.bot.id
    _, ds, _ = make_crm(notion, emulator)
    page = new_deal(notion, ds, "Searchable Globex")

    found = got(notion.search(query="globex", filter={"property": "object", "value": "page"}))

    assert [r["id"] for r in found["results"]] == [page["id"]]
    assert found["type"] == "page_or_data_source"


def test_status_database_parent_and_filter_properties(
    notion: Client, emulator: NotionEmulator
) -> None:
    database_id, ds, _ = make_crm(notion, emulator)
    schema = got(notion.data_sources.update(ds, properties={"Progress": {"status": {}}}))
    options = schema["properties"]["Progress"]["status"]["options"]
    assert [o["name"] for o in options] == ["Not started", "In progress", "Done"]

    # A database with a single data source also accepts a database_id parent.
    page = got(
        notion.pages.create(
            parent={"database_id": database_id},
            properties={"Name": title("Via database"), "Progress": {"status": {"name": "Done"}}},
        )
    )
    assert page["parent"]["data_source_id"] == ds
    assert page["properties"]["Progress"]["status"]["name"] == "Done"
    done = {"property": "Progress", "status": {"equals": "Done"}}
    assert [p["id"] for p in query_all(notion, ds, filter=done)] == [page["id"]]

    amount_id = schema["properties"]["Amount"]["id"]
    only = got(notion.pages.retrieve(page["id"], filter_properties=[amount_id]))
    assert list(only["properties"]) == ["Amount"]
    with pytest.raises(APIResponseError):
        notion.pages.update(page["id"], properties={"Progress": {"status": {"name": "Nope"}}})


# -- time: minute truncation, virtual clock, dates ------------------------------------------


def test_timestamps_come_from_the_virtual_clock_truncated_to_the_minute(
    notion: Client, emulator: NotionEmulator
) -> None:
    _, ds, _ = make_crm(notion, emulator)
    page = new_deal(notion, ds, "Clocked")
    assert page["created_time"] == page["last_edited_time"] == "2026-07-06T10:00:00.000Z"

    emulator.clock.advance(15)  # 10:00:52, same minute: an edit is invisible in the timestamp
    same_minute = got(notion.pages.update(page["id"], properties={"Amount": {"number": 1}}))
    assert same_minute["last_edited_time"] == "2026-07-06T10:00:00.000Z"

    emulator.clock.advance(minutes=2)
    later = got(notion.pages.update(page["id"], properties={"Amount": {"number": 2}}))
    assert later["last_edited_time"] == "2026-07-06T10:02:00.000Z"
    assert later["created_time"] == "2026-07-06T10:00:00.000Z"


def test_dates_lose_seconds_and_time_zone(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, _ = make_crm(notion, emulator)
    cases = {
        # written                                                  -> read back
        ("2026-06-27T18:01:15.377824", "Europe/London"): "2026-06-27T18:01:00.000+01:00",
        ("2026-01-15T09:30:59", "America/New_York"): "2026-01-15T09:30:00.000-05:00",
        ("2026-01-15T09:30:59Z", None): "2026-01-15T09:30:00.000+00:00",
        ("2026-01-15T09:30:59+02:00", None): "2026-01-15T09:30:00.000+02:00",
        ("2021-01-01", None): "2021-01-01",
    }
    for (start, zone), expected in cases.items():
        date: JsonDict = {"start": start, **({"time_zone": zone} if zone else {})}
        page = new_deal(notion, ds, start, Close={"date": date})
        assert page["properties"]["Close"]["date"] == {
            "start": expected,
            "end": None,
            "time_zone": None,
        }


# -- pagination and truncation -------------------------------------------------------------


def test_queries_page_by_100_with_cursor(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, _ = make_crm(notion, emulator)
    created = emulator.create_pages(ds, [{"Name": title(f"Deal {i}")} for i in range(230)])

    first = got(notion.data_sources.query(ds))
    assert len(first["results"]) == 100 and first["has_more"] is True
    assert first["next_cursor"]
    rows = query_all(notion, ds)
    assert len(rows) == 230
    # Newest first without sorts, like the recorded 110-page query.
    assert [r["id"] for r in rows] == list(reversed(created))

    with pytest.raises(APIResponseError) as excinfo:
        got(notion.data_sources.query(ds, page_size=101))
    assert excinfo.value.code == "validation_error"
    assert "should be ≤ `100`, instead was `101`" in str(excinfo.value)


def test_short_pages_still_cover_every_row(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, _ = make_crm(notion, emulator)
    created = set(emulator.create_pages(ds, [{"Name": title(f"R{i}")} for i in range(50)]))
    emulator.set_short_pages(7)

    sizes: list[int] = []
    cursor: str | None = None
    seen: list[str] = []
    while True:
        page = got(notion.data_sources.query(ds, **({"start_cursor": cursor} if cursor else {})))
        sizes.append(len(page["results"]))
        seen.extend(r["id"] for r in page["results"])
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert max(sizes[:-1]) <= 7 and len(sizes) > 7
    assert set(seen) == created and len(seen) == len(created)

    emulator.set_short_pages(20, seed=3)
    assert {r["id"] for r in query_all(notion, ds)} == created


def test_relations_stop_at_25_and_the_property_item_endpoint_pages_them(
    notion: Client, emulator: NotionEmulator
) -> None:
    _, ds, contacts_ds = make_crm(notion, emulator)
    contacts = emulator.create_pages(contacts_ds, [{"Name": title(f"C{i}")} for i in range(30)])
    deal = new_deal(notion, ds, "Big", Contacts={"relation": [{"id": c} for c in contacts]})

    relation = deal["properties"]["Contacts"]
    assert len(relation["relation"]) == 25 and relation["has_more"] is True
    again = got(notion.pages.retrieve(deal["id"]))["properties"]["Contacts"]
    assert len(again["relation"]) == 25 and again["has_more"] is True

    items: list[str] = []
    cursor: str | None = None
    while True:
        page = got(
            notion.pages.properties.retrieve(
                deal["id"],
                relation["id"],
                page_size=10,
                **({"start_cursor": cursor} if cursor else {}),
            )
        )
        assert page["object"] == "list" and page["type"] == "property_item"
        items.extend(r["relation"]["id"] for r in page["results"])
        if not page["has_more"]:
            assert page["property_item"]["next_url"] is None
            break
        assert page["property_item"]["next_url"]
        cursor = page["next_cursor"]
    assert items == contacts

    # Two-way: every contact now links back to the deal.
    back = emulator.page_json(contacts[0])["properties"]["Related to Deals (Contacts)"]
    assert back["relation"] == [{"id": deal["id"]}] and back["has_more"] is False

    # Writing back the truncated list would delete links: the emulator does what Notion does.
    got(
        notion.pages.update(deal["id"], properties={"Contacts": {"relation": relation["relation"]}})
    )
    assert got(notion.pages.retrieve(deal["id"]))["properties"]["Contacts"]["has_more"] is False


def test_people_lists_stop_at_25_too(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, _ = make_crm(notion, emulator)
    people = [emulator.add_user(f"Rep {i}", email=f"rep{i}@example.com") for i in range(27)]
    deal = new_deal(notion, ds, "Team", Owners={"people": [{"id": p} for p in people]})

    owners = deal["properties"]["Owners"]
    assert len(owners["people"]) == 25 and owners["has_more"] is True
    full = got(notion.pages.properties.retrieve(deal["id"], owners["id"]))
    assert [r["people"]["id"] for r in full["results"]] == people


# -- filters and sorts --------------------------------------------------------------------


def test_filters_and_sorts(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, _ = make_crm(notion, emulator)
    a = new_deal(notion, ds, "Alpha", **{"Record ID": text("r-1")}, Amount={"number": 10})
    emulator.clock.advance(minutes=5)
    b = new_deal(
        notion,
        ds,
        "Beta",
        **{"Record ID": text("r-2")},
        Amount={"number": 30},
        Active={"checkbox": True},
        Stage={"select": {"name": "Won"}},
    )
    emulator.clock.advance(minutes=5)
    c = new_deal(
        notion, ds, "Gamma beta", Amount={"number": 20}, Stage={"select": {"name": "Lead"}}
    )

    def ids(**body: Any) -> list[str]:
        return [r["id"] for r in query_all(notion, ds, **body)]

    assert ids(filter={"property": "Record ID", "rich_text": {"equals": "r-2"}}) == [b["id"]]
    assert ids(filter={"property": "Name", "title": {"contains": "BETA"}}) == [c["id"], b["id"]]
    assert ids(filter={"property": "Amount", "number": {"equals": 10}}) == [a["id"]]
    assert ids(filter={"property": "Active", "checkbox": {"equals": True}}) == [b["id"]]
    assert ids(filter={"property": "Stage", "select": {"equals": "Lead"}}) == [c["id"]]
    since = {
        "timestamp": "last_edited_time",
        "last_edited_time": {"on_or_after": "2026-07-06T10:05:00Z"},
    }
    assert ids(filter=since) == [c["id"], b["id"]]
    assert ids(
        filter={
            "or": [
                {"property": "Amount", "number": {"greater_than": 25}},
                {"and": [since, {"property": "Stage", "select": {"equals": "Lead"}}]},
            ]
        }
    ) == [c["id"], b["id"]]
    ascending = [{"property": "Amount", "direction": "ascending"}]
    assert ids(sorts=ascending) == [a["id"], c["id"], b["id"]]
    oldest = [{"timestamp": "last_edited_time", "direction": "ascending"}]
    assert ids(sorts=oldest) == [a["id"], b["id"], c["id"]]

    with pytest.raises(APIResponseError) as excinfo:
        got(notion.data_sources.query(ds, filter={"property": "Nope", "number": {"equals": 1}}))
    assert excinfo.value.code == "validation_error"
    assert str(excinfo.value) == "Could not find property with name or id: Nope"


# -- validation and lookups ---------------------------------------------------------------


def test_validation_errors_have_notion_messages(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, contacts_ds = make_crm(notion, emulator)

    def rejected(**properties: Any) -> APIResponseError:
        with pytest.raises(APIResponseError) as excinfo:
            new_deal(notion, ds, "x", **properties)
        assert excinfo.value.code == "validation_error" and excinfo.value.status == 400
        return excinfo.value

    assert str(rejected(Nope=text("x"))) == "Nope is not a property that exists."
    assert str(rejected(Amount=text("x"))) == "Amount is expected to be number."
    assert "body.properties.Amount.number should be a number" in str(
        rejected(Amount={"number": "12"})
    )
    assert str(rejected(Notes=text("x" * 2001))) == (
        "body failed validation: body.properties.Notes.rich_text[0].text.content.length "
        "should be ≤ `2000`, instead was `2001`."
    )
    too_many_items = {"rich_text": [{"text": {"content": "x"}}] * 101}
    assert "rich_text.length should be ≤ `100`, instead was `101`" in str(
        rejected(Notes=too_many_items)
    )
    contacts = emulator.create_pages(contacts_ds, [{"Name": title(str(i))} for i in range(101)])
    assert "relation.length should be ≤ `100`, instead was `101`" in str(
        rejected(Contacts={"relation": [{"id": c} for c in contacts]})
    )
    options = {"multi_select": [{"name": f"t{i}"} for i in range(101)]}
    assert "multi_select.length should be ≤ `100`" in str(rejected(Tags=options))
    # A rejected request changes nothing.
    assert query_all(notion, ds) == []


def test_unknown_ids_bad_ids_and_bad_tokens(running: RunningEmulator, notion: Client) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(APIResponseError) as excinfo:
        got(notion.pages.retrieve(missing))
    error = excinfo.value
    assert (error.status, error.code) == (404, "object_not_found")
    assert str(error) == (
        f"Could not find page with ID: {missing}. Make sure the relevant pages and databases "
        'are shared with your integration "Emulated Integration".'
    )
    assert error.additional_data == {"integration_id": running.emulator.integration.bot.id}
    with pytest.raises(APIResponseError) as excinfo:
        got(notion.data_sources.query(missing))
    assert "Could not find data_source with ID" in str(excinfo.value)
    with pytest.raises(APIResponseError) as excinfo:
        got(notion.pages.retrieve("not-an-id"))
    assert excinfo.value.code == "validation_error"

    intruder = Client(auth="ntn_wrong", base_url=running.base_url, retry=False)
    try:
        with pytest.raises(APIResponseError) as excinfo:
            got(intruder.users.me())
        assert (excinfo.value.status, excinfo.value.code) == (401, "unauthorized")
        assert str(excinfo.value) == "API token is invalid."
    finally:
        intruder.close()


def test_version_header_and_body_size(running: RunningEmulator, notion: Client) -> None:
    with httpx.Client(base_url=running.base_url) as http:
        auth = {"Authorization": f"Bearer {running.emulator.token}"}
        answer = http.get("/v1/users/me", headers=auth)
        assert answer.status_code == 400 and answer.json()["code"] == "missing_version"
        answer = http.get("/v1/nope", headers={**auth, "Notion-Version": "2025-09-03"})
        assert answer.json()["code"] == "invalid_request_url"
        assert set(answer.json()) == {"object", "status", "code", "message", "request_id"}

    huge = "x" * 1900
    blocks = [{"paragraph": {"rich_text": [{"text": {"content": huge}}]}}] * 100
    with pytest.raises(HTTPResponseError) as excinfo:
        got(
            notion.pages.create(
                parent={"page_id": running.emulator.root_page_id},
                properties={"title": []},
                children=blocks * 3,
            )
        )
    assert excinfo.value.status == 413


# -- faults as the client sees them --------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "status", "code"),
    [
        (Fault.INTERNAL_SERVER_ERROR, 500, "internal_server_error"),
        (Fault.SERVICE_UNAVAILABLE, 503, "service_unavailable"),
        (Fault.CONFLICT, 409, "conflict_error"),
        (Fault.RATE_LIMITED, 429, "rate_limited"),
    ],
)
def test_json_faults_raise_api_response_errors(
    notion: Client, emulator: NotionEmulator, fault: Fault, status: int, code: str
) -> None:
    emulator.faults.next(fault, method="GET", path="/v1/users/*")

    with pytest.raises(APIResponseError) as excinfo:
        got(notion.users.me())

    assert (excinfo.value.status, excinfo.value.code) == (status, code)
    assert json.loads(excinfo.value.body)["object"] == "error"
    if fault is Fault.RATE_LIMITED:
        assert excinfo.value.headers["retry-after"] == "1"
    assert got(notion.users.me())["object"] == "user"  # only the next request failed


def test_service_overload_is_an_unknown_code_to_notion_client_3_1(
    notion: Client, emulator: NotionEmulator
) -> None:
    emulator.faults.next(Fault.SERVICE_OVERLOAD)

    with pytest.raises(HTTPResponseError) as excinfo:
        got(notion.users.me())

    assert not isinstance(excinfo.value, APIResponseError)
    assert excinfo.value.status == 529
    assert json.loads(excinfo.value.body)["code"] == "service_overload"


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.BAD_GATEWAY_HTML, 502), (Fault.GATEWAY_TIMEOUT_HTML, 504)]
)
def test_proxy_errors_answer_html(
    notion: Client, emulator: NotionEmulator, fault: Fault, status: int
) -> None:
    emulator.faults.next(fault)

    with pytest.raises(HTTPResponseError) as excinfo:
        got(notion.users.me())

    assert not isinstance(excinfo.value, APIResponseError)
    assert excinfo.value.status == status
    assert excinfo.value.headers["content-type"].startswith("text/html")
    assert "<html>" in excinfo.value.body


def test_timeout_applies_nothing(running: RunningEmulator, notion: Client) -> None:
    emulator = running.emulator
    _, ds, _ = make_crm(notion, emulator)
    emulator.faults.hang_seconds = 3.0
    emulator.faults.next(Fault.TIMEOUT, method="POST", path="/v1/pages")
    impatient = running.client(timeout_ms=300)
    try:
        with pytest.raises(RequestTimeoutError):
            new_deal(impatient, ds, "never written")
    finally:
        impatient.close()
    assert query_all(notion, ds) == []


@pytest.mark.parametrize(
    ("fault", "raised"),
    [
        (Fault.COMMIT_THEN_500, APIResponseError),
        (Fault.COMMIT_THEN_504_HTML, HTTPResponseError),
        (Fault.COMMIT_THEN_DROP, httpx.TransportError),
        (Fault.COMMIT_THEN_TIMEOUT, RequestTimeoutError),
    ],
)
def test_commit_then_fail_writes_but_loses_the_answer(
    running: RunningEmulator, notion: Client, fault: Fault, raised: type[Exception]
) -> None:
    emulator = running.emulator
    _, ds, _ = make_crm(notion, emulator)
    emulator.faults.hang_seconds = 3.0
    emulator.faults.next(fault, method="POST", path="/v1/pages")
    impatient = running.client(timeout_ms=500)
    try:
        with pytest.raises(raised):
            new_deal(impatient, ds, "written anyway", **{"Record ID": text("rec-42")})
    finally:
        impatient.close()

    # The sync's idempotent create: look the record up before retrying the create.
    found = query_all(
        notion, ds, filter={"property": "Record ID", "rich_text": {"equals": "rec-42"}}
    )
    assert [plain(p["properties"]["Name"]) for p in found] == ["written anyway"]


def test_random_faults_are_reproducible_with_a_seed(running: RunningEmulator) -> None:
    def outcomes(seed: int) -> list[str]:
        emulator = running.emulator
        emulator.faults.clear()
        emulator.faults.randomly(Fault.INTERNAL_SERVER_ERROR, 0.4, seed=seed, method="GET")
        client = running.client()
        seen: list[str] = []
        try:
            for _ in range(30):
                try:
                    got(client.users.me())
                    seen.append("ok")
                except APIResponseError as error:
                    seen.append(APIErrorCode(error.code).value)
        finally:
            client.close()
            emulator.faults.clear()
        return seen

    first = outcomes(7)
    assert first == outcomes(7)
    assert 0 < first.count("internal_server_error") < 30


def test_request_counters(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, _ = make_crm(notion, emulator)
    new_deal(notion, ds, "one")
    emulator.faults.next(Fault.CONFLICT, method="POST", path="/v1/pages")
    with pytest.raises(APIResponseError):
        new_deal(notion, ds, "two")

    stats = emulator.stats
    assert stats.count(method="POST", route="/v1/databases", status=200) == 2
    assert stats.count(route="/v1/pages", status=200) == 1
    assert stats.count(route="/v1/pages", status=409) == 1
    assert emulator.faults.injected == [("POST", "/v1/pages", Fault.CONFLICT)]


# -- rate limiting -------------------------------------------------------------------------


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limit_is_a_token_bucket_per_token(running: RunningEmulator, notion: Client) -> None:
    emulator = running.emulator
    ticks = FakeMonotonic()
    emulator.enable_rate_limit(rate=3.0, burst=4, monotonic=ticks)

    for _ in range(4):
        got(notion.users.me())  # the burst
    with pytest.raises(APIResponseError) as excinfo:
        got(notion.users.me())
    assert (excinfo.value.status, excinfo.value.code) == (429, "rate_limited")
    assert excinfo.value.headers["retry-after"] == "1"

    emulator.tokens.add("ntn_second_integration")
    other = Client(auth="ntn_second_integration", base_url=running.base_url, retry=False)
    try:
        assert got(other.users.me())["object"] == "user"  # its own bucket
    finally:
        other.close()

    ticks.now += 1 / 3  # one token refilled
    got(notion.users.me())
    with pytest.raises(APIResponseError):
        got(notion.users.me())
    assert emulator.stats.count(status=429) == 2


def test_time_scale_refills_faster_and_scales_retry_after(
    running: RunningEmulator, notion: Client
) -> None:
    ticks = FakeMonotonic()
    running.emulator.enable_rate_limit(rate=2.0, burst=1, scale=20, monotonic=ticks)

    got(notion.users.me())
    with pytest.raises(APIResponseError) as excinfo:
        got(notion.users.me())
    # Notion would say 1 second; at 20x that is 0.05 real seconds.
    assert excinfo.value.headers["retry-after"] == "0.05"
    assert excinfo.value.headers["x-emulator-retry-after-unscaled"] == "1"

    ticks.now += 0.025  # half an emulated second: one token at 2 per second
    assert got(notion.users.me())["object"] == "user"


# -- what a rep does in Notion, and schema changes -----------------------------------------


def test_rep_edits_bump_last_edited_time_and_show_in_polls(
    notion: Client, emulator: NotionEmulator
) -> None:
    _, ds, _ = make_crm(notion, emulator)
    quiet = new_deal(notion, ds, "Quiet")
    edited = new_deal(notion, ds, "Edited")
    emulator.clock.advance(minutes=3)

    page = emulator.rep_edit(edited["id"], {"Notes": text("rep typed this")})

    assert page["last_edited_time"] == "2026-07-06T10:03:00.000Z"
    assert page["last_edited_by"]["id"] == emulator.rep.id
    poll = {
        "timestamp": "last_edited_time",
        "last_edited_time": {"on_or_after": "2026-07-06T10:01:00Z"},
    }
    assert [p["id"] for p in query_all(notion, ds, filter=poll)] == [edited["id"]]
    assert quiet["id"] not in {p["id"] for p in query_all(notion, ds, filter=poll)}

    emulator.trash_page(edited["id"])
    assert [p["id"] for p in query_all(notion, ds)] == [quiet["id"]]
    emulator.restore_page(edited["id"])
    assert len(query_all(notion, ds)) == 2


def test_renamed_properties_keep_their_ids(notion: Client, emulator: NotionEmulator) -> None:
    _, ds, _ = make_crm(notion, emulator)
    before = got(notion.data_sources.retrieve(ds))["properties"]["Notes"]["id"]
    deal = new_deal(notion, ds, "Renamed", Notes=text("kept"))

    after = got(
        notion.data_sources.update(
            ds, properties={"Notes": {"name": "Rep notes"}, "Score": {"number": {}}}
        )
    )

    assert after["properties"]["Rep notes"]["id"] == before
    assert "Notes" not in after["properties"] and "Score" in after["properties"]
    value = got(notion.pages.retrieve(deal["id"]))["properties"]["Rep notes"]
    assert value["id"] == before and plain(value) == "kept"
    # Writes may name a property by id, which survives the rename.
    got(notion.pages.update(deal["id"], properties={before: text("by id")}))
    assert plain(got(notion.pages.retrieve(deal["id"]))["properties"]["Rep notes"]) == "by id"


# -- webhooks ------------------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.requests: list[WebhookRequest] = []
        self.status = 200

    def __call__(self, request: WebhookRequest) -> int:
        self.requests.append(request)
        return self.status

    def events(self) -> list[JsonDict]:
        return [r.json() for r in self.requests]


def test_webhooks_are_signed_and_carry_ids_only(notion: Client, emulator: NotionEmulator) -> None:
    inbox = Inbox()
    emulator.webhooks.subscribe(inbox)
    _, ds, _ = make_crm(notion, emulator)
    emulator.webhooks.deliver()
    inbox.requests.clear()

    deal = new_deal(notion, ds, "Hooked")
    emulator.rep_edit(deal["id"], {"Amount": {"number": 5}})
    emulator.trash_page(deal["id"])
    emulator.restore_page(deal["id"])
    emulator.update_schema(ds, {"Notes": {"name": "Rep notes"}})
    emulator.webhooks.deliver()

    events = inbox.events()
    assert [e["type"] for e in events] == [
        "page.created",
        "page.properties_updated",
        "page.deleted",
        "page.undeleted",
        "data_source.schema_updated",
    ]
    token = emulator.webhooks.verification_token
    for request in inbox.requests:
        expected = hmac.new(token.encode(), request.body, hashlib.sha256).hexdigest()
        assert request.headers["X-Notion-Signature"] == f"sha256={expected}"
        assert verify_signature(request.body, request.headers["X-Notion-Signature"], token)
    created, updated = events[0], events[1]
    assert created["entity"] == {"id": deal["id"], "type": "page"}
    assert created["authors"] == [{"id": emulator.integration.bot.id, "type": "bot"}]
    assert created["attempt_number"] == 1
    assert created["data"]["parent"]["data_source_id"] == ds
    assert {"id", "timestamp", "workspace_id", "subscription_id", "integration_id"} <= set(created)
    amount_id = got(notion.data_sources.retrieve(ds))["properties"]["Amount"]["id"]
    assert updated["data"]["updated_properties"] == [amount_id]
    assert updated["authors"] == [{"id": emulator.rep.id, "type": "person"}]
    assert "properties" not in json.dumps(updated["data"]).replace("updated_properties", "")
    schema = events[4]
    assert schema["entity"] == {"id": ds, "type": "data_source"}
    assert schema["data"]["updated_properties"][0]["action"] == "updated"


def test_webhooks_can_be_dropped_duplicated_delayed_and_reordered(
    notion: Client, emulator: NotionEmulator
) -> None:
    inbox = Inbox()
    emulator.webhooks.subscribe(inbox, event_types={"page.properties_updated"})
    _, ds, _ = make_crm(notion, emulator)
    deal = new_deal(notion, ds, "Chaos")
    hooks = emulator.webhooks

    hooks.drop_next()
    emulator.rep_edit(deal["id"], {"Amount": {"number": 1}})  # lost
    hooks.duplicate_next()
    emulator.rep_edit(deal["id"], {"Amount": {"number": 2}})  # delivered twice
    hooks.delay_next(120)
    emulator.rep_edit(deal["id"], {"Notes": text("late")})  # held for two minutes
    emulator.rep_edit(deal["id"], {"Stage": {"select": {"name": "Won"}}})
    hooks.deliver(order="lifo")

    delivered = inbox.events()
    assert len(hooks.dropped) == 1
    assert [e["attempt_number"] for e in delivered] == [1, 2, 1]
    assert delivered[1]["id"] == delivered[2]["id"]  # the duplicate is a redelivery
    assert delivered[0]["timestamp"] >= delivered[1]["timestamp"]  # newest first

    assert hooks.deliver() == []  # the delayed one is not due yet
    emulator.clock.advance(121)
    late = hooks.deliver()
    assert len(late) == 1 and len(inbox.requests) == 4


def test_failed_deliveries_are_retried_with_higher_attempt_numbers(
    notion: Client, emulator: NotionEmulator
) -> None:
    inbox = Inbox()
    inbox.status = 500
    emulator.webhooks.subscribe(inbox, event_types={"page.created"})
    _, ds, _ = make_crm(notion, emulator)
    new_deal(notion, ds, "Retry me")

    emulator.webhooks.deliver()
    inbox.status = 200
    assert emulator.webhooks.deliver() == []  # retry waits for its back-off
    emulator.clock.advance(minutes=1)
    emulator.webhooks.deliver()

    assert [e["attempt_number"] for e in inbox.events()] == [1, 2]


def test_aggregated_webhooks_merge_property_updates(
    notion: Client, emulator: NotionEmulator
) -> None:
    inbox = Inbox()
    emulator.webhooks.subscribe(inbox, event_types={"page.properties_updated"})
    emulator.webhooks.aggregate = True
    _, ds, _ = make_crm(notion, emulator)
    deal = new_deal(notion, ds, "Busy")
    emulator.rep_edit(deal["id"], {"Amount": {"number": 1}})
    emulator.rep_edit(deal["id"], {"Notes": text("x")})

    emulator.webhooks.deliver()

    (event,) = inbox.events()
    assert len(event["data"]["updated_properties"]) == 2


def test_auto_delivery_sends_events_in_the_background(
    notion: Client, emulator: NotionEmulator
) -> None:
    inbox = Inbox()
    emulator.webhooks.subscribe(inbox, event_types={"page.created"})
    _, ds, _ = make_crm(notion, emulator)
    emulator.webhooks.start_auto_delivery(interval=0.01)
    try:
        deal = new_deal(notion, ds, "Pushed")
        assert eventually(lambda: len(inbox.requests) == 1)
    finally:
        emulator.webhooks.stop_auto_delivery()
    assert inbox.events()[0]["entity"]["id"] == deal["id"]


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[bytes, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers.get("X-Notion-Signature", "")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


def test_webhooks_reach_an_http_endpoint(notion: Client, emulator: NotionEmulator) -> None:
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        emulator.webhooks.subscribe(f"http://127.0.0.1:{server.server_address[1]}/hooks/notion")
        emulator.webhooks.send_verification()
        _, ds, _ = make_crm(notion, emulator)
        new_deal(notion, ds, "Over HTTP")
        emulator.webhooks.deliver()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

    (verification, _), *events = _Receiver.received
    assert json.loads(verification) == {"verification_token": emulator.webhooks.verification_token}
    assert events and all(
        verify_signature(body, signature, emulator.webhooks.verification_token)
        for body, signature in events
    )
    assert "page.created" in [json.loads(body)["type"] for body, _ in events]
