"""The Notion emulator answers like the real Notion API did in recorded traffic.

Every cassette under ../shared/data/notion-cassettes (real api.notion.com exchanges
recorded by notion-sdk-py, Notion-Version 2025-09-03, and ultimate-notion, mostly
2026-03-11) is either replayed here or listed as out of scope with the reason. Replaying
a cassette means: start a fresh emulator, seed the users and pages that existed before the
recording (under their recorded ids), set the virtual clock to the recording's time, then
send every recorded request (ids rewritten to the emulator's, learnt from earlier answers)
and compare status, keys, JSON types, ids and request-determined values (see
tests/notion_emulator/conformance.py). Requests to endpoints the emulator does not
implement (block children, comments, markdown, ...) are not sent; nothing that follows in a
covered cassette depends on them.

Covered: 80 cassettes, 715 interactions compared (15 of them error answers); 11 requests
to out-of-scope endpoints inside covered cassettes are not sent (block children).

- pages: create (data source and page parents, every writable property type), retrieve,
  update (properties, icon, cover, lock, in_trash / archived), trash and restore through
  DELETE /v1/blocks; 404 object_not_found for unknown pages and users.
- databases: create (with and without initial_data_source and title, inline), retrieve,
  update (title, description, icon, lock, trash); data sources: create, retrieve, update
  (title, add / rename / retype / delete properties, select options, one- and two-way
  relations, rollups, formulas, unique ids), trash.
- queries: the 100 + 10 pagination chain with a real cursor
  (test_database/test_more_than_max_page_size_pages), text / number / select /
  multi-select / checkbox / files / date / timestamp filters with their recorded result
  sets and order (test_query/*), empty queries.
- property items: the 25-item relation truncation on the page object and the full list
  from GET /v1/pages/{id}/properties/{property_id}
  (test_page/test_more_than_max_refs_per_relation_property), title items.
- date normalisation: seconds and time_zone in, minute precision with an offset and
  `time_zone: null` out (test_query/test_date_query, test_schema/test_all_createable_props).
- users: me, retrieve, list (list membership compared by shape: workspaces differ);
  errors: invalid_request_url, unauthorized, object_not_found (exact message form).

Out of scope (see OUT_OF_SCOPE below for each file): blocks and block children, comments,
file uploads, views, page markdown, page/data-source moves, templates, custom emojis, the
`place` property (geocoded by Notion), fixtures that search the recorder's pre-existing
workspace, and two notion-sdk-py tests that call a mock HTTP status server, not Notion.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch

import httpx
import pytest

from tests.notion_emulator import NotionEmulator, load_cassette, running_emulator
from tests.notion_emulator.conformance import Replayer, Rules, integration_name
from tests.support.shared_data import shared_data_dir

CASSETTES = shared_data_dir() / "notion-cassettes"


@dataclass(frozen=True)
class Scope:
    # Interactions that must be compared (not skipped): the behaviours this file exists for.
    key: tuple[int, ...] = ()
    workspace_search: bool = False


IN_SCOPE: dict[str, Scope] = {
    # notion-sdk-py, Notion-Version 2025-09-03, vcrpy 6 layout
    "notion-sdk-py/test_api_response_error.yaml": Scope(key=(0, 1)),
    "notion-sdk-py/test_api_response_error_additional_data.yaml": Scope(key=(0,)),
    "notion-sdk-py/test_api_response_error_request_id.yaml": Scope(key=(0,)),
    "notion-sdk-py/test_async_api_response_error.yaml": Scope(key=(0, 1)),
    "notion-sdk-py/test_async_api_response_error_additional_data.yaml": Scope(key=(0,)),
    "notion-sdk-py/test_async_api_response_error_request_id.yaml": Scope(key=(0,)),
    "notion-sdk-py/test_async_client_request.yaml": Scope(key=(0, 1)),
    "notion-sdk-py/test_async_client_request_auth.yaml": Scope(key=(0, 1)),
    "notion-sdk-py/test_client_request.yaml": Scope(key=(0, 1)),
    "notion-sdk-py/test_client_request_auth.yaml": Scope(key=(0, 1)),
    "notion-sdk-py/test_build_request_error_integration.yaml": Scope(key=(0,)),
    "notion-sdk-py/test_data_sources_create.yaml": Scope(key=(1, 2)),
    "notion-sdk-py/test_data_sources_query.yaml": Scope(key=(3, 4)),
    "notion-sdk-py/test_data_sources_retrieve.yaml": Scope(key=(3,)),
    "notion-sdk-py/test_data_sources_update.yaml": Scope(key=(3, 4)),
    "notion-sdk-py/test_databases_create.yaml": Scope(key=(1, 2)),
    "notion-sdk-py/test_databases_retrieve.yaml": Scope(key=(2,)),
    "notion-sdk-py/test_databases_update.yaml": Scope(key=(2,)),
    "notion-sdk-py/test_is_full_data_source.yaml": Scope(),
    "notion-sdk-py/test_is_full_database.yaml": Scope(),
    "notion-sdk-py/test_is_full_page.yaml": Scope(),
    "notion-sdk-py/test_is_full_page_or_data_source.yaml": Scope(),
    "notion-sdk-py/test_is_full_user.yaml": Scope(),
    "notion-sdk-py/test_pages_create.yaml": Scope(key=(0, 1)),
    "notion-sdk-py/test_pages_delete.yaml": Scope(key=(2,)),
    "notion-sdk-py/test_pages_properties_retrieve.yaml": Scope(key=(1,)),
    "notion-sdk-py/test_pages_retrieve.yaml": Scope(key=(1,)),
    "notion-sdk-py/test_pages_update.yaml": Scope(key=(1, 2)),
    "notion-sdk-py/test_search.yaml": Scope(key=(1,)),
    "notion-sdk-py/test_users_list.yaml": Scope(key=(0,)),
    "notion-sdk-py/test_users_me.yaml": Scope(key=(0,)),
    "notion-sdk-py/test_users_retrieve.yaml": Scope(key=(0, 1)),
    # ultimate-notion, mostly Notion-Version 2026-03-11, older httpx layout
    "ultimate-notion/test_database/test_create_db.yaml": Scope(key=(0, 1, 2, 4, 5)),
    "ultimate-notion/test_database/test_db_add_remove_data_source.yaml": Scope(key=(3, 5, 6)),
    "ultimate-notion/test_database/test_db_inline.yaml": Scope(),
    "ultimate-notion/test_database/test_db_with_docstring.yaml": Scope(),
    "ultimate-notion/test_database/test_db_with_title.yaml": Scope(),
    "ultimate-notion/test_database/test_db_without_title.yaml": Scope(),
    "ultimate-notion/test_database/test_delete_restore_db.yaml": Scope(),
    "ultimate-notion/test_database/test_description_setter.yaml": Scope(),
    "ultimate-notion/test_database/test_lock_unlock_db.yaml": Scope(),
    "ultimate-notion/test_database/test_lock_unlock_ds.yaml": Scope(),
    "ultimate-notion/test_database/test_more_than_max_page_size_pages.yaml": Scope(key=(114, 115)),
    "ultimate-notion/test_database/test_new_task_db.yaml": Scope(),
    "ultimate-notion/test_database/test_parent_subdbs.yaml": Scope(),
    "ultimate-notion/test_database/test_reload_db.yaml": Scope(),
    "ultimate-notion/test_database/test_schema.yaml": Scope(key=(0, 1)),
    "ultimate-notion/test_database/test_title_setter.yaml": Scope(),
    "ultimate-notion/test_page/test_ancestors.yaml": Scope(),
    "ultimate-notion/test_page/test_cover_attr.yaml": Scope(),
    "ultimate-notion/test_page/test_created_edited_by.yaml": Scope(),
    "ultimate-notion/test_page/test_delete_restore_page.yaml": Scope(key=(2, 3)),
    "ultimate-notion/test_page/test_icon_attr.yaml": Scope(),
    "ultimate-notion/test_page/test_lock_unlock_page.yaml": Scope(),
    "ultimate-notion/test_page/test_more_than_max_mentions_per_text_property.yaml": Scope(),
    "ultimate-notion/test_page/test_more_than_max_refs_per_relation_property.yaml": Scope(
        key=(6, 9, 39, 40)
    ),
    "ultimate-notion/test_page/test_option_page_props.yaml": Scope(),
    "ultimate-notion/test_page/test_parent.yaml": Scope(),
    "ultimate-notion/test_page/test_parent_db.yaml": Scope(),
    "ultimate-notion/test_page/test_parent_subpages.yaml": Scope(),
    "ultimate-notion/test_page/test_reload_page.yaml": Scope(),
    "ultimate-notion/test_page/test_title_attr.yaml": Scope(),
    "ultimate-notion/test_page/test_update_props.yaml": Scope(key=(2, 3)),
    "ultimate-notion/test_query/test_date_query.yaml": Scope(key=(3, 4, 5, 6, 7, 8, 9, 11, 15)),
    "ultimate-notion/test_query/test_files_checkbox_query.yaml": Scope(),
    "ultimate-notion/test_query/test_number_query.yaml": Scope(),
    "ultimate-notion/test_query/test_select_query.yaml": Scope(),
    "ultimate-notion/test_query/test_text_query.yaml": Scope(),
    "ultimate-notion/test_schema/test_add_del_update_prop.yaml": Scope(),
    "ultimate-notion/test_schema/test_all_createable_props_schema.yaml": Scope(
        key=(20, 22, 28, 29, 30), workspace_search=True
    ),
    "ultimate-notion/test_schema/test_bind_db.yaml": Scope(),
    "ultimate-notion/test_schema/test_self_ref_relation.yaml": Scope(),
    "ultimate-notion/test_schema/test_two_way_prop.yaml": Scope(),
    "ultimate-notion/test_schema/test_update_prop_type_attrs.yaml": Scope(),
    "ultimate-notion/test_schema/test_update_unique_id_prop.yaml": Scope(workspace_search=True),
    "ultimate-notion/test_session/test_all_users.yaml": Scope(),
    "ultimate-notion/test_session/test_create_page.yaml": Scope(),
    "ultimate-notion/test_session/test_get_page_by_id.yaml": Scope(key=(2,)),
    "ultimate-notion/test_session/test_raise_for_status.yaml": Scope(),
    "ultimate-notion/test_session/test_whoami_get_user.yaml": Scope(key=(0, 1, 2)),
}

OUT_OF_SCOPE: dict[str, str] = {
    "notion-sdk-py/test_api_http_response_error.yaml": "calls mock.httpstatus.io, not Notion",
    "notion-sdk-py/test_api_async_request_bad_request_error.yaml": (
        "calls mock.httpstatus.io, not Notion"
    ),
    "notion-sdk-py/test_blocks_*.yaml": "blocks",
    "notion-sdk-py/test_is_full_block.yaml": "blocks",
    "notion-sdk-py/test_is_*_rich_text_item_response.yaml": "rich text read from blocks",
    "notion-sdk-py/test_iterate_paginated_api.yaml": "block children pagination",
    "notion-sdk-py/test_async_iterate_paginated_api.yaml": "block children pagination",
    "notion-sdk-py/test_collect_paginated_api.yaml": "searches the recorder's workspace",
    "notion-sdk-py/test_async_collect_paginated_api.yaml": "searches the recorder's workspace",
    "notion-sdk-py/test_comments_*.yaml": "comments",
    "notion-sdk-py/test_is_full_comment.yaml": "comments",
    "notion-sdk-py/test_file_uploads_*.yaml": "file uploads",
    "notion-sdk-py/test_views_*.yaml": "views",
    "notion-sdk-py/test_*data_source_templates.yaml": "data source templates",
    "notion-sdk-py/test_data_sources_list_templates.yaml": "data source templates",
    "notion-sdk-py/test_pages_*markdown.yaml": "page markdown",
    "notion-sdk-py/test_async_tasks_retrieve.yaml": "page markdown tasks",
    "notion-sdk-py/test_move_pages.yaml": "moving pages",
    "notion-sdk-py/test_custom_emojis_list.yaml": "custom emojis",
    "ultimate-notion/fixtures/*.yaml": "finds pre-existing workspace content by search",
    "ultimate-notion/test_blocks/*.yaml": "blocks",
    "ultimate-notion/test_database/test_get_or_create_db.yaml": (
        "its flow depends on search results from the recorder's workspace"
    ),
    "ultimate-notion/test_database/test_move_ds.yaml": "moving a data source between databases",
    "ultimate-notion/test_page/test_custom_emoji_icon.yaml": "custom emojis and block children",
    "ultimate-notion/test_page/test_embed_blocks.yaml": "blocks",
    "ultimate-notion/test_page/test_page_to_markdown.yaml": "blocks and markdown",
    "ultimate-notion/test_page/test_parent_children.yaml": "block children",
    "ultimate-notion/test_schema/test_bind_db_auto.yaml": "searches the recorder's workspace",
    "ultimate-notion/test_schema/test_place_property.yaml": "place values are geocoded by Notion",
    "ultimate-notion/test_schema/test_wiki_db_schema.yaml": "queries a pre-existing wiki database",
    "ultimate-notion/test_session/test_search_get_db.yaml": "searches the recorder's workspace",
    "ultimate-notion/test_session/test_search_page.yaml": "searches the recorder's workspace",
}


def _recordings() -> list[str]:
    return sorted(str(p.relative_to(CASSETTES)) for p in CASSETTES.rglob("*.yaml"))


def test_recordings_are_present() -> None:
    assert CASSETTES.is_dir(), f"the recorded Notion traffic is missing: {CASSETTES}"
    assert len(_recordings()) >= len(IN_SCOPE)


def test_every_recording_is_covered_or_excluded_with_a_reason() -> None:
    recordings = _recordings()
    excluded = {r for r in recordings if any(fnmatch(r, p) for p in OUT_OF_SCOPE)}
    unclassified = set(recordings) - excluded - set(IN_SCOPE)
    assert not unclassified, f"classify these recordings: {sorted(unclassified)}"
    assert not excluded & set(IN_SCOPE), "a recording is both covered and excluded"
    assert set(IN_SCOPE) <= set(recordings), "a covered recording is missing"


@pytest.mark.parametrize("name", sorted(IN_SCOPE))
def test_replay_matches_recording(name: str) -> None:
    scope = IN_SCOPE[name]
    cassette = load_cassette(CASSETTES / name)
    emulator = NotionEmulator(integration_name=integration_name(cassette))
    rules = Rules(workspace_search=scope.workspace_search)
    with (
        running_emulator(emulator) as running,
        httpx.Client(base_url=running.base_url, timeout=30) as http,
    ):
        outcomes = Replayer(emulator, http, cassette, rules).replay()
    compared = {o.interaction.index for o in outcomes if o.compared}
    assert compared, "no interaction of this recording was compared"
    assert set(scope.key) <= compared, f"key interactions not compared: {set(scope.key) - compared}"
    failures = [
        f"[{o.interaction.index}] {o.interaction.method} {o.interaction.path}\n    "
        + "\n    ".join(o.problems[:12])
        for o in outcomes
        if o.problems
    ]
    assert not failures, "\n".join(failures)


def test_loader_reads_both_cassette_layouts() -> None:
    vcr6 = load_cassette(CASSETTES / "notion-sdk-py/test_build_request_error_integration.yaml")
    older = load_cassette(CASSETTES / "ultimate-notion/test_session/test_get_page_by_id.yaml")

    (missing,) = vcr6.interactions
    assert (missing.method, missing.status, missing.notion_version) == ("GET", 404, "2025-09-03")
    assert missing.response_json["code"] == "object_not_found"
    assert [i.status for i in older.interactions] == [200, 200, 404]
    assert older.interactions[0].notion_version == "2026-03-11"
    assert older.interactions[0].response_json["object"] == "page"


# The recordings hold no validation_error; these messages are quoted verbatim in public
# issue reports against the real API, so the emulator must produce them character for
# character.
QUOTED_VALIDATION_ERRORS = [
    (
        # lizheming/doumark-action#11
        {"properties": {"intro": {"rich_text": [{"text": {"content": "x" * 2242}}]}}},
        "body failed validation: body.properties.intro.rich_text[0].text.content.length "
        "should be ≤ `2000`, instead was `2242`.",
    ),
    (
        # Myastr0/mk-notes#8
        {"children": [{"paragraph": {"rich_text": []}}] * 191},
        "body failed validation: body.children.length should be ≤ `100`, instead was `191`.",
    ),
    (
        # the "X is not a property that exists." reports (e.g. code searches for it)
        {"properties": {"Landing Page": {"url": "https://example.com"}}},
        "Landing Page is not a property that exists.",
    ),
    (
        # "完了日 is expected to be email" (a date written to an email property)
        {"properties": {"完了日": {"date": {"start": "2026-01-01"}}}},
        "完了日 is expected to be email.",
    ),
]


@pytest.mark.parametrize(("body", "message"), QUOTED_VALIDATION_ERRORS)
def test_validation_messages_match_public_reports(body: dict[str, object], message: str) -> None:
    with running_emulator() as running, httpx.Client(base_url=running.base_url) as http:
        headers = {
            "Authorization": f"Bearer {running.emulator.token}",
            "Notion-Version": "2025-09-03",
        }
        database = http.post(
            "/v1/databases",
            headers=headers,
            json={
                "parent": {"page_id": running.emulator.root_page_id},
                "initial_data_source": {
                    "properties": {
                        "Name": {"title": {}},
                        "intro": {"rich_text": {}},
                        "完了日": {"email": {}},
                    }
                },
            },
        ).json()
        parent = {"data_source_id": database["data_sources"][0]["id"]}
        answer = http.post("/v1/pages", headers=headers, json={"parent": parent, **body})

    assert answer.status_code == 400
    assert answer.json()["code"] == "validation_error"
    assert answer.json()["message"] == message


def test_missing_version_matches_public_report() -> None:
    # mgmarlow/notion-sdk-ruby#4 quotes this message for a request without Notion-Version.
    with running_emulator() as running, httpx.Client(base_url=running.base_url) as http:
        answer = http.get(
            "/v1/users/me", headers={"Authorization": f"Bearer {running.emulator.token}"}
        )
    assert (answer.status_code, answer.json()["code"]) == (400, "missing_version")
    assert answer.json()["message"] == (
        "Notion-Version header failed validation: Notion-Version header should be defined, "
        "instead was `undefined`."
    )
