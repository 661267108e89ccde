"""Values as Notion stores them: the normal form merges compare in."""

from __future__ import annotations

from datetime import date

import pytest

from connectors.errors import RecordRejected
from connectors.mapping import ConflictRule, EntityMapping, FieldKind, FieldMapping, SyncMapping
from connectors.notion.ratelimit import TokenBucket
from connectors.notion.values import TRUNCATED, decode, encode, normalise

K = FieldKind


def test_blanks_are_none_whatever_their_shape() -> None:
    for kind in K:
        assert normalise(kind, None) is None
    assert normalise(K.TEXT, "") is None and normalise(K.MULTI_SELECT, []) is None


def test_dates_lose_seconds_and_keep_an_offset_like_notion() -> None:
    assert normalise(K.DATE, date(2026, 5, 1)) == "2026-05-01"
    assert normalise(K.DATE, "2026-05-01T09:30:45.120+02:00") == "2026-05-01T07:30:00.000+00:00"
    assert normalise(K.DATE, "2026-05-01T09:30:45Z") == "2026-05-01T09:30:00.000+00:00"


def test_select_names_cannot_hold_commas_and_option_lists_are_sets() -> None:
    assert normalise(K.SELECT, "Oil, Gas") == "Oil; Gas"
    assert normalise(K.MULTI_SELECT, ["champion", "blocker", "champion"]) == ["blocker", "champion"]
    assert normalise(K.NUMBER, 12) == 12.0


def test_long_text_is_written_in_2000_character_pieces_and_cut_at_notions_limit() -> None:
    text = "x" * 4_500
    pieces = encode(K.TEXT, text, "notes")["rich_text"]
    assert [len(p["text"]["content"]) for p in pieces] == [2000, 2000, 500]
    assert normalise(K.TEXT, "y" * 250_000) == "y" * 200_000


def test_more_than_100_relations_or_options_are_refused_with_the_field_named() -> None:
    with pytest.raises(RecordRejected, match="opportunity.contacts has 101 entries"):
        encode(K.RELATION, [f"id-{i}" for i in range(101)], "opportunity.contacts")


def test_decoding_reads_plain_text_options_and_notices_a_cut_relation() -> None:
    assert (
        decode({"type": "rich_text", "rich_text": [{"plain_text": "a"}, {"plain_text": "b"}]})
        == "ab"
    )
    assert decode({"type": "select", "select": None}) is None
    assert decode({"type": "date", "date": {"start": "2026-05-01T09:30:00.000+00:00"}}) == (
        "2026-05-01T09:30:00.000+00:00"
    )
    cut = {"type": "relation", "relation": [{"id": "1" * 32}] * 25, "has_more": True}
    assert decode(cut) is TRUNCATED
    with pytest.raises(RecordRejected, match="formula"):
        decode({"type": "formula", "formula": {}})


def test_a_mapping_names_unknown_and_missing_fields_and_reads_notion_wins() -> None:
    fields = {"name": FieldMapping(remote="t"), "colour": FieldMapping(remote="c")}
    with pytest.raises(ValueError, match="account.colour is not a synced field"):
        SyncMapping(
            entities={"account": EntityMapping(location="ds", record_id="r", fields=fields)}
        )
    with pytest.raises(ValueError, match="opportunity.name must be mapped"):
        SyncMapping(
            entities={"opportunity": EntityMapping(location="ds", record_id="r", fields={})}
        )
    mapped = FieldMapping.model_validate({"remote": "x", "rule": "notion_wins"})
    assert mapped.rule is ConflictRule.CRM_WINS


def test_the_token_bucket_paces_and_holds_everyone_back_after_a_429() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(3.0, 3, clock=lambda: now[0], sleep=sleep, seed=1)
    for _ in range(9):
        bucket.acquire()
    assert now[0] == pytest.approx(2.0, abs=0.01)  # 3 at once, then 3 a second
    bucket.hold_off(1.5)
    start = now[0]
    bucket.acquire()
    assert now[0] - start >= 1.5
