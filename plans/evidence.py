"""Turning stored signals into plan evidence (the link from every number to its quote)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from plans.catalogue.models import Catalogue
from plans.extraction.signals import Item, Signals


@dataclass(frozen=True)
class ConversationFacts:
    """What processing knows about one conversation, shared by the plan updaters."""

    workspace_id: uuid.UUID
    conversation_id: uuid.UUID
    account_id: uuid.UUID
    account_name: str
    occurred_at: datetime
    signals: Signals
    signal_ids: dict[uuid.UUID, uuid.UUID]  # item.id -> stored signal id
    source: str  # the extractor's name, or "agent"
    catalogue: Catalogue

    def signal_id(self, item: Item | None) -> uuid.UUID | None:
        return self.signal_ids.get(item.id) if item is not None else None

    def ids(self, *items: Item | None) -> list[str]:
        return [str(sid) for item in items if (sid := self.signal_id(item)) is not None]
