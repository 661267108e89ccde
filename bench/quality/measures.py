"""Counting: precision / recall tallies, per-key tallies, rank correlation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field

from scipy.stats import spearmanr


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

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def count(self, got: Set[object], expected: Set[object]) -> None:
        self.true_positive += len(got & expected)
        self.false_positive += len(got - expected)
        self.false_negative += len(expected - got)

    def line(self) -> str:
        return (
            f"P {self.precision:.2f} R {self.recall:.2f} F1 {self.f1:.2f} "
            f"(tp {self.true_positive}, fp {self.false_positive}, fn {self.false_negative})"
        )


@dataclass
class ByKey:
    """A micro tally over all keys, and one tally per key (role, relation type, element)."""

    micro: Tally = field(default_factory=Tally)
    keys: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def count(self, got: Set[tuple[str, ...]], expected: Set[tuple[str, ...]]) -> None:
        """Items are tuples whose last member is the key."""
        self.micro.count(got, expected)
        for key in {item[-1] for item in got | expected}:
            self.keys[key].count(
                {i for i in got if i[-1] == key},
                {i for i in expected if i[-1] == key},
            )


@dataclass
class PatternTally:
    fired: int = 0
    right: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.fired if self.fired else 1.0


def spearman(predicted: list[float], labelled: list[float]) -> float:
    if len(predicted) < 3 or len(set(predicted)) < 2 or len(set(labelled)) < 2:
        return float("nan")
    return float(spearmanr(predicted, labelled).statistic)
