"""Train the mention-role heads (`plans/extraction/learned/mention_roles.json`).

Data: the labelled sentences (`tests/data/sentences/`). Each sentence is viewed once per
person it can speak of: its speaker when they say "I/me/my", and each named person. The
view is written the way the extractor writes frames (that person `tgt`, everyone else
`oth`; a pronoun is that person when they are the only one named), and labelled with the
roles the sentence shows for them. TF-IDF of words and word pairs, one logistic
regression per role (balanced); the report gives 5-fold cross-validated precision and
recall at 0.5.

    python -m training.mention_roles
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from plans.extraction.document.mentions import is_given_name
from plans.extraction.learned.mention_roles import MODEL_PATH
from plans.extraction.signals import BuyingRole

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "sentences"
REPORT = Path(__file__).with_name("mention_roles.md")
FIRST_PERSON = re.compile(r"\b(?:i|me|myself)\b", re.IGNORECASE)
MY = re.compile(r"\bmy\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:he|she|him|her|himself|herself)\b", re.IGNORECASE)
POSSESSIVE_PRONOUN = re.compile(r"\b(?:his|hers)\b", re.IGNORECASE)
CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
C = 2.0


def named(line: dict[str, Any]) -> list[str]:
    names = {r["who"] for r in line["roles"] + line["stance"] if r["who"] != "speaker"}
    names |= {w for w in CAPITALISED.findall(line["text"]) if is_given_name(w)}
    return sorted(names, key=len, reverse=True)


def view_of(text: str, target: str, names: list[str]) -> str:
    """`text` seen from `target` ("speaker" or a name)."""
    seen = text.replace("’", "'")
    for name in names:
        token = "tgt" if name == target else "oth"
        seen = re.sub(rf"\b{re.escape(name)}'s\b", f"{token}'s", seen)
        seen = re.sub(rf"\b{re.escape(name)}\b", token, seen)
    if target == "speaker":
        seen = MY.sub("tgt's", FIRST_PERSON.sub("tgt", seen))
    else:
        seen = MY.sub("oth's", FIRST_PERSON.sub("oth", seen))
        if len(names) == 1:
            seen = POSSESSIVE_PRONOUN.sub("tgt's", PRONOUN.sub("tgt", seen))
    return re.sub(r"\s+", " ", seen.lower()).strip()


def examples() -> tuple[list[str], list[set[str]]]:
    views, labels = [], []
    for path in sorted(DATA.glob("*.jsonl")):
        for raw in path.read_text().splitlines():
            if not raw.strip():
                continue
            line = json.loads(raw)
            if line["side"] == "ours":
                continue
            names = named(line)
            targets = (
                ["speaker"] if FIRST_PERSON.search(line["text"]) or MY.search(line["text"]) else []
            ) + names
            for target in targets:
                views.append(view_of(line["text"], target, names))
                labels.append({r["role"] for r in line["roles"] if r["who"] == target})
    return views, labels


def main() -> None:
    views, labels = examples()
    fitted = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(views)
    x = fitted.transform(views)
    roles, weights, biases = [], [], []
    report = [
        "# Mention-role heads: training report",
        "",
        f"{len(views)} (sentence, person) views from the labelled sentences; "
        f"{len(fitted.vocabulary_)} TF-IDF terms; logistic regression per role (C={C}, "
        "balanced); 5-fold cross-validation at 0.5.",
        "",
        "| role | positives | CV precision | CV recall |",
        "|---|---:|---:|---:|",
    ]
    for role in BuyingRole:
        y = np.asarray([int(role.value in wanted) for wanted in labels])
        predicted = np.zeros(len(y), dtype=bool)
        for train, held in StratifiedKFold(5, shuffle=True, random_state=11).split(x, y):
            head = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
            predicted[held] = head.fit(x[train], y[train]).predict_proba(x[held])[:, 1] >= 0.5
        tp = int((predicted & (y == 1)).sum())
        precision = tp / max(int(predicted.sum()), 1)
        recall = tp / max(int(y.sum()), 1)
        head = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(x, y)
        roles.append(role.value)
        weights.append(head.coef_[0])
        biases.append(float(head.intercept_[0]))
        report.append(f"| {role.value} | {int(y.sum())} | {precision:.2f} | {recall:.2f} |")
    MODEL_PATH.write_text(
        json.dumps(
            {
                "roles": roles,
                "vocabulary": {k: int(v) for k, v in fitted.vocabulary_.items()},
                "idf": fitted.idf_.round(5).tolist(),
                "weights": np.asarray(weights).T.round(5).tolist(),
                "bias": [round(b, 5) for b in biases],
            }
        )
        + "\n"
    )
    REPORT.write_text("\n".join(report) + "\n")
    print("\n".join(report))


if __name__ == "__main__":
    main()
