"""The trained sentence reader: which MEDDIC/BANT element a sentence speaks to (or
against), and which buying role or stance it shows for its speaker, where the phrasings
are too many to write down.

A sentence is read three ways at once: its words and word pairs (TF-IDF over the
training vocabulary: sharp on the phrasings it has seen), its static vector (model2vec,
distilled from all-MiniLM-L6-v2, shipped in `vectors/`: the topic, for phrasings it has
not), and its mood (negated, hedged, conditional, question, wish, plan, first person, a
note). One logistic head per label reads all three (`sentence_heads.json`, written by
`training/sentence_heads.py`, each label with a threshold chosen for precision).
Everything loads offline from the package.

The TF-IDF transform is scikit-learn's (`TfidfVectorizer(ngram_range=(1, 2),
sublinear_tf=True)`: lower case, tokens of two or more word characters, 1 + log of the
count, times the idf, L2-normalised); it is redone here over the exported vocabulary so
the service needs no scikit-learn, and a test checks both give the same numbers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from plans.extraction.document.models import Sentence

HERE = Path(__file__).parent
VECTORS = HERE / "vectors"
HEADS = HERE / "sentence_heads.json"
# Per element, how sure a head must be for a conversation to count as its evidence
# (chosen on whole conversations by training/element_thresholds.py).
ELEMENT_THRESHOLDS = HERE / "element_thresholds.json"
SENTENCE_FLOOR = 0.5
MODEL_ID = "model.sentence_heads"
MOOD_FEATURES = (
    "negated",
    "hedged",
    "conditional",
    "question",
    "wish",
    "plan",
    "first_person",
    "note",
)
FIRST_PERSON = re.compile(r"(?:^|\s)(?:§\d+|i|we|our|my|me|us)\b")
TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class Tfidf:
    vocabulary: dict[str, int]
    idf: np.ndarray

    def transform(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), len(self.idf)), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = TOKEN.findall(text.lower())
            grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
            counts: dict[int, int] = {}
            for gram in grams:
                index = self.vocabulary.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            for index, count in counts.items():
                rows[row, index] = (1.0 + np.log(count)) * self.idf[index]
            norm = float(np.linalg.norm(rows[row]))
            if norm:
                rows[row] /= norm
        return rows


def features(
    tfidf: Tfidf, sentences: list[Sentence], vectors: np.ndarray | None = None
) -> np.ndarray:
    """The heads' input: TF-IDF, static vector and mood, side by side (`vectors`: the
    sentences' static vectors when the caller has them already)."""
    return np.hstack(
        [
            tfidf.transform([s.text for s in sentences]),
            embed([s.text for s in sentences]) if vectors is None else vectors,
            np.asarray([mood_features(s) for s in sentences], dtype=np.float32),
        ]
    )


def mood_features(sentence: Sentence) -> list[float]:
    clauses = sentence.clauses
    frame = " ".join(c.frame for c in clauses)
    return [
        float(any(c.negated for c in clauses)),
        float(any(c.hedged for c in clauses)),
        float(any(c.conditional for c in clauses)),
        float(any(c.question for c in clauses)),
        float(any(c.wish for c in clauses)),
        float(any(c.plan for c in clauses)),
        float(bool(FIRST_PERSON.search(frame))),
        float(sentence.speaker is None),
    ]


@lru_cache(maxsize=1)
def vectors() -> object:
    """The static embedding model (loaded once per process)."""
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(VECTORS))


def embed(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 0))
    return np.asarray(vectors().encode(texts), dtype=np.float32)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SentenceHeads:
    labels: list[str]  # "element:budget", "against:budget", "role:champion", "stance:opposed"
    tfidf: Tfidf
    weights: np.ndarray  # features x labels
    bias: np.ndarray
    thresholds: np.ndarray

    def probabilities(
        self, sentences: list[Sentence], vectors: np.ndarray | None = None
    ) -> np.ndarray:
        """One row per sentence, one column per label."""
        if not sentences:
            return np.zeros((0, len(self.labels)))
        x = features(self.tfidf, sentences, vectors)
        return np.asarray(1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias))))

    def read(
        self, sentences: list[Sentence], vectors: np.ndarray | None = None
    ) -> list[dict[str, float]]:
        """Per sentence, the labels at or above their threshold, with their probability."""
        found = []
        for row in self.probabilities(sentences, vectors):
            found.append(
                {
                    label: float(p)
                    for label, p, t in zip(self.labels, row, self.thresholds, strict=True)
                    if p >= t
                }
            )
        return found


@lru_cache(maxsize=1)
def element_thresholds() -> dict[str, float]:
    if not ELEMENT_THRESHOLDS.exists():
        return {}
    return {k: float(v) for k, v in json.loads(ELEMENT_THRESHOLDS.read_text()).items()}


@lru_cache(maxsize=1)
def load_heads(path: Path = HEADS) -> SentenceHeads | None:
    if not path.exists() or not (VECTORS / "model.safetensors").exists():
        return None
    raw = json.loads(path.read_text())
    return SentenceHeads(
        labels=raw["labels"],
        tfidf=Tfidf(raw["vocabulary"], np.asarray(raw["idf"], dtype=np.float32)),
        weights=np.asarray(raw["weights"], dtype=np.float32),
        bias=np.asarray(raw["bias"], dtype=np.float32),
        thresholds=np.asarray(raw["thresholds"], dtype=np.float32),
    )
