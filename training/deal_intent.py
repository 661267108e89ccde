"""Train the deal-intent model (`plans/extraction/learned/deal_intent.json`).

Data: the readable splits (dev, train); a conversation's target is whether its label is a
create or an update (real buying intent on a catalogue line). The features are what the
extractor finds (`plans.extraction.learned.deal_intent.features`), computed by running the
extractor itself (the features never read the deal potential the model gives). Logistic
regression, no class weighting (so its output is a probability the creation threshold can
be read against); the report
gives the cross-validated precision and recall at the default threshold 0.8 and at 0.5.

    python -m training.deal_intent
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bench.quality.labels import READABLE, account_key, documents, load_catalogue
from plans.extraction.learned import deal_intent
from plans.extraction.rules import extractor as rules

REPORT = Path(__file__).with_name("deal_intent.md")
C = 0.5


def main() -> None:
    catalogue = load_catalogue()
    rows, targets, groups = [], [], []
    extractor = rules.RuleExtractor()
    for split in sorted(READABLE):
        for item, document in documents(split):
            signals = extractor.extract(document, catalogue).signals
            sentences = rules.understand(document).sentences
            rows.append(deal_intent.features(signals, rules.deal_evidence(signals, sentences)))
            targets.append(int(item["labels"]["opportunity"] != "none"))
            groups.append(account_key(item))
    x, y = np.asarray(rows, dtype=float), np.asarray(targets)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    out_of_fold = np.zeros(len(y))
    for train, held in GroupKFold(n_splits=5).split(z, y, groups):
        fitted = LogisticRegression(C=C, max_iter=2000).fit(z[train], y[train])
        out_of_fold[held] = fitted.predict_proba(z[held])[:, 1]
    final = LogisticRegression(C=C, max_iter=2000).fit(z, y)
    names = [name for name, _ in deal_intent.FEATURES]
    deal_intent.MODEL_PATH.write_text(
        json.dumps(
            {
                "features": names,
                "mean": mean.round(6).tolist(),
                "scale": scale.round(6).tolist(),
                "weights": final.coef_[0].round(6).tolist(),
                "bias": round(float(final.intercept_[0]), 6),
            },
            indent=1,
        )
        + "\n"
    )
    lines = [
        "# Deal-intent model: training report",
        "",
        f"{len(y)} conversations of the readable splits, {int(y.sum())} with real intent; "
        f"logistic regression (C={C}); 5-fold out-of-fold, grouped by account.",
        "",
        "| threshold | precision | recall |",
        "|---:|---:|---:|",
    ]
    for threshold in (0.5, 0.65, 0.8):
        predicted = out_of_fold >= threshold
        tp = int((predicted & (y == 1)).sum())
        precision = tp / max(int(predicted.sum()), 1)
        recall = tp / max(int(y.sum()), 1)
        lines.append(f"| {threshold} | {precision:.2f} | {recall:.2f} |")
    lines += ["", "| feature | weight |", "|---|---:|"]
    lines += [
        f"| {names[i]} | {final.coef_[0][i]:+.2f} |" for i in np.argsort(-np.abs(final.coef_[0]))
    ]
    REPORT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:12]))


if __name__ == "__main__":
    main()
