"""Choose, per MEDDIC/BANT element, how sure the sentence heads must be before a
conversation counts as evidence of it (`plans/extraction/learned/element_thresholds.json`).

A conversation has dozens of sentences, so a head that is right 80% of the time on one
sentence raises many false alarms over a whole call. Here each element's threshold is the
lowest one at which the conversation-level precision of rules-or-heads stays at or above
`TARGET_PRECISION` on the readable splits (dev, train); the holdout and test splits are
never read.

    python -m training.element_thresholds
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench.quality.labels import READABLE, documents
from plans.extraction.learned.sentences import ELEMENT_THRESHOLDS, SENTENCE_FLOOR, load_heads
from plans.extraction.learned.sentences import MODEL_ID as SENTENCE_MODEL_ID
from plans.extraction.rules.extractor import understand
from plans.extraction.signals import BANT_ELEMENTS, MEDDIC_ELEMENTS, Polarity, Side

TARGET_PRECISION = 0.88
REPORT = Path(__file__).with_name("element_thresholds.md")


def main() -> None:
    heads = load_heads()
    assert heads is not None, "train the sentence heads first"
    elements = [e.value for e in (*MEDDIC_ELEMENTS, *BANT_ELEMENTS)]
    rows: list[dict[str, tuple[bool, float, bool]]] = []  # rules found, best head, labelled
    for split in sorted(READABLE):
        for item, document in documents(split):
            seen = understand(document)
            stating = [
                s
                for s in seen.document.sentences
                if not (s.signature or s.side is Side.OURS or s.is_question)
            ]
            probabilities = heads.probabilities(stating)
            truth = {**item["labels"]["meddic"], **item["labels"]["bant"]}
            by_rules = {
                q.element.value
                for q in seen.qualification
                if q.polarity is Polarity.SUPPORTS and q.pattern != SENTENCE_MODEL_ID
            }
            row = {}
            for element in elements:
                column = heads.labels.index(f"element:{element}")
                best = float(probabilities[:, column].max()) if len(stating) else 0.0
                row[element] = (element in by_rules, best, bool(truth.get(element)))
            rows.append(row)
    thresholds: dict[str, float] = {}
    lines = ["| element | threshold | precision | recall |", "|---|---:|---:|---:|"]
    for element in elements:
        threshold, precision, recall = _choose(rows, element)
        thresholds[element] = round(threshold, 2)
        lines.append(f"| {element} | {threshold:.2f} | {precision:.2f} | {recall:.2f} |")
    ELEMENT_THRESHOLDS.write_text(json.dumps(thresholds, indent=1) + "\n")
    REPORT.write_text(
        "# Conversation-level thresholds of the sentence heads\n\n"
        f"{len(rows)} conversations of the readable splits; rules or heads, precision at "
        f"least {TARGET_PRECISION} (a threshold of 1.01 means the heads add nothing there).\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print("\n".join(lines))


def _tally(
    rows: list[dict[str, tuple[bool, float, bool]]], element: str, threshold: float
) -> tuple[float, float]:
    tp = fp = fn = 0
    for row in rows:
        rules, probability, labelled = row[element]
        found = rules or probability >= threshold
        tp += found and labelled
        fp += found and not labelled
        fn += labelled and not found
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def _choose(
    rows: list[dict[str, tuple[bool, float, bool]]], element: str
) -> tuple[float, float, float]:
    """The lowest threshold keeping precision at the target; where the rules alone are
    below it, the heads may add only what keeps precision where the rules left it."""
    rules_precision, rules_recall = _tally(rows, element, 1.01)
    floor = min(TARGET_PRECISION, rules_precision)
    best = (1.01, rules_precision, rules_recall)
    for threshold in np.arange(SENTENCE_FLOOR, 1.0, 0.01):
        precision, recall = _tally(rows, element, float(threshold))
        if precision >= floor and recall > best[2]:
            best = (float(threshold), precision, recall)
    return best


if __name__ == "__main__":
    main()
