"""Who each open deal has been worked with: the customer people who took part in the
conversations that created or changed it (a deal with one such person is single-threaded)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from plans.map import repository as map_repository
from plans.opportunities import repository as opportunities


def contacts_per_opportunity(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Open opportunity -> customer people who took part in its conversations."""
    conversations = opportunities.conversations_of_open(session, workspace_id, account_id)
    participants = map_repository.participants_of(
        session, [c for ids in conversations.values() for c in ids]
    )
    return {
        opportunity: {person for c in ids for person in participants.get(c, set())}
        for opportunity, ids in conversations.items()
    }
