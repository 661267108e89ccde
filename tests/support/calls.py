"""A call with Helix Health, as extractors read it: the unit tests' one way to make a
conversation from a few turns."""

from __future__ import annotations

from datetime import UTC, datetime

from plans.extraction.conversation import Channel, ConversationDocument, Participant


def helix_call(
    participants: list[Participant], turns: list[tuple[str, str]]
) -> ConversationDocument:
    return ConversationDocument(
        occurred_at=datetime(2026, 1, 12, 15, tzinfo=UTC),
        channel=Channel.CALL,
        title=None,
        account_name="Helix Health",
        account_domain="helixhealth.org",
        participants=participants,
        turns=turns,
    )
