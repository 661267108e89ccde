"""Field-level three-way merge of our value, the CRM's value and the shadow (the last value
both agreed on), all in the form the CRM stores.

    only ours changed          -> push ours
    only the CRM's changed     -> pull theirs (a field computed here is put back instead)
    both changed, same value   -> agree
    both changed, differently  -> the field's rule decides; the conflict is logged

A field without a shadow (the first time two existing records meet) counts as changed on
both sides when the values differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from connectors.mapping import ConflictRule, FieldSpec

# The CRM's edit times are cut to the minute: its edit happened in [edited_at, +1 minute).
REMOTE_TIME_RESOLUTION = timedelta(minutes=1)
READ_ONLY = "read_only"


class Winner(StrEnum):
    POSTGRES = "postgres"
    CRM = "crm"


@dataclass(frozen=True)
class FieldConflict:
    field: str
    local: Any
    remote: Any
    shadow: Any
    rule: str  # a ConflictRule, or READ_ONLY for a CRM edit of a field computed here
    winner: Winner | None  # None: waits for a person (manual)
    reason: str


@dataclass
class MergeResult:
    push: dict[str, Any] = field(default_factory=dict)  # write these to the CRM
    pull: dict[str, Any] = field(default_factory=dict)  # apply these here
    agreed: dict[str, Any] = field(default_factory=dict)  # new shadow values
    conflicts: list[FieldConflict] = field(default_factory=list)


@dataclass(frozen=True)
class Sides:
    """One record's values on both sides, when each was last edited, and the shadow."""

    local: dict[str, Any]
    remote: dict[str, Any]
    shadow: dict[str, Any]
    local_edited_at: datetime
    remote_edited_at: datetime


def _latest(sides: Sides) -> tuple[Winner, str]:
    if sides.local_edited_at >= sides.remote_edited_at + REMOTE_TIME_RESOLUTION:
        return Winner.POSTGRES, "our edit is later"
    if sides.local_edited_at < sides.remote_edited_at:
        return Winner.CRM, "the CRM's edit is later"
    return Winner.POSTGRES, "both edits fall in the same minute; Postgres is the system of record"


def decide(rule: ConflictRule, local: Any, remote: Any, sides: Sides) -> tuple[Winner | None, str]:
    """Who wins a real conflict under `rule`, and why (in words a rep can read)."""
    if rule is ConflictRule.POSTGRES_WINS:
        return Winner.POSTGRES, "postgres_wins"
    if rule is ConflictRule.CRM_WINS:
        return Winner.CRM, "crm_wins"
    if rule is ConflictRule.MANUAL:
        return None, "manual: waiting for a person to choose"
    if rule is ConflictRule.PREFER_NON_BLANK:
        if local is None:
            return Winner.CRM, "prefer_non_blank: ours is blank"
        if remote is None:
            return Winner.POSTGRES, "prefer_non_blank: the CRM's is blank"
    winner, why = _latest(sides)
    return winner, f"{rule.value}: {why}"


def merge(
    specs: list[FieldSpec],
    rules: dict[str, ConflictRule],
    sides: Sides,
    *,
    held: frozenset[str] = frozenset(),
) -> MergeResult:
    """Decide every field in `specs`. Fields in `held` (an open manual conflict) are left
    alone unless both sides now agree."""
    result = MergeResult()
    for spec in specs:
        name = spec.name
        local, remote = sides.local.get(name), sides.remote.get(name)
        known = name in sides.shadow
        shadow = sides.shadow.get(name)
        if local == remote:
            if not known or shadow != local:
                result.agreed[name] = local
            continue
        if name in held:
            continue
        local_changed = not known or local != shadow
        remote_changed = not known or remote != shadow
        if local_changed and not remote_changed:
            result.push[name] = local
            continue
        if remote_changed and not local_changed:
            if spec.editable_in_crm:
                result.pull[name] = remote
            else:
                result.push[name] = local
                result.conflicts.append(
                    FieldConflict(
                        name,
                        local,
                        remote,
                        shadow,
                        READ_ONLY,
                        Winner.POSTGRES,
                        "computed here and read-only in the CRM: our value was put back",
                    )
                )
            continue
        rule = rules[name] if spec.editable_in_crm else ConflictRule.POSTGRES_WINS
        winner, reason = decide(rule, local, remote, sides)
        if winner is Winner.POSTGRES:
            result.push[name] = local
        elif winner is Winner.CRM:
            result.pull[name] = remote
        result.conflicts.append(
            FieldConflict(name, local, remote, shadow, rule.value, winner, reason)
        )
    return result
