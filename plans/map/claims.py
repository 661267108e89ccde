"""What one conversation's signals say about people, as map claims: roles (with the kind
of statement behind each, for the scores) and person-to-person ties.

Pure: signals in, claims out. Recording stores exactly these; the quality bench reads the
same claims, so what it measures is what the map receives.

Sources of roles, in order (a sentence counts once per person and role, whichever
sources read it): the role signals an extractor states outright; backs / opposes /
influences relations about the deal itself and a sign-off that someone defers to;
qualification items that name their person (economic buyer, authority, champion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plans.extraction.signals import (
    Element,
    Item,
    Polarity,
    Relation,
    RelationType,
    RoleSignal,
    Signals,
)
from plans.map.models import MapEdgeType, Role
from scoring.evidence import Said

EDGE_OF = {
    RelationType.DEFERS_TO: MapEdgeType.DEFERS_TO,
    RelationType.REPORTS_TO: MapEdgeType.REPORTS_TO,
    RelationType.INFLUENCES: MapEdgeType.INFLUENCES,
    RelationType.ALLIED_WITH: MapEdgeType.ALLIED_WITH,
    RelationType.BACKS: MapEdgeType.ALLIED_WITH,  # backing a person is an alliance
    RelationType.OPPOSES: MapEdgeType.OPPOSES,
}
ROLE_OF_ELEMENT = {
    Element.ECONOMIC_BUYER: (Role.ECONOMIC_BUYER, Said.ECONOMIC_BUYER),
    Element.AUTHORITY: (Role.DECISION_MAKER, Said.AUTHORITY),
    Element.CHAMPION: (Role.CHAMPION, Said.CHAMPION),
}
SAID_OF_ROLE = {
    Role.ECONOMIC_BUYER: Said.ECONOMIC_BUYER,
    Role.DECISION_MAKER: Said.AUTHORITY,
    Role.INFLUENCER: Said.INFLUENTIAL,
    Role.CHAMPION: Said.CHAMPION,
    Role.BLOCKER: Said.BLOCKER,
    Role.USER: Said.DAY_TO_DAY_USER,
    Role.TECHNICAL_EVALUATOR: Said.EVALUATOR,
}
# Said of a role a person is stated NOT to hold ("the budget isn't mine").
DENIED = {Role.ECONOMIC_BUYER: Said.NOT_BUDGET_HOLDER, Role.DECISION_MAKER: Said.NOT_DECIDER}
SIGNS_OFF = re.compile(r"sign|decid|call|budget|approv", re.IGNORECASE)
# Roles that belong to one deal rather than to the person at the account.
DEAL_SCOPED = {Role.CHAMPION, Role.BLOCKER}


@dataclass(frozen=True)
class RoleClaim:
    person: str
    role: Role
    said: Said | None
    item: Item
    detail: str | None = None
    denied: bool = False  # the conversation says the person does NOT hold it
    aspect: str | None = None

    @property
    def deal_scoped(self) -> bool:
        return self.role in DEAL_SCOPED and self.aspect is None


@dataclass(frozen=True)
class TieClaim:
    source: str
    target: str
    edge: MapEdgeType
    said: Said
    item: Relation


def role_claims(signals: Signals) -> list[RoleClaim]:
    claims = [_stated(signal) for signal in signals.roles]
    for relation in signals.relations:
        claim = _role_of_relation(relation)
        if claim is not None:
            claims.append(claim)
    for item in signals.qualification:
        if item.person is None or item.polarity is not Polarity.SUPPORTS:
            continue
        if item.element in ROLE_OF_ELEMENT:
            role, said = ROLE_OF_ELEMENT[item.element]
            claims.append(RoleClaim(item.person, role, said, item, item.summary))
    return _once_per_sentence(claims)


def _once_per_sentence(claims: list[RoleClaim]) -> list[RoleClaim]:
    """One claim per person, role and sentence: a sentence read by several sources (a role
    signal, the qualification item it also makes, a deferral to the same person) is one
    piece of evidence, not three that would inflate the role's confidence. The first
    source, in the order above, is kept."""
    kept: dict[tuple[str, Role, bool, str], RoleClaim] = {}
    for claim in claims:
        key = (
            claim.person,
            claim.role,
            claim.denied,
            " ".join(claim.item.quote.casefold().split()),
        )
        kept.setdefault(key, claim)
    return list(kept.values())


def tie_claims(signals: Signals) -> list[TieClaim]:
    ties = []
    for relation in signals.relations:
        if relation.target is None or relation.target == relation.source:
            continue
        said = Said.DEFERRED_TO
        if (
            relation.type is RelationType.DEFERS_TO
            and relation.detail
            and SIGNS_OFF.search(relation.detail)
        ):
            said = Said.SIGNS_OFF
        ties.append(
            TieClaim(relation.source, relation.target, EDGE_OF[relation.type], said, relation)
        )
    return ties


def held_roles(signals: Signals) -> set[tuple[str, Role]]:
    """(person, role) pairs the conversation supports and does not deny."""
    claims = role_claims(signals)
    denied = {(c.person, c.role) for c in claims if c.denied}
    return {(c.person, c.role) for c in claims if not c.denied} - denied


def _stated(signal: RoleSignal) -> RoleClaim:
    role = Role(signal.role.value)
    denied = signal.polarity is Polarity.CONTRADICTS
    said = DENIED.get(role) if denied else SAID_OF_ROLE.get(role)
    return RoleClaim(
        signal.person, role, said, signal, signal.aspect, denied=denied, aspect=signal.aspect
    )


def _role_of_relation(relation: Relation) -> RoleClaim | None:
    if relation.target is None:
        if relation.type is RelationType.BACKS:
            return RoleClaim(
                relation.source, Role.CHAMPION, Said.CHAMPION, relation, relation.detail
            )
        if relation.type is RelationType.OPPOSES:
            return RoleClaim(relation.source, Role.BLOCKER, Said.BLOCKER, relation, relation.detail)
        detail = (relation.detail or "").lower()
        said = (
            Said.CAN_BLOCK
            if "block" in detail
            else Said.ON_COMMITTEE
            if "committee" in detail
            else Said.INFLUENTIAL
        )
        return RoleClaim(relation.source, Role.INFLUENCER, said, relation, relation.detail)
    if (
        relation.type is RelationType.DEFERS_TO
        and relation.detail
        and SIGNS_OFF.search(relation.detail)
    ):
        return RoleClaim(
            relation.target, Role.ECONOMIC_BUYER, Said.SIGNS_OFF, relation, relation.detail
        )
    return None
