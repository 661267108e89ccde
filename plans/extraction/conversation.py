"""A conversation as the extractors read it: who took part, and who said what."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from plans.extraction.signals import Side

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]


class Channel(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    EMAIL_THREAD = "email_thread"
    CHAT = "chat"


class Participant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    email: Email | None = None
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    side: Side


class ConversationDocument(BaseModel):
    """A conversation as extractors read it: speaker-labelled turns (a plain-text
    conversation is one turn with no speaker)."""

    model_config = ConfigDict(frozen=True)

    occurred_at: datetime
    channel: Channel
    title: str | None
    account_name: str
    account_domain: str | None = None
    participants: list[Participant]
    turns: list[tuple[str | None, str]]

    @property
    def text(self) -> str:
        return "\n".join(f"{speaker}: {text}" if speaker else text for speaker, text in self.turns)
