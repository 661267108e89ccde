"""What every part of one connection's sync run shares: the stores, the connection, its
connector, the options and the run's report; and the journal of what the run decided
(changes to push, conflicts and record-level issues)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from connectors.mapping import SyncedEntity, SyncMapping
from connectors.protocol import CRMConnector, RemoteRecord
from connectors.sync import repository
from connectors.sync.local import LocalRecords
from connectors.sync.merge import FieldConflict
from connectors.sync.models import Connection, EngineOptions, RunReport
from connectors.sync.tables import LinkRow
from core.db import unit_of_work
from core.outbox import repository as outbox
from core.outbox.models import Change, EntityType

ENTITY_OUTBOX_TYPE = {
    SyncedEntity.ACCOUNT: EntityType.ACCOUNT,
    SyncedEntity.OPPORTUNITY: EntityType.OPPORTUNITY,
    SyncedEntity.STAKEHOLDER: EntityType.STAKEHOLDER,
}
ISSUE_FIELD = "*"  # a conflict-log entry about a whole record (one we cannot take)


@dataclass
class SyncContext:
    sessions: sessionmaker[Session]
    connection: Connection
    connector: CRMConnector
    options: EngineOptions
    now: Callable[[], datetime]
    report: RunReport

    @property
    def mapping(self) -> SyncMapping:
        return self.connection.mapping

    @contextmanager
    def session(self) -> Iterator[Session]:
        with unit_of_work(self.sessions) as session:
            yield session

    def entities(self) -> list[SyncedEntity]:
        return self.connection.active_entities()

    def local(self, session: Session) -> LocalRecords:
        return LocalRecords(session, self.connection.workspace_id, self.connection.consumer)

    def actor(self, edited_by: str | None) -> str:
        """Who an edit applied from the CRM is attributed to."""
        who = f" ({edited_by})" if edited_by else ""
        return f"{self.connection.connector}{who}"

    # -- the journal -----------------------------------------------------------------------

    def enqueue(self, session: Session, entity: SyncedEntity, record_id: uuid.UUID) -> None:
        """Ask the push of this run (or the next) to look at this record again."""
        if entity is SyncedEntity.ACTION_ITEM:
            item = self.local(session).read(entity, [record_id]).get(record_id)
            if item is None:
                return
            entity, record_id = SyncedEntity.OPPORTUNITY, uuid.UUID(item.values["opportunity"][0])
        change = Change(
            self.connection.workspace_id, ENTITY_OUTBOX_TYPE[entity], record_id, origin="sync"
        )
        outbox.enqueue(session, [change], [self.connection.consumer])

    def log_conflicts(
        self,
        session: Session,
        entity: SyncedEntity,
        link: LinkRow,
        record: RemoteRecord,
        found: list[FieldConflict],
    ) -> None:
        repository.add_conflicts(
            session,
            [
                {
                    "connection_id": self.connection.id,
                    "workspace_id": self.connection.workspace_id,
                    "entity_type": entity.value,
                    "record_id": link.record_id,
                    "external_id": record.external_id,
                    "field": conflict.field,
                    "local_value": conflict.local,
                    "remote_value": conflict.remote,
                    "shadow_value": conflict.shadow,
                    "rule": conflict.rule,
                    "winner": conflict.winner.value if conflict.winner else None,
                    "status": "resolved" if conflict.winner else "open",
                    "reason": conflict.reason,
                    "remote_edited_by": record.edited_by,
                }
                for conflict in found
            ],
        )
        self.report.conflicts += len(found)

    def log_issue(
        self,
        session: Session,
        entity: SyncedEntity,
        record_id: uuid.UUID | None,
        external_id: str | None,
        message: str,
    ) -> None:
        """A record that cannot be synced as it is: an open entry in the conflict log
        (once: the same open issue is not logged again at every poll)."""
        if repository.open_issue_exists(session, self.connection.id, external_id, message):
            return
        repository.add_conflicts(
            session,
            [
                {
                    "connection_id": self.connection.id,
                    "workspace_id": self.connection.workspace_id,
                    "entity_type": entity.value,
                    "record_id": record_id or uuid.UUID(int=0),
                    "external_id": external_id,
                    "field": ISSUE_FIELD,
                    "rule": "rejected",
                    "winner": None,
                    "status": "open",
                    "reason": message,
                }
            ],
        )
        self.report.conflicts += 1
