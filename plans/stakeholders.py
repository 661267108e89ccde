"""People mentioned in conversations become stakeholders of the account, matched to the
ones already known (email first, then name within the account with nicknames and
initials) instead of being duplicated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from plans import repository
from plans.models import Stakeholder
from plans.names import name_tokens, names_match


@dataclass(frozen=True)
class PersonRef:
    name: str
    email: str | None = None
    title: str | None = None
    department: str | None = None


@dataclass
class Resolution:
    """Mention name -> stakeholder, for the people that could be resolved."""

    by_name: dict[str, Stakeholder] = field(default_factory=dict)
    created: set[uuid.UUID] = field(default_factory=set)
    updated: set[uuid.UUID] = field(default_factory=set)
    ambiguous: list[str] = field(default_factory=list)

    def stakeholder_for(self, name: str) -> Stakeholder | None:
        if name in self.by_name:
            return self.by_name[name]
        matches = {s.id: s for s in self.by_name.values() if names_match(name, s.full_name)}
        return next(iter(matches.values())) if len(matches) == 1 else None


def resolve_people(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    people: list[PersonRef],
    *,
    origin: str,
) -> Resolution:
    known = repository.live_stakeholders(session, workspace_id, account_id)
    resolution = Resolution()
    # Fuller names first, so "Sarah" can match the "Sarah Chen" met in the same call.
    for person in sorted(people, key=lambda p: (-len(name_tokens(p.name)), p.name)):
        stakeholder, ambiguous = _find(session, workspace_id, known, person)
        if ambiguous:
            resolution.ambiguous.append(person.name)
            continue
        if stakeholder is None:
            stakeholder = repository.add_stakeholder(
                session,
                workspace_id,
                account_id,
                {
                    "full_name": person.name.strip(),
                    "title": person.title,
                    "department": person.department,
                },
                [person.email] if person.email else [],
            )
            known.append(stakeholder)
            resolution.created.add(stakeholder.id)
        else:
            updated = _enrich(session, workspace_id, stakeholder, person)
            if updated is not stakeholder:
                known = [updated if s.id == updated.id else s for s in known]
                resolution.updated.add(updated.id)
                stakeholder = updated
        resolution.by_name[person.name] = stakeholder
    touched = resolution.created | resolution.updated
    record_changes(
        session,
        [
            Change(workspace_id, EntityType.STAKEHOLDER, sid, origin=origin)
            for sid in sorted(touched)
        ],
    )
    return resolution


def _find(
    session: Session, workspace_id: uuid.UUID, known: list[Stakeholder], person: PersonRef
) -> tuple[Stakeholder | None, bool]:
    """(the stakeholder this person is, whether several could be)."""
    if person.email:
        found = repository.stakeholder_id_by_email(session, workspace_id, person.email)
        if found is not None:
            match = next((s for s in known if s.id == found), None)
            return match or repository.stakeholders_by_ids(session, workspace_id, [found])[0], False
    exact = [s for s in known if name_tokens(s.full_name) == name_tokens(person.name)]
    if len(exact) == 1:
        return exact[0], False
    candidates = [
        s
        for s in known
        if names_match(person.name, s.full_name) or names_match(s.full_name, person.name)
    ]
    if len(candidates) == 1:
        return candidates[0], False
    return None, bool(candidates)


def _enrich(
    session: Session, workspace_id: uuid.UUID, stakeholder: Stakeholder, person: PersonRef
) -> Stakeholder:
    """Fill what the mention adds: a fuller name, a title, a department, an email."""
    fields: dict[str, object] = {}
    if len(name_tokens(person.name)) > len(name_tokens(stakeholder.full_name)):
        fields["full_name"] = person.name.strip()
    if person.title and not stakeholder.title:
        fields["title"] = person.title
    if person.department and not stakeholder.department:
        fields["department"] = person.department
    new_email = person.email and person.email.lower() not in stakeholder.emails
    if new_email and person.email:
        repository.add_stakeholder_email(session, workspace_id, stakeholder.id, person.email)
    if not fields and not new_email:
        return stakeholder
    return repository.update_stakeholder(session, workspace_id, stakeholder.id, fields)
