"""What one sentence says about the buying role of one person in it, learned from the
labelled sentences.

The sentence is seen from that person: in its frame (see `document.models`) the person's
slot becomes `tgt` (`tgt's` when possessive) and every other person `oth`, so "anything
over fifty K goes to Marguerite, she's the one who signs" reads, for Marguerite, "anything
over fifty k goes to tgt, tgt's the one who signs". TF-IDF of words and word pairs of that
view, one logistic head per role (`mention_roles.json`, written by
`training/mention_roles.py`). The person-role model reads each person's strongest
probability per role as a feature.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from plans.extraction.document.models import Document, Sentence
from plans.extraction.learned.sentences import Tfidf
from plans.extraction.signals import BuyingRole, Side

MODEL_PATH = Path(__file__).with_name("mention_roles.json")
SLOT = re.compile(r"§(\d+)")


def view(frame: str, target: int) -> str:
    """The frame as seen from slot `target`."""
    return SLOT.sub(lambda m: "tgt" if int(m.group(1)) == target else "oth", frame)


@dataclass(frozen=True)
class MentionRoles:
    tfidf: Tfidf
    roles: list[BuyingRole]
    weights: np.ndarray  # terms x roles
    bias: np.ndarray

    def probabilities(self, views: list[str]) -> np.ndarray:
        if not views:
            return np.zeros((0, len(self.roles)))
        x = self.tfidf.transform(views)
        return np.asarray(1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias))))

    def strongest(self, document: Document) -> dict[str, dict[BuyingRole, float]]:
        """Per person, the strongest probability of each role over the sentences that
        mention them (their own "I" included)."""
        pairs: list[tuple[str, str]] = []
        for sentence in document.sentences:
            if not _may_tell(sentence):
                continue
            frame = " ".join(c.frame for c in sentence.clauses)
            for slot in sorted({int(m) for m in SLOT.findall(frame)}):
                name = document.names[slot] if slot < len(document.names) else None
                if name is not None:
                    pairs.append((name, view(frame, slot)))
        found: dict[str, dict[BuyingRole, float]] = {}
        probabilities = self.probabilities([v for _, v in pairs])
        for (name, _), row in zip(pairs, probabilities, strict=True):
            held = found.setdefault(name, {})
            for role, p in zip(self.roles, row, strict=True):
                held[role] = max(held.get(role, 0.0), float(p))
        return found


def _may_tell(sentence: Sentence) -> bool:
    return not sentence.signature and sentence.side is not Side.OURS and not sentence.is_question


@lru_cache(maxsize=1)
def load_mention_roles(path: Path = MODEL_PATH) -> MentionRoles | None:
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    return MentionRoles(
        tfidf=Tfidf(raw["vocabulary"], np.asarray(raw["idf"], dtype=np.float32)),
        roles=[BuyingRole(r) for r in raw["roles"]],
        weights=np.asarray(raw["weights"], dtype=np.float32),
        bias=np.asarray(raw["bias"], dtype=np.float32),
    )
