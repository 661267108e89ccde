"""Importing an organisation: people with attributes and the ties between them.

The same path serves a customer's org chart export and published organisational network
studies. Importing twice updates in place (people are keyed by their `ref` in the
source). Tie kinds:

| kind                      | stored as                              |
|---------------------------|----------------------------------------|
| reports_to                | REPORTS_TO source -> target            |
| defers_to                 | DEFERS_TO source -> target             |
| influences                | INFLUENCES source -> target            |
| advice (source asks target)| INFLUENCES target -> source           |
| allied_with, friendship, email, interaction | ALLIED_WITH source -> target |
| opposes                   | OPPOSES source -> target               |

Weights may be strengths in [0, 1] or counts (e-mails sent): counts are mapped to
(0.1, 1] as 0.1 + 0.9 * log(1 + count) / log(1 + largest count).
"""

from __future__ import annotations

import csv
import math
import uuid
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from sqlalchemy.orm import Session

from core.errors import InvalidInput, describe_validation_error
from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from plans import repository as plans_repository
from plans.map import repository
from plans.map.models import MapEdgeType
from scoring.titles import seniority

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
KINDS: dict[str, tuple[MapEdgeType, bool]] = {  # kind -> (edge type, reversed)
    "reports_to": (MapEdgeType.REPORTS_TO, False),
    "defers_to": (MapEdgeType.DEFERS_TO, False),
    "influences": (MapEdgeType.INFLUENCES, False),
    "advice": (MapEdgeType.INFLUENCES, True),
    "allied_with": (MapEdgeType.ALLIED_WITH, False),
    "friendship": (MapEdgeType.ALLIED_WITH, False),
    "email": (MapEdgeType.ALLIED_WITH, False),
    "interaction": (MapEdgeType.ALLIED_WITH, False),
    "opposes": (MapEdgeType.OPPOSES, False),
}


class OrgPerson(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ref: Ref
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    title: Annotated[str, StringConstraints(max_length=200)] | None = None
    department: Annotated[str, StringConstraints(max_length=100)] | None = None
    email: Annotated[str, StringConstraints(max_length=320)] | None = None


class OrgTie(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Ref
    target: Ref
    kind: str = Field(pattern="^(" + "|".join(KINDS) + ")$")
    weight: float = Field(default=1.0, gt=0)


class OrgImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    people: list[OrgPerson] = Field(min_length=1, max_length=100_000)
    ties: list[OrgTie] = Field(default_factory=list, max_length=1_000_000)

    @model_validator(mode="after")
    def _refs_resolve(self) -> OrgImport:
        refs = [p.ref for p in self.people]
        duplicates = (
            sorted({r for r in refs if refs.count(r) > 1}) if len(refs) < 5000 else _dupes(refs)
        )
        if duplicates:
            raise ValueError(f"people refs must be unique; repeated: {duplicates[:10]}")
        known = set(refs)
        unknown = sorted({r for t in self.ties for r in (t.source, t.target) if r not in known})
        if unknown:
            raise ValueError(f"ties name people not in `people`: {unknown[:10]}")
        return self


def _dupes(refs: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated: set[str] = set()
    for ref in refs:
        (repeated if ref in seen else seen).add(ref)
    return sorted(repeated)


def import_org(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID, org: OrgImport
) -> dict[str, int]:
    """Upsert the people and ties into the account; return counts."""
    ids = plans_repository.upsert_imported_people(
        session,
        workspace_id,
        account_id,
        [
            {
                "external_ref": p.ref,
                "full_name": p.name,
                "title": p.title,
                "department": p.department,
                "seniority": seniority(p.title).value,
            }
            for p in org.people
        ],
    )
    for person in org.people:
        if person.email:
            plans_repository.add_stakeholder_email(
                session, workspace_id, ids[person.ref], person.email
            )
    largest = max((t.weight for t in org.ties), default=1.0)
    counts = largest > 1.0
    edges: dict[tuple[uuid.UUID, uuid.UUID, str], float] = {}
    for tie in org.ties:
        edge_type, flipped = KINDS[tie.kind]
        source, target = ids[tie.source], ids[tie.target]
        if flipped:
            source, target = target, source
        if source == target:
            continue
        weight = 0.1 + 0.9 * math.log1p(tie.weight) / math.log1p(largest) if counts else tie.weight
        key = (source, target, edge_type.value)
        edges[key] = max(edges.get(key, 0.0), round(min(weight, 1.0), 4))
    repository.upsert_imported_relations(session, workspace_id, account_id, edges)
    reports = {(s, t) for (s, t, kind) in edges if kind == MapEdgeType.REPORTS_TO.value}
    plans_repository.set_reports_to(session, {s: t for s, t in reports})
    record_changes(
        session, [Change(workspace_id, EntityType.ACCOUNT_SCORES, account_id, origin="import")]
    )
    return {"people": len(org.people), "ties": len(edges)}


def check_account_size(people: int, limit: int) -> None:
    if people > limit:
        raise InvalidInput(f"{people} people; an import takes at most {limit}", field="body.people")


def from_csv(nodes: Path, ties: dict[str, Path], *, name_column: str = "name") -> OrgImport:
    """Read `nodes` (a CSV with an `id` column and optional name, title, department,
    email) and tie files (CSV `source,target[,weight]`, one file per kind)."""
    with nodes.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "id" not in rows[0]:
        raise InvalidInput(f"{nodes}: needs an `id` column (has {sorted(rows[0])})", field="nodes")
    people = [
        {
            "ref": row["id"],
            "name": row.get(name_column) or f"Person {row['id']}",
            "title": row.get("title") or None,
            "department": row.get("department") or row.get("dept") or None,
            "email": row.get("email") or None,
        }
        for row in rows
    ]
    found: list[dict[str, object]] = []
    for kind, path in ties.items():
        if kind not in KINDS:
            raise InvalidInput(
                f"unknown tie kind {kind!r}; kinds are {sorted(KINDS)}", field="ties"
            )
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                weight = row.get("weight") or 1.0  # a number in the CSV's text; checked below
                found.append(
                    {
                        "source": row["source"],
                        "target": row["target"],
                        "kind": kind,
                        "weight": weight,
                    }
                )
    try:
        return OrgImport.model_validate({"people": people, "ties": found})
    except ValidationError as exc:
        message = f"importing {nodes}: {describe_validation_error(exc)}"
        raise InvalidInput(message, field="nodes") from None


def from_edges(
    people: list[tuple[str, dict[str, str | None]]], edges: list[tuple[str, str, float]], kind: str
) -> OrgImport:
    """An import from (ref, attributes) people and (source, target, weight) ties of one kind."""
    return OrgImport(
        people=[
            OrgPerson(
                ref=ref,
                name=attrs.get("name") or f"Person {ref}",
                title=attrs.get("title"),
                department=attrs.get("department"),
            )
            for ref, attrs in people
        ],
        ties=[OrgTie(source=s, target=t, kind=kind, weight=w) for s, t, w in edges],
    )
