"""What one processed conversation adds to the political map: our people, who took part
and how much, person-to-person relations, and roles, each with the evidence behind it."""

from __future__ import annotations

import re
import uuid

from sqlalchemy.orm import Session

from app.outbox.models import Change, EntityType
from app.outbox.service import record_changes
from plans import repository as stakeholders
from plans.conversations.tables import ConversationRow
from plans.extraction.signals import Element, Item, Polarity, RelationType, Side, Signals
from plans.map import repository
from plans.map.models import ROLE_STANCE, EvidenceItem, MapEdgeType, Role, Scope
from plans.names import names_match
from plans.opportunities.evidence import ConversationFacts
from plans.stakeholders import Resolution
from scoring.evidence import Said
from scoring.titles import seniority

EDGE_OF = {
    RelationType.DEFERS_TO: MapEdgeType.DEFERS_TO,
    RelationType.REPORTS_TO: MapEdgeType.REPORTS_TO,
    RelationType.INFLUENCES: MapEdgeType.INFLUENCES,
    RelationType.ALLIED_WITH: MapEdgeType.ALLIED_WITH,
    RelationType.OPPOSES: MapEdgeType.OPPOSES,
}
ROLE_OF_ELEMENT = {
    Element.ECONOMIC_BUYER: (Role.ECONOMIC_BUYER, Said.ECONOMIC_BUYER),
    Element.AUTHORITY: (Role.DECISION_MAKER, Said.AUTHORITY),
    Element.CHAMPION: (Role.CHAMPION, Said.CHAMPION),
}
SIGNS_OFF = re.compile(r"sign|decid|call|budget|approv", re.IGNORECASE)


def record_conversation(
    session: Session,
    facts: ConversationFacts,
    row: ConversationRow,
    people: Resolution,
    opportunity_ids: list[uuid.UUID],
) -> None:
    """Add the conversation's map evidence; ask for the account's scores to be recomputed
    (through the outbox), which in turn re-projects the account's graph."""
    signals = facts.signals
    ours = [
        repository.our_person(
            session, facts.workspace_id, p["name"], p.get("email"), p.get("title")
        )
        for p in row.participants
        if p.get("side") == Side.OURS
    ]
    _record_interactions(session, facts, row, people, ours, signals)
    _record_relations(session, facts, people, signals)
    scope = (
        Scope(kind="opportunity", opportunity_id=opportunity_ids[0])
        if len(opportunity_ids) == 1
        else Scope()
    )
    _record_roles(session, facts, people, signals, scope)
    _refresh_seniority(session, facts, people)
    record_changes(
        session,
        [
            Change(
                facts.workspace_id, EntityType.ACCOUNT_SCORES, facts.account_id, origin=facts.source
            )
        ],
    )


def _evidence(
    facts: ConversationFacts, item: Item, said: Said | None = None, detail: str | None = None
) -> EvidenceItem:
    return EvidenceItem(
        quote=getattr(item, "quote", None),
        confidence=float(getattr(item, "confidence", 0.5)),
        said=said.value if said else None,
        detail=detail,
        conversation_id=facts.conversation_id,
        signal_id=facts.signal_id(item),
        observed_at=facts.occurred_at,
        source=facts.source,
    )


def _record_interactions(
    session: Session,
    facts: ConversationFacts,
    row: ConversationRow,
    people: Resolution,
    ours: list[uuid.UUID],
    signals: Signals,
) -> None:
    participants = [p["name"] for p in row.participants if p.get("side") == Side.CUSTOMER]
    spoken: dict[str, int] = {}
    for turn in row.turns or []:
        spoken[turn["speaker"]] = spoken.get(turn["speaker"], 0) + len(turn["text"].split())
    authors = re.findall(
        r"^\s*(?:>\s*)*From:\s*\"?([^<\"\n]+?)\"?\s*(?:<[^>]*>)?\s*$", row.text or "", re.MULTILINE
    )
    trust_by_person: dict[uuid.UUID, list[dict[str, object]]] = {}
    for indicator in signals.trust:
        person = people.stakeholder_for(indicator.person) if indicator.person else None
        if person is not None:
            trust_by_person.setdefault(person.id, []).append(
                _evidence(facts, indicator, detail=indicator.kind.value).model_dump(mode="json")
            )
    for stakeholder in {s.id: s for s in people.by_name.values()}.values():
        took_part = any(names_match(name, stakeholder.full_name) for name in participants)
        words = sum(
            count
            for speaker, count in spoken.items()
            if names_match(speaker, stakeholder.full_name)
        )
        wrote = any(names_match(author, stakeholder.full_name) for author in authors)
        repository.record_interaction(
            session,
            {
                "workspace_id": facts.workspace_id,
                "account_id": facts.account_id,
                "conversation_id": facts.conversation_id,
                "stakeholder_id": stakeholder.id,
                "our_people": [str(i) for i in ours],
                "occurred_at": facts.occurred_at,
                "channel": row.channel,
                "participated": took_part,
                "spoke": bool(words) or wrote,
                "words": words,
                "trust": trust_by_person.get(stakeholder.id, []),
            },
        )


def _record_relations(
    session: Session, facts: ConversationFacts, people: Resolution, signals: Signals
) -> None:
    for relation in signals.relations:
        source = people.stakeholder_for(relation.source)
        if source is None:
            continue
        if relation.target is None:
            continue  # about the deal, not a person: a role (see _record_roles)
        target = people.stakeholder_for(relation.target)
        if target is None or target.id == source.id:
            continue
        said = Said.DEFERRED_TO
        if (
            relation.type is RelationType.DEFERS_TO
            and relation.detail
            and SIGNS_OFF.search(relation.detail)
        ):
            said = Said.SIGNS_OFF
        repository.add_relation_evidence(
            session,
            facts.workspace_id,
            facts.account_id,
            source.id,
            target.id,
            EDGE_OF[relation.type].value,
            _evidence(facts, relation, said, relation.detail),
        )
        if relation.type is RelationType.REPORTS_TO and source.reports_to_id is None:
            stakeholders.update_stakeholder(
                session, facts.workspace_id, source.id, {"reports_to_id": target.id}
            )
        if said is Said.SIGNS_OFF:
            repository.add_role_evidence(
                session,
                facts.workspace_id,
                target.id,
                Role.ECONOMIC_BUYER.value,
                "account",
                None,
                _evidence(facts, relation, Said.SIGNS_OFF, relation.detail),
            )


def _record_roles(
    session: Session, facts: ConversationFacts, people: Resolution, signals: Signals, scope: Scope
) -> None:
    for relation in signals.relations:
        if relation.target is not None:
            continue
        person = people.stakeholder_for(relation.source)
        if person is None:
            continue
        if relation.type is RelationType.BACKS:
            role, said = Role.CHAMPION, Said.CHAMPION
        elif relation.type is RelationType.OPPOSES:
            role, said = Role.BLOCKER, Said.BLOCKER
        else:
            detail = (relation.detail or "").lower()
            said = (
                Said.CAN_BLOCK
                if "block" in detail
                else Said.ON_COMMITTEE
                if "committee" in detail
                else Said.INFLUENTIAL
            )
            role = Role.INFLUENCER
        role_scope = scope.key() if role in (Role.CHAMPION, Role.BLOCKER) else "account"
        repository.add_role_evidence(
            session,
            facts.workspace_id,
            person.id,
            role.value,
            role_scope,
            ROLE_STANCE.get(role, None),
            _evidence(facts, relation, said, relation.detail),
        )
    for item in signals.qualification:
        if (
            item.person is None
            or item.element not in ROLE_OF_ELEMENT
            or item.polarity is not Polarity.SUPPORTS
        ):
            continue
        person = people.stakeholder_for(item.person)
        if person is None:
            continue
        role, said = ROLE_OF_ELEMENT[item.element]
        role_scope = scope.key() if role is Role.CHAMPION else "account"
        repository.add_role_evidence(
            session,
            facts.workspace_id,
            person.id,
            role.value,
            role_scope,
            ROLE_STANCE.get(role, None),
            _evidence(facts, item, said, item.summary),
        )


def _refresh_seniority(session: Session, facts: ConversationFacts, people: Resolution) -> None:
    for person in {s.id: s for s in people.by_name.values()}.values():
        level = seniority(person.title).value
        if person.seniority != level:
            stakeholders.update_stakeholder(
                session, facts.workspace_id, person.id, {"seniority": level}
            )
