"""How real the buying intent of a conversation is, 0 to 1, learned from the labelled
conversations: a logistic regression over what extraction found (catalogue interest,
pain and need, money, dates, process, who decides, evaluation steps, hesitation, what
the sentence heads read against budget, timeline or need). Its output is a probability,
so the creation threshold (0.8 by default) means what it says; every feature's share of
the result is listed as a reason, strongest first.

Weights: `deal_intent.json`, written by `training/deal_intent.py`. Without them the
rule-based sum in the extractor is used.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from plans.extraction.signals import AmountKind, Element, OutcomeKind, Polarity, Signals

MODEL_PATH = Path(__file__).with_name("deal_intent.json")
MODEL_ID = "model.deal_intent"


@dataclass(frozen=True)
class DealEvidence:
    """What the rest of extraction found that speaks to intent (besides the signals)."""

    evaluation_step: bool
    hesitations: int
    customer_sentences: int


FEATURES: tuple[tuple[str, str], ...] = (
    ("line_interest", "interest in a catalogue line"),
    ("strong_line", "a catalogue line named"),
    ("pain", "a stated pain"),
    ("need", "a stated need"),
    ("budget", "budget evidence"),
    ("amount", "a deal size or budget figure"),
    ("timeline", "a timeline"),
    ("close_date", "a close date"),
    ("process", "decision or contracting process"),
    ("who_decides", "who decides is known"),
    ("criteria", "decision criteria"),
    ("metrics", "metrics"),
    ("champion", "a champion"),
    ("competition", "alternatives in play"),
    ("evaluation", "a step toward evaluation or purchase"),
    ("next_steps", "next steps agreed"),
    ("hesitation", "hesitation"),
    ("no_budget", "no budget"),
    ("no_timeline", "no timeline"),
    ("no_need", "no need"),
    ("lost", "the customer chose not to buy"),
    ("unknown_product", "a product we do not sell"),
    ("length", "length of the customer's side"),
)


def features(signals: Signals, evidence: DealEvidence) -> list[float]:
    def best(element: Element, polarity: Polarity = Polarity.SUPPORTS) -> float:
        return max(
            (
                q.confidence
                for q in signals.qualification
                if q.element is element and q.polarity is polarity
            ),
            default=0.0,
        )

    lines = [p for p in signals.products if p.product_line]
    return [
        max((p.interest for p in lines), default=0.0),
        float(any(p.confidence >= 0.85 for p in lines)),
        best(Element.IDENTIFIED_PAIN),
        best(Element.NEED),
        best(Element.BUDGET),
        float(
            any(
                a.kind in (AmountKind.BUDGET, AmountKind.DEAL_SIZE, AmountKind.PRICE)
                for a in signals.amounts
            )
        ),
        best(Element.TIMELINE),
        float(bool(signals.close_dates)),
        max(best(Element.DECISION_PROCESS), best(Element.PAPER_PROCESS)),
        max(best(Element.ECONOMIC_BUYER), best(Element.AUTHORITY)),
        best(Element.DECISION_CRITERIA),
        best(Element.METRICS),
        best(Element.CHAMPION),
        best(Element.COMPETITION),
        float(evidence.evaluation_step),
        min(len(signals.next_steps), 5) / 5,
        min(evidence.hesitations, 3) / 3,
        best(Element.BUDGET, Polarity.CONTRADICTS),
        best(Element.TIMELINE, Polarity.CONTRADICTS),
        best(Element.NEED, Polarity.CONTRADICTS),
        float(any(o.kind is OutcomeKind.LOST for o in signals.outcomes)),
        float(any(p.product_line is None for p in signals.products) and not lines),
        math.log1p(evidence.customer_sentences) / 5,
    ]


@dataclass(frozen=True)
class IntentModel:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def judge(self, values: list[float]) -> tuple[float, list[str]]:
        """The probability of real intent and its reasons (each feature's push, largest
        first; only the ones that move it by at least 0.1 in log-odds)."""
        z = (np.asarray(values) - self.mean) / self.scale
        pushes = z * self.weights
        probability = float(1.0 / (1.0 + math.exp(-(float(pushes.sum()) + self.bias))))
        reasons = [
            f"{FEATURES[i][1]} ({'+' if pushes[i] > 0 else '-'}{abs(pushes[i]):.1f})"
            for i in np.argsort(-np.abs(pushes))
            if abs(pushes[i]) >= 0.1 and values[i]
        ][:8]
        return probability, reasons


@lru_cache(maxsize=1)
def load_intent_model(path: Path = MODEL_PATH) -> IntentModel | None:
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    if raw["features"] != [name for name, _ in FEATURES]:
        raise RuntimeError(f"{path.name} was trained on other features; retrain it")
    return IntentModel(
        mean=np.asarray(raw["mean"]),
        scale=np.asarray(raw["scale"]),
        weights=np.asarray(raw["weights"]),
        bias=float(raw["bias"]),
    )
