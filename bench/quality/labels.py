"""The labelled conversations and what their labels imply beyond each file: which labelled
deal a conversation speaks to (replaying the opportunity rule over the labels)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from plans.catalogue.models import Catalogue
from plans.conversations import models as conversation_models
from plans.conversations.models import ConversationIn
from plans.extraction.conversation import ConversationDocument
from plans.names import names_match
from plans.opportunities.detection import months_apart

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
SPLITS = ("dev", "holdout", "train", "test")
# Splits that may be read and tuned on; the others are only ever scored in aggregate.
READABLE = {"dev", "train"}


def load_catalogue() -> Catalogue:
    raw = json.loads((DATA / "catalogue.json").read_text())
    return Catalogue(product_lines=raw["product_lines"])


def load_split(split: str) -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text())
        for path in sorted((DATA / "conversations" / split).glob("*.json"))
    ]


def load_labelled(splits: tuple[str, ...] = ("dev", "holdout")) -> list[dict[str, Any]]:
    """Conversations of several splits, for the speed and memory benches (which only
    time them)."""
    return [item for split in splits for item in load_split(split)]


def document_of(item: dict[str, Any]) -> ConversationDocument:
    """The document an extractor reads of a labelled conversation."""
    payload = ConversationIn.model_validate({k: v for k, v in item.items() if k != "labels"})
    account = payload.account
    return conversation_models.document_of(payload, account.name or "", account.domain)


def documents(split: str) -> Iterator[tuple[dict[str, Any], ConversationDocument]]:
    """Each labelled conversation of a split with its document."""
    for item in load_split(split):
        yield item, document_of(item)


def labelled_name(said: str, names: list[str]) -> str | None:
    """The labelled person a name found by extraction stands for: the same name, else the
    one name it can match (nickname, first name), else nobody."""
    exact = [n for n in names if n.casefold() == said.casefold()]
    if exact:
        return exact[0]
    loose = [n for n in names if names_match(said, n)]
    return loose[0] if len(loose) == 1 else None


def account_key(item: dict[str, Any]) -> str:
    return str(item["account"].get("domain") or item["account"]["name"])


@dataclass(frozen=True)
class LabelledDeal:
    """The deal a conversation speaks to: the id of the conversation that created it."""

    created_by: str


def labelled_deals(items: list[dict[str, Any]]) -> dict[str, LabelledDeal]:
    """external id -> the labelled deal it creates or updates (create/update only)."""
    by_account: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_account[account_key(item)].append(item)
    deals: dict[str, LabelledDeal] = {}
    for conversations in by_account.values():
        open_deals: list[tuple[str, date | None, str]] = []  # (line, close, created_by)
        for item in sorted(conversations, key=lambda c: c["occurred_at"]):
            labels = item["labels"]
            line = labels.get("product_line")
            if labels["opportunity"] == "none" or line is None:
                continue
            close = date.fromisoformat(labels["close_date"]) if labels["close_date"] else None
            match = next(
                (
                    index
                    for index in range(len(open_deals) - 1, -1, -1)
                    if open_deals[index][0] == line
                    and (
                        close is None
                        or open_deals[index][1] is None
                        or not months_apart(close, open_deals[index][1])  # type: ignore[arg-type]
                    )
                ),
                None,
            )
            if match is None:
                open_deals.append((line, close, item["external_id"]))
                deals[item["external_id"]] = LabelledDeal(item["external_id"])
            else:
                held_line, held_close, creator = open_deals[match]
                open_deals[match] = (held_line, close or held_close, creator)
                deals[item["external_id"]] = LabelledDeal(creator)
    return deals
