"""SyncEngine: one CRM connection kept in step with Postgres.

A run (`run_once`) does, in order:
1. re-reads the CRM's schemas when asked (start, `schema_updated` webhooks) and pauses
   only the record types whose mapping broke;
2. fetches the records webhooks hinted at;
3. polls each record type for edits since its cursor minus the overlap (or, when due,
   reconciles: lists everything, finds trashed and vanished records, pushes records
   the CRM has never seen);
4. pushes the outbox: changes of one record coalesce into one write of only the fields
   that differ from the shadow.

Every remote record is merged field by field (`merge.py`) against our record and the
shadow; a remote state already seen (same value hash) is skipped, so echoes of our own
writes cost nothing, whatever their edit time. Transactions are short and never span a
CRM call: a create is marked as started (and committed) before it is sent, so a worker
killed mid-call looks the record up by our id before creating it again; rows of the
outbox are marked done only after the CRM answered.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.db import unit_of_work, utcnow
from app.errors import AppError
from app.outbox import repository as outbox
from app.outbox.models import Change, EntityType
from connectors.errors import ConnectorError, CRMUnavailable, RecordMissing, RecordRejected
from connectors.mapping import FieldKind, SyncedEntity
from connectors.protocol import CRMConnector, RecordWrite, RemoteRecord
from connectors.sync import repository
from connectors.sync.local import LocalRecord, LocalRecords
from connectors.sync.merge import FieldConflict, Sides, Winner, merge
from connectors.sync.models import Connection, EngineOptions, RunReport
from connectors.sync.tables import LinkRow

log = logging.getLogger(__name__)

ENTITY_OUTBOX_TYPE = {
    SyncedEntity.ACCOUNT: EntityType.ACCOUNT,
    SyncedEntity.OPPORTUNITY: EntityType.OPPORTUNITY,
    SyncedEntity.STAKEHOLDER: EntityType.STAKEHOLDER,
}
ISSUE_FIELD = "*"  # a conflict row about a whole record (a page we cannot take)


def value_hash(record: RemoteRecord) -> str:
    """What a remote record holds, hashed: equal hashes mean nothing new to merge."""
    state = {"values": record.values, "record_id": record.record_id, "trashed": record.trashed}
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


class SyncEngine:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        connection: Connection,
        connector: CRMConnector,
        options: EngineOptions | None = None,
        *,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.connection = connection
        self.connector = connector
        self.options = options or EngineOptions()
        self.now = now
        self.mapping = connection.mapping
        self.report = RunReport()

    # -- a run ------------------------------------------------------------------------------

    def run_once(self, *, poll: bool = True, reconcile: bool | None = None) -> RunReport:
        """One pass (see the module docstring). `poll=False` only takes hints and pushes
        (the cheap part, for frequent rounds). `reconcile` forces (True) or skips (False)
        the full reconcile; by default it runs when due."""
        self.report = RunReport()
        with self._exclusive() as mine:
            if not mine:
                self.report.skipped = True
                return self.report
            calls_before = self.connector.calls()
            reconciled_at = None
            try:
                self._check_mapping()
                self._take_hints()
                if self._reconcile_due() if reconcile is None else reconcile:
                    started = self.now()
                    self._reconcile()
                    reconciled_at = started
                    self.report.reconciled = True
                elif poll:
                    for entity in self._entities():
                        self._poll(entity)
                self._push_outbox()
            except ConnectorError as exc:
                self.report.error = exc.message
                log.warning("sync %s: %s", self.connection.consumer, exc.message)
            except Exception as exc:
                self.report.error = f"{type(exc).__name__}: {exc}"
                raise
            finally:
                calls_after = self.connector.calls()
                self.report.calls = {
                    kind: count - calls_before.get(kind, 0)
                    for kind, count in calls_after.items()
                    if count != calls_before.get(kind, 0)
                }
                with self._session() as session:
                    repository.record_run(
                        session,
                        self.connection.id,
                        self.report.calls,
                        error=self.report.error,
                        reconciled_at=reconciled_at,
                    )
        return self.report

    @contextmanager
    def _exclusive(self) -> Iterator[bool]:
        """One run per connection at a time, across processes: an advisory lock held on
        a connection of its own for the whole run."""
        key = int.from_bytes(self.connection.id.bytes[:8], "big", signed=True)
        engine = self.sessions.kw["bind"]
        with engine.connect() as connection:
            got = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}))
            connection.commit()
            try:
                yield got
            finally:
                if got:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    connection.commit()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with unit_of_work(self.sessions) as session:
            yield session

    def _entities(self) -> list[SyncedEntity]:
        return self.connection.active_entities()

    def _reconcile_due(self) -> bool:
        last = self.connection.last_reconcile_at
        return last is None or self.now() - last >= self.options.reconcile_interval

    # -- schema -----------------------------------------------------------------------------

    def _check_mapping(self) -> None:
        if not self.connection.check_mapping:
            return
        problems = self.connector.check_mapping()
        paused = {entity.value: found for entity, found in problems.items() if found}
        resumed = [SyncedEntity(e) for e in self.connection.paused if e not in paused]
        with self._session() as session:
            repository.set_paused(session, self.connection.id, paused)
            for entity in resumed:
                # Changes made here while it was paused were not written: look at them all.
                for record_id in repository.linked_external_ids(
                    session, self.connection.id, entity
                ).values():
                    self._enqueue(session, entity, record_id)
        self.connection = replace(self.connection, paused=paused, check_mapping=False)
        for name, found in paused.items():
            log.warning("sync %s paused %s: %s", self.connection.consumer, name, "; ".join(found))

    # -- reading the CRM -----------------------------------------------------------------------

    def _poll(self, entity: SyncedEntity) -> None:
        with self._session() as session:
            position = repository.cursor(session, self.connection.id, entity)
            since = position.cursor if position else None
        start = since - self.options.overlap if since else None
        for page in self.connector.list_changes(entity, start):
            self._merge_page(entity, page)

    def _merge_page(self, entity: SyncedEntity, page: Sequence[RemoteRecord]) -> None:
        """Merge one page of a listing and move the cursor past it, in one transaction."""
        with self._session() as session:
            self._merge_remote(session, entity, page)
            if page:
                newest = max(record.edited_at for record in page)
                ceiling = self.now() - self.options.overlap
                repository.set_cursor(session, self.connection.id, entity, min(newest, ceiling))

    def _take_hints(self) -> None:
        with self._session() as session:
            hints = repository.hints(session, self.connection.id, limit=500)
            by_entity: dict[SyncedEntity, list[str]] = {}
            links = repository.links_by_external(
                session, self.connection.id, [h.external_id for h in hints]
            )
            for hint in hints:
                link = links.get(hint.external_id)
                kind = link.entity_type if link else hint.entity_type
                if kind is not None and SyncedEntity(kind) in self._entities():
                    by_entity.setdefault(SyncedEntity(kind), []).append(hint.external_id)
            hinted = [hint.external_id for hint in hints]
        for entity in self._entities():
            wanted = by_entity.get(entity, [])
            if wanted:
                found = self.connector.fetch(entity, wanted)
                with self._session() as session:
                    self._merge_remote(session, entity, list(found.values()))
                    gone = [external_id for external_id in wanted if external_id not in found]
                    self._vanished(session, entity, gone)
        with self._session() as session:
            repository.drop_hints(session, self.connection.id, hinted)

    def _reconcile(self) -> None:
        for entity in self._entities():
            seen: set[str] = set()
            for page in self.connector.list_changes(entity, None):
                self._merge_page(entity, page)
                seen.update(record.external_id for record in page)
            with self._session() as session:
                known = repository.linked_external_ids(session, self.connection.id, entity)
            missing = [external_id for external_id in known if external_id not in seen]
            if missing:
                found = self.connector.fetch(entity, missing)
                with self._session() as session:
                    self._merge_remote(session, entity, list(found.values()))
                    self._vanished(session, entity, [m for m in missing if m not in found])
            with self._session() as session:
                local = LocalRecords(
                    session, self.connection.workspace_id, self.connection.consumer
                )
                never_pushed = repository.unlinked(
                    session, self.connection.id, entity, local.live_ids(entity)
                )
            for start in range(0, len(never_pushed), self.options.batch_size):
                self._push(entity, never_pushed[start : start + self.options.batch_size])

    def _vanished(
        self, session: Session, entity: SyncedEntity, external_ids: Sequence[str]
    ) -> None:
        """Records the CRM no longer shows at all (deleted from its trash, or unshared):
        soft-deleted here, like a trashed one, and logged."""
        links = repository.links_by_external(session, self.connection.id, external_ids)
        local = LocalRecords(session, self.connection.workspace_id, self.connection.consumer)
        for external_id, link in links.items():
            if link.remote_trashed:
                continue
            with session.begin_nested():
                local.set_deleted(entity, link.record_id, True, self._actor(None))
                link.remote_trashed = True
                self.report.trashed += 1
                self._log_issue(
                    session,
                    entity,
                    link.record_id,
                    external_id,
                    "the CRM record is gone (deleted for good or no longer shared); "
                    "soft-deleted here",
                )

    # -- merging one remote record ---------------------------------------------------------------

    def _merge_remote(
        self, session: Session, entity: SyncedEntity, records: Sequence[RemoteRecord]
    ) -> None:
        if not records:
            return
        local = LocalRecords(session, self.connection.workspace_id, self.connection.consumer)
        links = repository.links_by_external(
            session, self.connection.id, [r.external_id for r in records]
        )
        for record in records:
            digest = value_hash(record)
            link = links.get(record.external_id)
            if link is not None and link.remote_hash == digest:
                continue  # seen already: an echo of our write, or a repeat in the overlap
            try:
                with session.begin_nested():
                    self._merge_record(session, local, entity, record, link, digest)
            except AppError as exc:
                # One record we cannot take must not stop the others: log it, remember
                # its state so the same state is not retried, and move on.
                self._log_issue(
                    session,
                    entity,
                    link.record_id if link else None,
                    record.external_id,
                    exc.message,
                )
                if link is not None:
                    link.remote_hash = digest
            self.report.pulled += 1

    def _merge_record(
        self,
        session: Session,
        local: LocalRecords,
        entity: SyncedEntity,
        record: RemoteRecord,
        link: LinkRow | None,
        digest: str,
    ) -> None:
        if link is None:
            link = self._link_new_remote(session, local, entity, record)
            if link is None:
                return
        actor = self._actor(record.edited_by)
        if record.trashed != link.remote_trashed:
            local.set_deleted(entity, link.record_id, record.trashed, actor)
            link.remote_trashed = record.trashed
            self.report.trashed += 1
        if record.trashed:
            link.remote_hash = digest
            return
        ours = local.read(entity, [link.record_id]).get(link.record_id)
        if ours is None:
            return
        if ours.deleted:
            # Deleted here, not yet in the CRM: the push puts it in the trash.
            self._enqueue(session, entity, link.record_id)
            link.remote_hash = digest
            return
        remote = self._remote_values(session, entity, record)
        sides = Sides(
            local=self._local_values(entity, ours, link, remote),
            remote=remote,
            shadow=dict(link.shadow),
            local_edited_at=ours.edited_at,
            remote_edited_at=record.edited_at,
        )
        held = repository.held_fields(session, self.connection.id, entity, [link.record_id])
        result = merge(
            self.mapping.specs(entity),
            {
                spec.name: self.mapping.rule(entity, spec.name)
                for spec in self.mapping.specs(entity)
            },
            sides,
            held=held.get(link.record_id, frozenset()),
        )
        shadow = {**link.shadow, **result.agreed}
        if result.pull:
            try:
                with session.begin_nested():
                    local.apply(entity, link.record_id, dict(result.pull), actor)
                shadow.update(result.pull)
            except AppError as exc:
                # The CRM's value breaks a rule here: ours stays and is written back.
                for name, value in result.pull.items():
                    result.push[name] = sides.local.get(name)
                    result.conflicts.append(
                        FieldConflict(
                            name,
                            sides.local.get(name),
                            value,
                            sides.shadow.get(name),
                            "rejected",
                            Winner.POSTGRES,
                            f"the CRM's value cannot be taken here: {exc.message}",
                        )
                    )
        for name in result.push:
            shadow[name] = remote.get(name)  # what the CRM holds until our write lands
        link.shadow = shadow
        link.remote_hash = digest
        link.remote_edited_at = record.edited_at
        repository.close_agreed(session, self.connection.id, entity, link.record_id, result.agreed)
        self._log_conflicts(session, entity, link, record, result.conflicts)
        if result.push:
            self._enqueue(session, entity, link.record_id)

    def _link_new_remote(
        self, session: Session, local: LocalRecords, entity: SyncedEntity, record: RemoteRecord
    ) -> LinkRow | None:
        """A CRM record we have no link for: one we created (adopted by our id), or one
        made in the CRM (created here, then stamped with our id)."""
        if record.record_id is not None:
            try:
                record_id = uuid.UUID(record.record_id)
            except ValueError:
                self._log_issue(
                    session,
                    entity,
                    None,
                    record.external_id,
                    f"record id {record.record_id!r} is not ours",
                )
                return None
            if not local.read(entity, [record_id]):
                self._log_issue(
                    session,
                    entity,
                    None,
                    record.external_id,
                    f"carries record id {record_id}, which does not exist here",
                )
                return None
            existing = repository.links_by_record(
                session, self.connection.id, entity, [record_id]
            ).get(record_id)
            if existing is not None and existing.external_id not in (None, record.external_id):
                self._log_issue(
                    session,
                    entity,
                    record_id,
                    record.external_id,
                    f"is a copy of the CRM record {existing.external_id} of the same record; "
                    "not synced (delete the copy or clear its record id)",
                )
                return None
            if existing is not None:
                existing.external_id = record.external_id
                existing.create_started_at = None
                return existing
            return repository.add_link(
                session, self.connection.id, entity, record_id, external_id=record.external_id
            )
        if record.trashed:
            return None
        remote = self._remote_values(session, entity, record)
        values = {
            spec.name: remote.get(spec.name)
            for spec in self.mapping.specs(entity)
            if spec.editable_in_crm or spec.required  # computed fields are ours to fill
        }
        record_id = local.create(entity, values, self._actor(record.edited_by))
        self.report.created_local += 1
        shadow = self._remote_values(session, entity, record)
        return repository.add_link(
            session,
            self.connection.id,
            entity,
            record_id,
            external_id=record.external_id,
            shadow=shadow,
            stamped=False,
            remote_edited_at=record.edited_at,
        )

    # -- values ----------------------------------------------------------------------------

    def _remote_values(
        self, session: Session, entity: SyncedEntity, record: RemoteRecord
    ) -> dict[str, Any]:
        """The CRM's values in our terms: relations as our record ids."""
        values = dict(record.values)
        for spec in self.mapping.specs(entity):
            linked = values.get(spec.name)
            if spec.kind is not FieldKind.RELATION or not isinstance(linked, list):
                continue
            targets = repository.links_by_external(session, self.connection.id, linked)
            values[spec.name] = sorted(
                str(targets[external_id].record_id)
                if external_id in targets
                else f"crm:{external_id}"
                for external_id in linked
            )
        return values

    def _local_values(
        self,
        entity: SyncedEntity,
        ours: LocalRecord,
        link: LinkRow | None,
        remote: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """Our values in the CRM's form. A field with several acceptable values agrees
        with the CRM (or the shadow) when that value is one of them; a value we wrote
        whose echo came back different still counts as the echo."""
        shadow = link.shadow if link else {}
        sent = link.sent if link else {}
        values = {}
        for spec in self.mapping.specs(entity):
            value = self.connector.normalise(spec.kind, ours.values.get(spec.name))
            choices = [
                self.connector.normalise(spec.kind, v) for v in ours.alternatives.get(spec.name, [])
            ]
            if remote is not None and remote.get(spec.name) in choices:
                value = remote[spec.name]
            elif spec.name in shadow and shadow[spec.name] in choices:
                value = shadow[spec.name]
            if spec.name in sent and sent[spec.name] == value and spec.name in shadow:
                value = shadow[spec.name]
            values[spec.name] = value
        return values

    def _actor(self, edited_by: str | None) -> str:
        who = f" ({edited_by})" if edited_by else ""
        return f"{self.connection.connector}{who}"

    # -- pushing ---------------------------------------------------------------------------

    def _push_outbox(self) -> None:
        while True:
            with self._session() as session:
                changes = outbox.claim(
                    session,
                    self.connection.consumer,
                    self.options.batch_size,
                    workspace_id=self.connection.workspace_id,
                )
                local = LocalRecords(
                    session, self.connection.workspace_id, self.connection.consumer
                )
                targets: dict[SyncedEntity, list[uuid.UUID]] = {}
                for change in changes:
                    for entity, record_id in local.records_of_change(change):
                        if record_id not in targets.setdefault(entity, []):
                            targets[entity].append(record_id)
            if not changes:
                return
            ids = [change.id for change in changes]
            try:
                for entity in self._entities():
                    if targets.get(entity):
                        self._push(entity, targets[entity])
            except CRMUnavailable as exc:
                with self._session() as session:
                    attempts = max(change.attempts for change in changes)
                    outbox.mark_failed(session, ids, exc.message, attempts)
                raise
            with self._session() as session:
                outbox.mark_done(session, ids)

    def _push(self, entity: SyncedEntity, record_ids: Sequence[uuid.UUID]) -> None:
        """Write what differs from the shadow for each record: create, update, trash or
        restore. Relation targets the CRM lacks are pushed first."""
        self._push_missing_targets(entity, record_ids)
        with self._session() as session:
            local = LocalRecords(session, self.connection.workspace_id, self.connection.consumer)
            ours = local.read(entity, record_ids)
            links = repository.links_by_record(session, self.connection.id, entity, list(ours))
            held = repository.held_fields(session, self.connection.id, entity, list(ours))
            creates: list[RecordWrite] = []
            updates: list[RecordWrite] = []
            unsure: list[str] = []  # creates sent before whose outcome is unknown
            trash: list[tuple[uuid.UUID, str, bool]] = []
            for record_id, record in ours.items():
                link = links.get(record_id)
                external_id = link.external_id if link else None
                if record.deleted:
                    if external_id and link is not None and not link.remote_trashed:
                        trash.append((record_id, external_id, True))
                    continue
                if link is not None and link.remote_trashed and external_id:
                    trash.append((record_id, external_id, False))
                values = self._outgoing(
                    session, entity, record, link, held.get(record_id, frozenset())
                )
                if external_id is None:
                    if link is not None and link.create_started_at is not None:
                        unsure.append(str(record_id))
                    creates.append(
                        RecordWrite(
                            str(record_id), None, {k: v for k, v in values.items() if v is not None}
                        )
                    )
                elif values or (link is not None and not link.stamped):
                    updates.append(
                        RecordWrite(
                            str(record_id),
                            external_id,
                            values,
                            stamp=not link.stamped if link else False,
                        )
                    )
            started = self.now()
            for write in creates:
                link = links.get(uuid.UUID(write.record_id))
                if link is None:
                    repository.add_link(
                        session,
                        self.connection.id,
                        entity,
                        uuid.UUID(write.record_id),
                        create_started_at=started,
                    )
                else:
                    link.create_started_at = started
        for record_id, external_id, trashed in trash:
            self.connector.set_trashed(entity, external_id, trashed)
            with self._session() as session:
                link = repository.links_by_record(session, self.connection.id, entity, [record_id])[
                    record_id
                ]
                link.remote_trashed = trashed
            self.report.trashed += 1
        if unsure:
            found = self.connector.find_by_record_id(entity, unsure)
            if found:
                with self._session() as session:
                    self._merge_remote(session, entity, list(found.values()))
                adopted = {uuid.UUID(record_id) for record_id in found}
                creates = [w for w in creates if uuid.UUID(w.record_id) not in adopted]
        writes = creates + updates
        if writes:
            self._write(entity, writes)

    def _outgoing(
        self,
        session: Session,
        entity: SyncedEntity,
        record: LocalRecord,
        link: LinkRow | None,
        held: frozenset[str],
    ) -> dict[str, Any]:
        """Fields to write: all (a create) or those that differ from the shadow; relations
        as the CRM's ids."""
        values = self._local_values(entity, record, link, None)
        if link is not None and link.external_id is not None:
            values = {
                name: value
                for name, value in values.items()
                if name not in held and (name not in link.shadow or link.shadow[name] != value)
            }
        for spec in self.mapping.specs(entity):
            if spec.kind is FieldKind.RELATION and values.get(spec.name) and spec.target:
                targets = repository.links_by_record(
                    session,
                    self.connection.id,
                    spec.target,
                    [uuid.UUID(i) for i in values[spec.name]],
                )
                values[spec.name] = (
                    sorted(
                        str(targets[uuid.UUID(i)].external_id)
                        for i in values[spec.name]
                        if uuid.UUID(i) in targets and targets[uuid.UUID(i)].external_id
                    )
                    or None
                )
        return values

    def _push_missing_targets(self, entity: SyncedEntity, record_ids: Sequence[uuid.UUID]) -> None:
        for spec in self.mapping.specs(entity):
            if spec.target is None or spec.target not in self._entities():
                continue
            with self._session() as session:
                local = LocalRecords(
                    session, self.connection.workspace_id, self.connection.consumer
                )
                wanted = {
                    uuid.UUID(target)
                    for record in local.read(entity, record_ids).values()
                    if not record.deleted
                    for target in record.values.get(spec.name) or []
                }
                missing = repository.unlinked(
                    session, self.connection.id, spec.target, sorted(wanted)
                )
            if missing:
                self._push(spec.target, missing)

    def _write(self, entity: SyncedEntity, writes: list[RecordWrite]) -> None:
        """Send the writes; store each echo. Records the CRM refuses are logged; when the
        CRM itself fails, what landed is kept and the failure is raised (the outbox rows
        stay pending and are retried with backoff)."""
        results = self.connector.upsert(entity, writes)
        failure: ConnectorError | None = None
        with self._session() as session:
            for write, result in zip(writes, results, strict=True):
                record_id = uuid.UUID(write.record_id)
                links = repository.links_by_record(session, self.connection.id, entity, [record_id])
                link = links.get(record_id)
                if result.record is not None and link is not None:
                    self._landed(session, entity, link, write, result.record)
                elif isinstance(result.error, RecordRejected | RecordMissing):
                    self._log_issue(
                        session, entity, record_id, write.external_id, result.error.message
                    )
                elif result.error is not None:
                    failure = failure or result.error
                elif failure is None:
                    failure = CRMUnavailable(f"{self.connection.connector}: write not attempted")
        if failure is not None:
            raise (
                failure if isinstance(failure, CRMUnavailable) else CRMUnavailable(failure.message)
            )

    def _landed(
        self,
        session: Session,
        entity: SyncedEntity,
        link: LinkRow,
        write: RecordWrite,
        echo: RemoteRecord,
    ) -> None:
        """Store the echo: the shadow takes the values as the CRM stored them."""
        if write.external_id is None:
            self.report.created_remote += 1
        else:
            self.report.pushed += 1
        remote = self._remote_values(session, entity, echo)
        written = set(write.values) if write.external_id is not None else set(remote)
        shadow = dict(link.shadow)
        sent = dict(link.sent)
        kinds = {spec.name: spec.kind for spec in self.mapping.specs(entity)}
        for name in written:
            shadow[name] = remote.get(name)
            sent.pop(name, None)
            ours = write.values.get(name)
            if kinds.get(name) is not FieldKind.RELATION and ours != echo.values.get(name):
                sent[name] = ours  # the CRM rewrote it: do not write it again
        link.external_id = echo.external_id
        link.shadow = shadow
        link.sent = sent
        link.remote_hash = value_hash(echo)
        link.remote_edited_at = echo.edited_at
        link.create_started_at = None
        link.stamped = True

    # -- bookkeeping -----------------------------------------------------------------------

    def _enqueue(self, session: Session, entity: SyncedEntity, record_id: uuid.UUID) -> None:
        """Ask the push of this run (or the next) to write this record."""
        if entity is SyncedEntity.ACTION_ITEM:
            holder = LocalRecords(session, self.connection.workspace_id, self.connection.consumer)
            record = holder.read(entity, [record_id]).get(record_id)
            if record is None:
                return
            entity, record_id = SyncedEntity.OPPORTUNITY, uuid.UUID(record.values["opportunity"][0])
        outbox.enqueue(
            session,
            [
                Change(
                    self.connection.workspace_id,
                    ENTITY_OUTBOX_TYPE[entity],
                    record_id,
                    origin="sync",
                )
            ],
            [self.connection.consumer],
        )

    def _log_conflicts(
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

    def _log_issue(
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
