"""Which catalogue line a conversation is about when it names none of the line's words:
the customer's sentences against the line's own words (name, aliases, keywords), through
the static sentence vectors. Works for any workspace's catalogue, with nothing trained on
it.

Used only as a fallback, and only when one line stands clearly above the others: a
conversation about "the phones ringing off the hook all August" is about the contact
centre line even if nobody says "contact centre".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from plans.catalogue.models import Catalogue
from plans.extraction.learned.sentences import embed

MODEL_ID = "model.line_similarity"
TOP_SENTENCES = 5  # a line's score: its mean similarity over the customer's best sentences
MIN_WORDS = 5  # shorter sentences say too little about a topic
MARGIN = 0.03  # how far the best line must stand above the next


@dataclass(frozen=True)
class LineMatch:
    key: str
    score: float
    margin: float
    sentence: str


def _line_vectors(catalogue: Catalogue) -> dict[str, np.ndarray]:
    return _vectors_of(catalogue.model_dump_json())


@lru_cache(maxsize=64)
def _vectors_of(catalogue_json: str) -> dict[str, np.ndarray]:
    """Per line, the unit vectors of its phrases (cached per catalogue content, so a
    workspace's changed catalogue is read afresh)."""
    catalogue = Catalogue.model_validate_json(catalogue_json)
    vectors = {}
    for line in catalogue.product_lines:
        phrases = list(dict.fromkeys([line.name, *line.aliases, *line.keywords]))
        vectors[line.key] = _unit(embed(phrases))
    return vectors


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-9))


def closest_line(
    sentences: list[str], vectors: np.ndarray, catalogue: Catalogue
) -> LineMatch | None:
    """The line the sentences (with their static vectors, one row each) are clearly
    closest to, or None."""
    kept = [i for i, s in enumerate(sentences) if len(s.split()) >= MIN_WORDS]
    if len(catalogue.product_lines) < 2 or not kept:
        return None
    texts = [sentences[i] for i in kept]
    said = _unit(vectors[kept])
    scores: dict[str, tuple[float, int]] = {}
    for key, phrases in _line_vectors(catalogue).items():
        best = (said @ phrases.T).max(axis=1)
        top = np.argsort(best)[-TOP_SENTENCES:]
        scores[key] = (float(best[top].mean()), int(top[-1]))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
    (key, (score, index)), (_, (second, _)) = ranked[0], ranked[1]
    if score - second < MARGIN:
        return None
    return LineMatch(key, round(score, 3), round(score - second, 3), texts[index])
