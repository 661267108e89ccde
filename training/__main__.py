"""Retrain every extraction model in dependency order (not the vectors, which only change
with the transformer they are distilled from):

    python -m training

sentence heads and mention roles read the labelled sentences; the element thresholds, the
person-role model and the deal-intent model read the extractor's own output on the
readable conversations, so they come after anything they read.
"""

from __future__ import annotations

from training import deal_intent, element_thresholds, mention_roles, person_roles, sentence_heads

STEPS = (sentence_heads, mention_roles, element_thresholds, person_roles, deal_intent)


def main() -> None:
    for step in STEPS:
        print(f"\n## {step.__name__}")
        step.main()


if __name__ == "__main__":
    main()
