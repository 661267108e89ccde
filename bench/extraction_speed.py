"""Extraction time of the 30-minute call (the longest labelled transcript, 4,302 words):
the current extractor against the extractor as it was before the rebuild (`bench.legacy`,
its own timing inside its process), alternating, in the same run.

    python -m bench.extraction_speed [--rounds 15] [--json]

Prints min / median / max of each and the ratio of the medians (target: <= 3.0).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench.legacy import LegacyExtractor
from bench.quality.labels import load_catalogue, load_labelled
from plans.conversations.models import ConversationIn, document_of
from plans.extraction.rules.extractor import RuleExtractor


def words(item: dict[str, Any]) -> int:
    return sum(len(turn["text"].split()) for turn in item.get("turns") or [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    long_call = max(load_labelled(), key=words)
    payload = ConversationIn.model_validate({k: v for k, v in long_call.items() if k != "labels"})
    document = document_of(payload, payload.account.name or "", payload.account.domain)
    catalogue = load_catalogue()
    current, legacy = RuleExtractor(), LegacyExtractor()
    current.extract(document, catalogue), legacy.extract(document, catalogue)  # warm-up
    now: list[float] = []
    before: list[float] = []
    try:
        for _ in range(args.rounds):
            started = time.perf_counter()
            current.extract(document, catalogue)
            now.append(time.perf_counter() - started)
            legacy.extract(document, catalogue)
            before.append(legacy.last_seconds)
    finally:
        legacy.close()
    ratio = statistics.median(now) / statistics.median(before)
    print(f"30-minute call, {words(long_call)} words, {args.rounds} rounds each")
    for name, times in (("current extractor", now), (f"before ({legacy.name})", before)):
        print(
            f"  {name:28} min {min(times) * 1000:6.1f} ms  median "
            f"{statistics.median(times) * 1000:6.1f} ms  max {max(times) * 1000:6.1f} ms"
        )
    print(f"  ratio of medians: {ratio:.2f} (target <= 3.0)")
    if args.json:
        print(
            json.dumps(
                {
                    "extraction_ms": round(statistics.median(now) * 1000, 1),
                    "legacy_extraction_ms": round(statistics.median(before) * 1000, 1),
                    "ratio": round(ratio, 3),
                }
            )
        )


if __name__ == "__main__":
    main()
