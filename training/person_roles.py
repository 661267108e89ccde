"""Train the person-role model (`plans/extraction/learned/person_roles.json`).

Data: the readable labelled splits (dev, train), one example per customer-side person the
extractor finds in a conversation, labelled with the roles the conversation gives them.
The holdout and test splits are never read here.

Model: per role, a logistic regression (L2, balanced classes) over the person features;
its threshold is the one that maximises F1 on out-of-fold predictions (5 folds, grouped by
account so no account is both trained and judged on). The report (cross-validated P/R/F1
per role, the features that weigh most) is written to `training/person_roles.md`.

    python -m training.person_roles
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bench.quality.labels import READABLE, account_key, documents, labelled_name
from plans.extraction.learned.person_features import feature_names, person_features
from plans.extraction.learned.person_roles import MODEL_PATH
from plans.extraction.rules.extractor import understand
from plans.extraction.signals import BuyingRole, Side

REPORT = Path(__file__).with_name("person_roles.md")
VERSION = "person_roles-1"
C = 0.5  # inverse regularisation: few examples, many correlated features
MIN_CV_F1 = 0.2


def examples() -> tuple[np.ndarray, dict[BuyingRole, np.ndarray], list[str]]:
    rows: list[list[float]] = []
    labels: dict[BuyingRole, list[int]] = defaultdict(list)
    groups: list[str] = []
    for split in sorted(READABLE):
        for item, document in documents(split):
            seen = understand(document)
            wanted = _roles_by_person(item["labels"])
            for person in seen.people.by_name.values():
                if person.side is not Side.CUSTOMER:
                    continue
                label_name = labelled_name(person.name, list(wanted))
                if label_name is None:
                    continue
                rows.append(person_features(seen.document, seen.people, person, seen.evidence()))
                for role in BuyingRole:
                    labels[role].append(int(role.value in wanted[label_name]))
                groups.append(account_key(item))
    return (
        np.asarray(rows, dtype=float),
        {role: np.asarray(values) for role, values in labels.items()},
        groups,
    )


def _roles_by_person(labels: dict[str, Any]) -> dict[str, set[str]]:
    people: dict[str, set[str]] = {
        p["name"]: set() for p in labels["people"] if p["side"] == "customer"
    }
    for role in labels["roles"]:
        if role["person"] in people:
            people[role["person"]].add(role["role"])
    return people


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float, float]:
    best = (0.5, 0.0, 0.0, 0.0)
    for threshold in np.arange(0.2, 0.91, 0.025):
        predicted = p >= threshold
        tp = int((predicted & (y == 1)).sum())
        fp = int((predicted & (y == 0)).sum())
        fn = int((~predicted & (y == 1)).sum())
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[3]:
            best = (float(threshold), precision, recall, f1)
    return best


def main() -> None:
    x, labels, groups = examples()
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    names = feature_names()
    model: dict[str, Any] = {
        "version": VERSION,
        "features": names,
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "roles": {},
    }
    lines = [
        "# Person-role model: training report",
        "",
        f"{len(x)} customer people from the readable splits ({', '.join(sorted(READABLE))}); "
        f"{len(names)} features; logistic regression per role (C={C}, balanced); threshold "
        "chosen for F1 on 5-fold out-of-fold predictions grouped by account.",
        "",
        "| role | positives | threshold | CV precision | CV recall | CV F1 | strongest features |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    folds = GroupKFold(n_splits=5)
    for role in BuyingRole:
        y = labels[role]
        out_of_fold = np.zeros(len(y))
        for train, held in folds.split(z, y, groups):
            if y[train].sum() == 0:
                continue
            fitted = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
            fitted.fit(z[train], y[train])
            out_of_fold[held] = fitted.predict_proba(z[held])[:, 1]
        threshold, precision, recall, f1 = best_threshold(y, out_of_fold)
        final = LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit(z, y)
        weights = final.coef_[0]
        model["roles"][role.value] = {
            "weights": weights.round(6).tolist(),
            "bias": round(float(final.intercept_[0]), 6),
            # A head never right out of fold is not used: no threshold it can reach.
            "threshold": round(threshold, 3) if f1 >= MIN_CV_F1 else 1.01,
        }
        top = ", ".join(f"{names[i]} {weights[i]:+.2f}" for i in np.argsort(-np.abs(weights))[:5])
        lines.append(
            f"| {role.value} | {int(y.sum())} | {threshold:.3f} | {precision:.2f} | "
            f"{recall:.2f} | {f1:.2f} | {top} |"
        )
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n")
    REPORT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
