"""The three-way merge, field by field, on hand-checked cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connectors.mapping import CATALOGUE, ConflictRule, FieldKind, FieldSpec, SyncedEntity
from connectors.sync.merge import READ_ONLY, Sides, Winner, merge

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
TEXT = FieldSpec("note", FieldKind.TEXT, ConflictRule.LATEST_WINS)
COMPUTED = FieldSpec("score", FieldKind.NUMBER, ConflictRule.POSTGRES_WINS, editable_in_crm=False)


def sides(
    local: object,
    remote: object,
    shadow: object = "old",
    *,
    local_at: datetime = T0,
    remote_at: datetime = T0,
) -> Sides:
    shadow_values = {} if shadow is ... else {"note": shadow, "score": shadow}
    return Sides(
        local={"note": local, "score": local},
        remote={"note": remote, "score": remote},
        shadow=shadow_values,
        local_edited_at=local_at,
        remote_edited_at=remote_at,
    )


def rules(rule: ConflictRule) -> dict[str, ConflictRule]:
    return {"note": rule, "score": ConflictRule.POSTGRES_WINS}


def test_only_ours_changed_is_pushed_only_theirs_is_pulled_equal_is_agreed() -> None:
    assert merge([TEXT], rules(ConflictRule.MANUAL), sides("new", "old")).push == {"note": "new"}
    assert merge([TEXT], rules(ConflictRule.MANUAL), sides("old", "new")).pull == {"note": "new"}
    same = merge([TEXT], rules(ConflictRule.MANUAL), sides("new", "new"))
    assert (same.agreed, same.push, same.pull, same.conflicts) == ({"note": "new"}, {}, {}, [])
    untouched = merge([TEXT], rules(ConflictRule.MANUAL), sides("old", "old"))
    assert (untouched.agreed, untouched.push, untouched.pull) == ({}, {}, {})


@pytest.mark.parametrize(
    ("rule", "local", "remote", "winner"),
    [
        (ConflictRule.POSTGRES_WINS, "ours", "theirs", Winner.POSTGRES),
        (ConflictRule.CRM_WINS, "ours", "theirs", Winner.CRM),
        (ConflictRule.PREFER_NON_BLANK, None, "theirs", Winner.CRM),
        (ConflictRule.PREFER_NON_BLANK, "ours", None, Winner.POSTGRES),
        (ConflictRule.MANUAL, "ours", "theirs", None),
    ],
)
def test_a_real_conflict_goes_by_the_rule_and_is_logged(
    rule: ConflictRule, local: object, remote: object, winner: Winner | None
) -> None:
    result = merge([TEXT], rules(rule), sides(local, remote))
    (conflict,) = result.conflicts
    assert (conflict.local, conflict.remote, conflict.shadow, conflict.winner) == (
        local,
        remote,
        "old",
        winner,
    )
    assert conflict.rule == rule.value
    if winner is Winner.POSTGRES:
        assert result.push == {"note": local} and not result.pull
    elif winner is Winner.CRM:
        assert result.pull == {"note": remote} and not result.push
    else:
        assert not result.push and not result.pull


def test_latest_wins_reads_the_crms_minute_as_a_whole_minute() -> None:
    latest = rules(ConflictRule.LATEST_WINS)
    ours_later = sides("ours", "theirs", local_at=T0 + timedelta(seconds=61), remote_at=T0)
    assert merge([TEXT], latest, ours_later).conflicts[0].winner is Winner.POSTGRES
    theirs_later = sides("ours", "theirs", local_at=T0, remote_at=T0 + timedelta(minutes=1))
    assert merge([TEXT], latest, theirs_later).conflicts[0].winner is Winner.CRM
    same_minute = sides("ours", "theirs", local_at=T0 + timedelta(seconds=30), remote_at=T0)
    decided = merge([TEXT], latest, same_minute).conflicts[0]
    assert decided.winner is Winner.POSTGRES and "same minute" in decided.reason


def test_a_crm_edit_of_a_computed_field_is_put_back_and_logged() -> None:
    result = merge([COMPUTED], rules(ConflictRule.CRM_WINS), sides("old", "9.9"))
    assert result.push == {"score": "old"} and not result.pull
    assert result.conflicts[0].rule == READ_ONLY
    both = merge([COMPUTED], {"score": ConflictRule.CRM_WINS}, sides("new", "9.9"))
    assert both.push == {"score": "new"} and both.conflicts[0].winner is Winner.POSTGRES


def test_without_a_shadow_different_values_are_a_conflict_and_equal_ones_agree() -> None:
    first = merge([TEXT], rules(ConflictRule.CRM_WINS), sides("ours", "theirs", ...))
    assert first.pull == {"note": "theirs"} and first.conflicts[0].shadow is None
    assert merge([TEXT], rules(ConflictRule.CRM_WINS), sides("x", "x", ...)).agreed == {"note": "x"}


def test_a_held_field_waits_unless_both_sides_now_agree() -> None:
    held = frozenset({"note"})
    waiting = merge([TEXT], rules(ConflictRule.MANUAL), sides("ours", "theirs"), held=held)
    assert (waiting.push, waiting.pull, waiting.conflicts) == ({}, {}, [])
    settled = merge([TEXT], rules(ConflictRule.MANUAL), sides("same", "same"), held=held)
    assert settled.agreed == {"note": "same"}


def test_the_catalogue_makes_scores_and_the_stage_postgres_wins_and_notes_crm_wins() -> None:
    deal = CATALOGUE[SyncedEntity.OPPORTUNITY]
    assert deal["stage"].rule is ConflictRule.POSTGRES_WINS
    assert deal["notes"].rule is ConflictRule.CRM_WINS
    person = CATALOGUE[SyncedEntity.STAKEHOLDER]
    assert all(
        not person[s].editable_in_crm
        for s in ("influence", "decision_power", "relationship", "roles")
    )
