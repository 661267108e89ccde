"""Train the sentence heads (`plans/extraction/learned/sentence_heads.json`).

Data: the labelled sentences in `tests/data/sentences/*.jsonl` (see the README there):
each sentence's elements (for and against), and the roles and stance it shows for its
speaker. Features, as the extractor computes them: TF-IDF of words and word pairs (the
vocabulary is fitted here and exported), the shipped static vectors, and the sentence's
mood. One logistic regression per label (balanced classes); its threshold is the one with
the best F0.5 (precision counts double) on 5-fold out-of-fold predictions. The report
goes to `training/sentence_heads.md`.

Measured before choosing (average precision, 5-fold, on these sentences): TF-IDF alone
beat the static vectors alone on every label tried (identified pain 0.70 vs 0.53, champion
0.68 vs 0.34); both together were best or within 0.05 of the best.

    python -m training.sentence_heads
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from plans.extraction.document.build import clauses_of
from plans.extraction.document.models import Sentence
from plans.extraction.learned.sentences import HEADS, Tfidf, features
from plans.extraction.signals import BuyingRole, Element, Side

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "sentences"
REPORT = Path(__file__).with_name("sentence_heads.md")
ROLES = tuple(role.value for role in BuyingRole)
AGAINST = ("budget", "timeline", "need", "identified_pain", "champion")
C = 2.0
MIN_POSITIVES = 15


def labels_of(line: dict[str, Any]) -> set[str]:
    found = {f"element:{e}" for e in line["elements"]}
    found |= {f"against:{e}" for e in line["contradicts"] if e in AGAINST}
    found |= {f"role:{r['role']}" for r in line["roles"] if r["who"] == "speaker"}
    found |= {f"stance:{s['stance']}" for s in line["stance"] if s["who"] == "speaker"}
    return found


def as_sentence(text: str, side: str) -> Sentence:
    clauses = clauses_of(text)
    speaker = None if side == "note" else "speaker"
    sides = {"customer": Side.CUSTOMER, "ours": Side.OURS, "note": Side.UNKNOWN}
    return Sentence(0, text, speaker, sides[side], None, clauses)


def main() -> None:
    lines = [
        json.loads(raw)
        for path in sorted(DATA.glob("*.jsonl"))
        for raw in path.read_text().splitlines()
        if raw.strip()
    ]
    sentences = [as_sentence(line["text"], line["side"]) for line in lines]
    fitted = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    fitted.fit([s.text for s in sentences])
    tfidf = Tfidf(
        {term: int(index) for term, index in fitted.vocabulary_.items()},
        fitted.idf_.astype(np.float32),
    )
    x = features(tfidf, sentences)
    wanted = [labels_of(line) for line in lines]
    candidates = (
        [f"element:{e.value}" for e in Element]
        + [f"against:{e}" for e in AGAINST]
        + [f"role:{r}" for r in ROLES]
        + ["stance:supportive", "stance:opposed"]
    )
    labels, weights, biases, thresholds = [], [], [], []
    report = [
        "# Sentence heads: training report",
        "",
        f"{len(lines)} labelled sentences; features: {len(tfidf.idf)} TF-IDF terms, "
        "128 static-vector dimensions, 8 mood flags; logistic regression per label "
        "(balanced); threshold for the best F0.5 on 5-fold out-of-fold predictions.",
        "",
        "| label | positives | threshold | CV precision | CV recall |",
        "|---|---:|---:|---:|---:|",
    ]
    for label in candidates:
        y = np.asarray([int(label in w) for w in wanted])
        if y.sum() < MIN_POSITIVES:
            continue
        out_of_fold = np.zeros(len(y))
        for train, held in StratifiedKFold(5, shuffle=True, random_state=7).split(x, y):
            head = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
            out_of_fold[held] = head.fit(x[train], y[train]).predict_proba(x[held])[:, 1]
        threshold, precision, recall = _precise_threshold(y, out_of_fold)
        head = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(x, y)
        labels.append(label)
        weights.append(head.coef_[0])
        biases.append(float(head.intercept_[0]))
        thresholds.append(threshold)
        report.append(
            f"| {label} | {int(y.sum())} | {threshold:.2f} | {precision:.2f} | {recall:.2f} |"
        )
    HEADS.write_text(
        json.dumps(
            {
                "labels": labels,
                "vocabulary": tfidf.vocabulary,
                "idf": tfidf.idf.round(5).tolist(),
                "weights": np.asarray(weights).T.round(5).tolist(),
                "bias": [round(b, 5) for b in biases],
                "thresholds": [round(t, 3) for t in thresholds],
            }
        )
        + "\n"
    )
    REPORT.write_text("\n".join(report) + "\n")
    print("\n".join(report))


def _precise_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    best, best_score = (0.9, 1.0, 0.0), -1.0
    for threshold in np.arange(0.3, 0.97, 0.02):
        predicted = p >= threshold
        tp = int((predicted & (y == 1)).sum())
        fp = int((predicted & (y == 0)).sum())
        fn = int((~predicted & (y == 1)).sum())
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        score = 1.25 * precision * recall / (0.25 * precision + recall) if tp else 0.0
        if score > best_score:
            best, best_score = (float(threshold), precision, recall), score
    return best


if __name__ == "__main__":
    main()
