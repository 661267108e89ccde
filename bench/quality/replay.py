"""Replay labelled conversations per account, in time order, through an extractor and the
service's own product rules and map claims, and compare with the labels.

What is compared is what the service would store: opportunity decisions from
`detection.decide`, roles and ties from `plans.map.claims` (the claims recording writes),
decision power from the same score function over those claims, qualification as the
plan receives it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bench.quality.labels import account_key, document_of, labelled_deals, labelled_name
from bench.quality.measures import ByKey, PatternTally, Tally, spearman
from plans.catalogue.models import Catalogue
from plans.extraction.port import Extractor
from plans.extraction.signals import (
    BANT_ELEMENTS,
    MEDDIC_ELEMENTS,
    Item,
    Outcome,
    Polarity,
    Qualification,
    Relation,
    RoleSignal,
    Signals,
)
from plans.map.claims import EDGE_OF, RoleClaim, held_roles, role_claims, tie_claims
from plans.map.models import MapEdgeType
from plans.opportunities import detection
from scoring.decision_power import decision_power
from scoring.evidence import Mention

# Labelled relation types as our map edges ("backs" between people is an alliance).
EDGE_OF_LABEL = {
    "reports_to": MapEdgeType.REPORTS_TO,
    "defers_to": MapEdgeType.DEFERS_TO,
    "influences": MapEdgeType.INFLUENCES,
    "backs": MapEdgeType.ALLIED_WITH,
    "opposes": MapEdgeType.OPPOSES,
}
POWER_RANK = {"low": 0.0, "medium": 1.0, "high": 2.0}


@dataclass
class Report:
    conversations: int = 0
    creation: Tally = field(default_factory=Tally)
    deal_creation: Tally = field(default_factory=Tally)
    any_action: Tally = field(default_factory=Tally)
    updates_labelled: int = 0
    updates_right: int = 0
    roles: ByKey = field(default_factory=ByKey)
    relations: ByKey = field(default_factory=ByKey)
    elements: ByKey = field(default_factory=ByKey)
    power_predicted: list[float] = field(default_factory=list)
    power_labelled: list[float] = field(default_factory=list)
    title_only: list[float] = field(default_factory=list)
    false_outcomes: int = 0
    outcomes_unlabelled: int = 0
    patterns: dict[str, PatternTally] = field(default_factory=lambda: defaultdict(PatternTally))
    amount_right: int = 0
    amount_labelled: int = 0
    close_right: int = 0
    close_labelled: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def update_target(self) -> float:
        return self.updates_right / self.updates_labelled if self.updates_labelled else 1.0

    @property
    def power_spearman(self) -> float:
        return spearman(self.power_predicted, self.power_labelled)

    @property
    def title_spearman(self) -> float:
        return spearman(self.title_only, self.power_labelled)


@dataclass
class OpenDeal:
    opportunity: detection.OpenOpportunity
    labelled_as: str | None  # the labelled deal (its creating conversation) it stands for


def evaluate(
    items: list[dict[str, Any]], extractor: Extractor, catalogue: Catalogue, threshold: float
) -> Report:
    report = Report()
    deals = labelled_deals(items)
    by_account: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_account[account_key(item)].append(item)
    for conversations in by_account.values():
        open_deals: list[OpenDeal] = []
        for item in sorted(conversations, key=lambda c: c["occurred_at"]):
            signals = _extract(item, extractor, catalogue)
            decisions = detection.decide(
                signals, [d.opportunity for d in open_deals], catalogue, threshold
            )
            report.conversations += 1
            _score_decisions(report, item, decisions, open_deals, deals, signals)
            _score_people(report, item, signals)
            _score_elements(report, item["labels"], signals)
            _score_patterns(report, item, signals)
    return report


def _extract(item: dict[str, Any], extractor: Extractor, catalogue: Catalogue) -> Signals:
    return extractor.extract(document_of(item), catalogue).signals


def _score_decisions(
    report: Report,
    item: dict[str, Any],
    decisions: list[detection.Decision],
    open_deals: list[OpenDeal],
    deals: dict[str, Any],
    signals: Signals,
) -> None:
    labels = item["labels"]
    label = labels["opportunity"]
    actions = {d.action for d in decisions}
    action = "create" if detection.Action.CREATE in actions else "update" if actions else "none"
    created, wanted = action == "create", label == "create"
    real = label in ("create", "update")
    report.creation.true_positive += created and wanted
    report.creation.false_positive += created and not wanted
    report.creation.false_negative += wanted and not created
    report.deal_creation.true_positive += created and real
    report.deal_creation.false_positive += created and not real
    report.deal_creation.false_negative += wanted and not created
    report.any_action.true_positive += action != "none" and real
    report.any_action.false_positive += action != "none" and not real
    report.any_action.false_negative += real and action == "none"
    deal = deals.get(item["external_id"])
    if label == "update" and deal is not None:
        report.updates_labelled += 1
        targets = {
            d.labelled_as
            for d in open_deals
            for decision in decisions
            if decision.action is detection.Action.UPDATE
            and decision.opportunity_id == d.opportunity.id
        }
        report.updates_right += targets == {deal.created_by}
    if action != label:
        potential = signals.deal.potential if signals.deal else 0.0
        report.misses.append(
            f"{item['external_id']}: got {action}, labelled {label} (potential {potential:.2f})"
        )
    outcome_label = labels.get("outcome", "unlabelled")
    for decision in decisions:
        if decision.outcome is None:
            continue
        if outcome_label == "unlabelled":
            report.outcomes_unlabelled += 1
        elif decision.outcome.kind.value != outcome_label:
            report.false_outcomes += 1
            report.misses.append(f"{item['external_id']}: false {decision.outcome.kind.value}")
    _apply(decisions, open_deals, deal.created_by if deal else None)
    _score_values(report, decisions, labels)


def _apply(
    decisions: list[detection.Decision], open_deals: list[OpenDeal], labelled_as: str | None
) -> None:
    for decision in decisions:
        if decision.action is detection.Action.CREATE:
            opportunity = detection.OpenOpportunity(
                uuid.uuid4(),
                decision.product_line,
                decision.close_date.date if decision.close_date else None,
            )
            open_deals.append(OpenDeal(opportunity, labelled_as))
            closed_id = opportunity.id
        else:
            closed_id = decision.opportunity_id  # type: ignore[assignment]
            for deal in open_deals:
                if deal.opportunity.id == decision.opportunity_id and decision.close_date:
                    deal.opportunity = detection.OpenOpportunity(
                        deal.opportunity.id, deal.opportunity.product_line, decision.close_date.date
                    )
        if decision.outcome is not None:  # a closed deal takes no more updates
            open_deals[:] = [d for d in open_deals if d.opportunity.id != closed_id]


def _score_values(
    report: Report, decisions: list[detection.Decision], labels: dict[str, Any]
) -> None:
    decision = decisions[0] if decisions else None
    if labels.get("amount"):
        report.amount_labelled += 1
        report.amount_right += bool(
            decision
            and decision.amount
            and float(decision.amount.value) == float(labels["amount"]["value"])
        )
    if labels.get("close_date"):
        report.close_labelled += 1
        report.close_right += bool(
            decision
            and decision.close_date
            and decision.close_date.date.isoformat() == labels["close_date"]
        )


def _customer_names(labels: dict[str, Any]) -> list[str]:
    return [p["name"] for p in labels["people"] if p["side"] == "customer"]


def _score_people(report: Report, item: dict[str, Any], signals: Signals) -> None:
    labels = item["labels"]
    customers = _customer_names(labels)
    claims = role_claims(signals)
    held = {
        (name, role.value)
        for person, role in held_roles(signals)
        if (name := labelled_name(person, customers))
    }
    report.roles.count(
        held,
        {(r["person"], r["role"]) for r in labels["roles"] if r["person"] in customers},
    )
    ties = set()
    for tie in tie_claims(signals):
        source, target = (
            labelled_name(tie.source, customers),
            labelled_name(tie.target, customers),
        )
        if source and target and source != target:
            ties.add((source, target, tie.edge.value))
    expected = {
        (r["from"], r["to"], EDGE_OF_LABEL[r["type"]].value)
        for r in labels["relations"]
        if r["from"] in customers and r["to"] in customers
    }
    report.relations.count(ties, expected)
    _score_power(report, item, signals, claims, customers)


def _score_power(
    report: Report,
    item: dict[str, Any],
    signals: Signals,
    claims: list[RoleClaim],
    customers: list[str],
) -> None:
    titles = {p["name"]: p.get("title") for p in item["participants"]}
    for mention in signals.people:
        name = labelled_name(mention.name, customers)
        if name and not titles.get(name):
            titles[name] = mention.title
    ties = tie_claims(signals)
    for person in item["labels"]["people"]:
        label = person.get("decision_power")
        if person["side"] != "customer" or label is None:
            continue
        name = person["name"]
        mentions = [
            Mention(claim.said, claim.item.quote, claim.item.confidence)
            for claim in claims
            if claim.said is not None and labelled_name(claim.person, [name]) == name
        ]
        mentions += [
            Mention(tie.said, tie.item.quote, tie.item.confidence)
            for tie in ties
            if tie.edge is MapEdgeType.DEFERS_TO and labelled_name(tie.target, [name]) == name
        ]
        reports = sum(
            1
            for tie in ties
            if tie.edge is MapEdgeType.REPORTS_TO and labelled_name(tie.target, [name]) == name
        )
        title = titles.get(name)
        report.power_predicted.append(decision_power(title, mentions, reports).value)
        report.title_only.append(decision_power(title, []).value)
        report.power_labelled.append(POWER_RANK[label])


def _score_elements(report: Report, labels: dict[str, Any], signals: Signals) -> None:
    truth = {**labels["meddic"], **labels["bant"]}
    got = {(q.element.value,) for q in signals.qualification if q.polarity is Polarity.SUPPORTS}
    expected = {(e.value,) for e in (*MEDDIC_ELEMENTS, *BANT_ELEMENTS) if truth.get(e.value)}
    report.elements.count(got, expected)


def _score_patterns(report: Report, item: dict[str, Any], signals: Signals) -> None:
    labels = item["labels"]
    customers = _customer_names(labels)
    roles = {(r["person"], r["role"]) for r in labels["roles"]}
    relations = {(r["from"], r["to"], EDGE_OF_LABEL[r["type"]].value) for r in labels["relations"]}
    truth = {**labels["meddic"], **labels["bant"]}
    for signal in signals.items():
        right = _right(signal, customers, roles, relations, truth, labels)
        if right is None:
            continue
        tally = report.patterns[signal.pattern or f"({type(signal).__name__}, no id)"]
        tally.fired += 1
        tally.right += right


def _right(
    signal: Item,
    customers: list[str],
    roles: set[tuple[str, str]],
    relations: set[tuple[str, str, str]],
    truth: dict[str, bool],
    labels: dict[str, Any],
) -> bool | None:
    """Whether one signal agrees with the labels (None: nothing labelled to judge it)."""
    if isinstance(signal, RoleSignal):
        name = labelled_name(signal.person, customers)
        held = (name, signal.role.value) in roles
        return held if signal.polarity is Polarity.SUPPORTS else not held
    if isinstance(signal, Relation) and signal.target is not None:
        source = labelled_name(signal.source, customers)
        target = labelled_name(signal.target, customers)
        return (source, target, EDGE_OF[signal.type].value) in relations
    if isinstance(signal, Qualification):
        present = bool(truth.get(signal.element.value))
        return present if signal.polarity is Polarity.SUPPORTS else not present
    if isinstance(signal, Outcome) and "outcome" in labels:
        return bool(labels["outcome"] == signal.kind.value)
    return None
