"""Precision and recall of the rule-based extractor on the labelled conversations.

Conversations are replayed per account in time order through the extractor and the
product's opportunity rules (the same `detection.decide` the service uses), keeping the
open opportunities in memory, and each conversation's action (create / update / none)
is compared with its label. Also reports agreement on MEDDIC/BANT elements, amounts and
close dates.

    python -m bench.extraction_quality [--split dev|holdout|all] [--threshold 0.8] [-v]
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plans.catalogue.models import Catalogue
from plans.conversations.models import ConversationDocument, ConversationIn
from plans.extraction.rules.extractor import RuleExtractor
from plans.extraction.signals import BANT_ELEMENTS, MEDDIC_ELEMENTS, Polarity
from plans.opportunities import detection

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def load_catalogue() -> Catalogue:
    raw = json.loads((DATA / "catalogue.json").read_text())
    return Catalogue(product_lines=raw["product_lines"])


def load_labelled(split: str) -> list[dict[str, Any]]:
    folders = ["dev", "holdout"] if split == "all" else [split]
    items = []
    for folder in folders:
        for path in sorted((DATA / "conversations" / folder).glob("*.json")):
            items.append(json.loads(path.read_text()))
    return items


@dataclass
class Tally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


@dataclass
class Report:
    creation: Tally = field(default_factory=Tally)
    # An opportunity created on a conversation labelled "update" is still a real deal (an
    # earlier conversation's creation was missed): right for precision, though not strict.
    deal_creation: Tally = field(default_factory=Tally)
    any_action: Tally = field(default_factory=Tally)
    elements: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    amount_right: int = 0
    amount_labelled: int = 0
    close_right: int = 0
    close_labelled: int = 0
    mistakes: list[str] = field(default_factory=list)


def evaluate(
    items: list[dict[str, Any]], catalogue: Catalogue, threshold: float, verbose: bool = False
) -> Report:
    extractor = RuleExtractor()
    report = Report()
    by_account: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_account[item["account"].get("domain") or item["account"]["name"]].append(item)
    for conversations in by_account.values():
        open_opportunities: list[detection.OpenOpportunity] = []
        for item in sorted(conversations, key=lambda c: c["occurred_at"]):
            labels = item["labels"]
            payload = ConversationIn.model_validate(
                {k: v for k, v in item.items() if k != "labels"}
            )
            document = ConversationDocument.of(
                payload, payload.account.name or "", payload.account.domain
            )
            signals = extractor.extract(document, catalogue).signals
            decisions = detection.decide(signals, open_opportunities, catalogue, threshold)
            actions = {d.action.value for d in decisions}
            action = "create" if "create" in actions else "update" if actions else "none"
            _apply(decisions, open_opportunities)
            _score_action(report, action, labels["opportunity"], item, signals, verbose)
            _score_elements(report, signals, labels)
            _score_values(report, decisions, labels)
    return report


def _apply(
    decisions: list[detection.Decision], open_opportunities: list[detection.OpenOpportunity]
) -> None:
    for decision in decisions:
        if decision.action is detection.Action.CREATE:
            open_opportunities.append(
                detection.OpenOpportunity(
                    uuid.uuid4(),
                    decision.product_line,
                    decision.close_date.date if decision.close_date else None,
                )
            )
        else:
            for index, opportunity in enumerate(open_opportunities):
                if opportunity.id == decision.opportunity_id and decision.close_date is not None:
                    open_opportunities[index] = detection.OpenOpportunity(
                        opportunity.id, opportunity.product_line, decision.close_date.date
                    )
        if decision.outcome is not None:
            open_opportunities[:] = [
                o
                for o in open_opportunities
                if o.id != decision.opportunity_id
                and not (
                    decision.action is detection.Action.CREATE
                    and o.product_line == decision.product_line
                )
            ]


def _score_action(
    report: Report, action: str, label: str, item: dict[str, Any], signals: Any, verbose: bool
) -> None:
    created, wanted = action == "create", label == "create"
    real_deal = label in ("create", "update")
    report.deal_creation.true_positive += created and real_deal
    report.deal_creation.false_positive += created and not real_deal
    report.deal_creation.false_negative += wanted and not created
    report.creation.true_positive += created and wanted
    report.creation.false_positive += created and not wanted
    report.creation.false_negative += wanted and not created
    acted, wanted_action = action != "none", label != "none"
    report.any_action.true_positive += acted and wanted_action
    report.any_action.false_positive += acted and not wanted_action
    report.any_action.false_negative += wanted_action and not acted
    if action != label:
        potential = signals.deal.potential if signals.deal else 0.0
        reasons = "; ".join(signals.deal.reasons) if signals.deal else ""
        report.mistakes.append(
            f"{item['external_id']}: got {action}, labelled {label} "
            f"(potential {potential:.2f}: {reasons})"
        )


def _score_elements(report: Report, signals: Any, labels: dict[str, Any]) -> None:
    found = {
        q.element.value
        for q in signals.qualification
        if q.polarity is Polarity.SUPPORTS and q.confidence >= 0.5
    }
    truth = {**labels.get("meddic", {}), **labels.get("bant", {})}
    for element in (*MEDDIC_ELEMENTS, *BANT_ELEMENTS):
        expected = bool(truth.get(element.value))
        got = element.value in found
        tally = report.elements[element.value]
        tally.true_positive += got and expected
        tally.false_positive += got and not expected
        tally.false_negative += expected and not got


def _score_values(
    report: Report, decisions: list[detection.Decision], labels: dict[str, Any]
) -> None:
    decision = decisions[0] if decisions else None
    if labels.get("amount"):
        report.amount_labelled += 1
        if (
            decision
            and decision.amount
            and float(decision.amount.value) == float(labels["amount"]["value"])
        ):
            report.amount_right += 1
    if labels.get("close_date"):
        report.close_labelled += 1
        if (
            decision
            and decision.close_date
            and decision.close_date.date.isoformat() == labels["close_date"]
        ):
            report.close_right += 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description="extractor precision and recall on the labelled set"
    )
    parser.add_argument("--split", default="dev", choices=["dev", "holdout", "all"])
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    items = load_labelled(args.split)
    report = evaluate(items, load_catalogue(), args.threshold, args.verbose)
    creation, action, deal = report.creation, report.any_action, report.deal_creation
    print(
        f"{len(items)} labelled conversations ({args.split}), creation threshold {args.threshold}"
    )
    print(
        f"creation, strictly as labelled: precision {creation.precision:.2f}, "
        f"recall {creation.recall:.2f} "
        f"(tp {creation.true_positive}, fp {creation.false_positive}, fn {creation.false_negative})"
    )
    print(
        f"created opportunities that are real deals: precision {deal.precision:.2f}, "
        f"recall {deal.recall:.2f} (fp {deal.false_positive})"
    )
    print(
        f"any action (create or update): precision {action.precision:.2f}, "
        f"recall {action.recall:.2f}"
    )
    print(
        f"amount exact: {report.amount_right}/{report.amount_labelled}; "
        f"close date exact: {report.close_right}/{report.close_labelled}"
    )
    for name, tally in report.elements.items():
        print(f"  {name:18} precision {tally.precision:.2f} recall {tally.recall:.2f}")
    if args.verbose:
        print("\n".join(report.mistakes))


if __name__ == "__main__":
    main()
