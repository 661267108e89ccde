"""What extraction understands, per split of the labelled conversations.

Conversations are replayed per account in time order through the extractor, the service's
opportunity rules and its map claims (see `bench.quality.replay`), and compared with their
labels: opportunity creation precision / recall, whether an update reaches the right open
opportunity, roles F1 (per role), relations F1 between customer people (per type),
MEDDIC/BANT precision and recall (per element), decision power's Spearman correlation
with the labelled high / medium / low (and the title rule's alone), deals closed won or
lost without the labelled outcome, and the precision of every pattern that fired.

    python -m bench.extraction_quality [--split dev holdout train test]
        [--extractor rules|legacy|claude]
        [--threshold 0.8] [-v] [--json]

`-v` lists the misses, for the readable splits only (dev, train): the holdout and the
frozen test split are scored, never read. `--extractor legacy` runs the extractor as it
was before the rebuild (see `bench.legacy`), for the before/after figures.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from bench.quality.labels import READABLE, SPLITS, load_catalogue, load_split
from bench.quality.replay import Report, evaluate
from plans.extraction.port import Extractor
from plans.extraction.rules.extractor import RuleExtractor


def build_extractor(name: str) -> Extractor:
    if name == "rules":
        return RuleExtractor()
    if name == "legacy":
        from bench.legacy import LegacyExtractor

        return LegacyExtractor()
    from app.extractor import claude_extractor
    from app.settings import Settings

    settings = Settings()
    if settings.ANTHROPIC_API_KEY is None:
        raise SystemExit("--extractor claude needs ANTHROPIC_API_KEY")
    return claude_extractor(settings, fallback=RuleExtractor())


def figures(report: Report) -> dict[str, Any]:
    def number(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 3)

    return {
        "conversations": report.conversations,
        "creation_precision": number(report.creation.precision),
        "creation_recall": number(report.creation.recall),
        "created_real_deal_precision": number(report.deal_creation.precision),
        "update_target": number(report.update_target),
        "roles_f1": number(report.roles.micro.f1),
        "roles_precision": number(report.roles.micro.precision),
        "roles_recall": number(report.roles.micro.recall),
        "relations_f1": number(report.relations.micro.f1),
        "relations_precision": number(report.relations.micro.precision),
        "relations_recall": number(report.relations.micro.recall),
        "elements_precision": number(report.elements.micro.precision),
        "elements_recall": number(report.elements.micro.recall),
        "decision_power_spearman": number(report.power_spearman),
        "title_rule_spearman": number(report.title_spearman),
        "false_outcomes": report.false_outcomes,
        "outcomes_on_unlabelled": report.outcomes_unlabelled,
    }


def print_report(split: str, report: Report, verbose: bool) -> None:
    f = figures(report)
    print(f"\n== {split}: {report.conversations} conversations")
    print(
        f"creation P {f['creation_precision']} R {f['creation_recall']} "
        f"(created real deals P {f['created_real_deal_precision']}); "
        f"update to the right open opportunity {f['update_target']} "
        f"({report.updates_right}/{report.updates_labelled})"
    )
    print(
        f"amount exact {report.amount_right}/{report.amount_labelled}; "
        f"close date exact {report.close_right}/{report.close_labelled}"
    )
    print(f"roles      {report.roles.micro.line()}")
    for key, tally in sorted(report.roles.keys.items()):
        print(f"  {key:20} {tally.line()}")
    print(f"relations  {report.relations.micro.line()}")
    for key, tally in sorted(report.relations.keys.items()):
        print(f"  {key:20} {tally.line()}")
    print(f"MEDDIC/BANT {report.elements.micro.line()}")
    for key, tally in sorted(report.elements.keys.items()):
        print(f"  {key:20} {tally.line()}")
    print(
        f"decision power Spearman {f['decision_power_spearman']} "
        f"(title rule alone {f['title_rule_spearman']}, {len(report.power_labelled)} people)"
    )
    print(
        f"deals closed won/lost without that labelled outcome: {report.false_outcomes}"
        + (
            f" (+{report.outcomes_unlabelled} outcomes where the split has no outcome label)"
            if report.outcomes_unlabelled
            else ""
        )
    )
    print("patterns (fired, precision):")
    for pattern, fired in sorted(report.patterns.items(), key=lambda kv: -kv[1].fired):
        print(f"  {pattern:48} {fired.fired:4}  {fired.precision:.2f}")
    if verbose:
        print("\n".join(report.misses))


def main() -> None:
    parser = argparse.ArgumentParser(description="what extraction understands, per split")
    parser.add_argument("--split", nargs="+", choices=SPLITS, default=list(SPLITS))
    parser.add_argument("--extractor", choices=["rules", "legacy", "claude"], default="rules")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("-v", "--verbose", action="store_true", help="misses (readable splits)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()
    extractor = build_extractor(args.extractor)
    catalogue = load_catalogue()
    results = {}
    for split in args.split:
        items = load_split(split)
        if not items:
            continue
        report = evaluate(items, extractor, catalogue, args.threshold)
        results[split] = figures(report)
        print_report(split, report, args.verbose and split in READABLE)
    if args.json:
        print(json.dumps({"extractor": args.extractor, "splits": results}))


if __name__ == "__main__":
    main()
