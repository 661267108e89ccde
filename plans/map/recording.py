"""What one processed conversation adds to the political map: our people, who took part
and how much, person-to-person relations, and roles, each with the evidence behind it."""

from __future__ import annotations

import re
import uuid

from sqlalchemy.orm import Session

from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from plans import repository as stakeholders
from plans.evidence import ConversationFacts
from plans.extraction.conversation import ConversationDocument
from plans.extraction.signals import Item, Side, Signals
from plans.map import repository
from plans.map.claims import role_claims, tie_claims
from plans.map.models import ROLE_STANCE, EvidenceItem, MapEdgeType, Scope
from plans.names import names_match
from plans.stakeholders import Resolution
from scoring.evidence import Said
from scoring.titles import seniority


def record_conversation(
    session: Session,
    facts: ConversationFacts,
    conversation: ConversationDocument,
    people: Resolution,
    opportunity_ids: list[uuid.UUID],
) -> None:
    """Add the conversation's map evidence; ask for the account's scores to be recomputed
    (through the outbox), which in turn re-projects the account's graph."""
    signals = facts.signals
    ours = [
        repository.our_person(session, facts.workspace_id, p.name, p.email, p.title)
        for p in conversation.participants
        if p.side is Side.OURS
    ]
    _record_interactions(session, facts, conversation, people, ours, signals)
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
    facts: ConversationFacts,
    item: Item,
    said: Said | None = None,
    detail: str | None = None,
    *,
    against: bool = False,
) -> EvidenceItem:
    return EvidenceItem(
        against=against,
        quote=getattr(item, "quote", None),
        confidence=float(getattr(item, "confidence", 0.5)),
        said=said.value if said else None,
        detail=detail,
        conversation_id=facts.conversation_id,
        signal_id=facts.signal_id(item),
        observed_at=facts.occurred_at,
        source=facts.source,
    )


def _plain_text(conversation: ConversationDocument) -> str:
    """The text of a conversation given as one unlabelled block (an email thread's
    "From:" lines name its authors); empty for speaker-labelled turns."""
    if len(conversation.turns) == 1 and conversation.turns[0][0] is None:
        return conversation.turns[0][1]
    return ""


def _record_interactions(
    session: Session,
    facts: ConversationFacts,
    conversation: ConversationDocument,
    people: Resolution,
    ours: list[uuid.UUID],
    signals: Signals,
) -> None:
    participants = [p.name for p in conversation.participants if p.side is Side.CUSTOMER]
    spoken: dict[str, int] = {}
    for speaker, text in conversation.turns:
        if speaker is not None:
            spoken[speaker] = spoken.get(speaker, 0) + len(text.split())
    authors = re.findall(
        r"^\s*(?:>\s*)*From:\s*\"?([^<\"\n]+?)\"?\s*(?:<[^>]*>)?\s*$",
        _plain_text(conversation),
        re.MULTILINE,
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
                "channel": str(conversation.channel),
                "participated": took_part,
                "spoke": bool(words) or wrote,
                "words": words,
                "trust": trust_by_person.get(stakeholder.id, []),
            },
        )


def _record_relations(
    session: Session, facts: ConversationFacts, people: Resolution, signals: Signals
) -> None:
    for tie in tie_claims(signals):
        source = people.stakeholder_for(tie.source)
        target = people.stakeholder_for(tie.target)
        if source is None or target is None or target.id == source.id:
            continue
        repository.add_relation_evidence(
            session,
            facts.workspace_id,
            facts.account_id,
            source.id,
            target.id,
            tie.edge.value,
            _evidence(facts, tie.item, tie.said, tie.item.detail),
        )
        if tie.edge is MapEdgeType.REPORTS_TO and source.reports_to_id is None:
            stakeholders.update_stakeholder(
                session, facts.workspace_id, source.id, {"reports_to_id": target.id}
            )


def _record_roles(
    session: Session, facts: ConversationFacts, people: Resolution, signals: Signals, scope: Scope
) -> None:
    """Each role claim becomes role evidence; a denied role ("the budget isn't mine") is
    stored as evidence against it, which the scores read and the role's confidence
    weighs."""
    for claim in role_claims(signals):
        person = people.stakeholder_for(claim.person)
        if person is None:
            continue
        if claim.aspect:
            role_scope = Scope(kind="aspect", aspect=claim.aspect).key()
        elif claim.deal_scoped:
            role_scope = scope.key()
        else:
            role_scope = "account"
        repository.add_role_evidence(
            session,
            facts.workspace_id,
            person.id,
            claim.role.value,
            role_scope,
            ROLE_STANCE.get(claim.role, None),
            _evidence(facts, claim.item, claim.said, claim.detail, against=claim.denied),
        )


def _refresh_seniority(session: Session, facts: ConversationFacts, people: Resolution) -> None:
    for person in {s.id: s for s in people.by_name.values()}.values():
        level = seniority(person.title).value
        if person.seniority != level:
            stakeholders.update_stakeholder(
                session, facts.workspace_id, person.id, {"seniority": level}
            )
