"""The test split of the labelled conversations is frozen: written before the extractor
was rebuilt and never tuned on. Any added, changed or removed file fails here, so a
change to it is a deliberate, visible act (regenerate FROZEN.sha256 and say why)."""

from __future__ import annotations

import hashlib
from pathlib import Path

TEST_SPLIT = Path(__file__).resolve().parents[1] / "data" / "conversations" / "test"


def test_the_test_split_is_exactly_the_frozen_one() -> None:
    frozen = {}
    for line in (TEST_SPLIT / "FROZEN.sha256").read_text().splitlines():
        digest, name = line.split()
        frozen[name] = digest
    present = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(TEST_SPLIT.glob("*.json"))
    }
    assert sorted(present) == sorted(frozen), "files were added to or removed from the split"
    changed = [name for name, digest in present.items() if frozen[name] != digest]
    assert not changed, f"frozen files changed: {changed}"
