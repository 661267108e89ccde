"""Writing to the CRM: outbox changes coalesced per record, only the fields that differ
from the shadow, creates marked before they are sent (and looked up by our id when their
outcome is unknown), echoes stored as the new shadow."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from connectors.errors import ConnectorError, CRMUnavailable, RecordMissing, RecordRejected
from connectors.mapping import FieldKind, SyncedEntity
from connectors.protocol import RecordWrite, RemoteRecord
from connectors.sync import repository
from connectors.sync.context import SyncContext
from connectors.sync.local import LocalRecord
from connectors.sync.pull import Puller
from connectors.sync.tables import LinkRow
from connectors.sync.translate import outgoing, relation_targets, remote_values, value_hash
from core.outbox import repository as outbox


@dataclass
class Plan:
    """What one batch of records needs in the CRM."""

    creates: list[RecordWrite] = field(default_factory=list)
    updates: list[RecordWrite] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)  # creates sent before, outcome unknown
    trash: list[tuple[uuid.UUID, str, bool]] = field(default_factory=list)


class Pusher:
    def __init__(self, ctx: SyncContext, puller: Puller) -> None:
        self.ctx = ctx
        self.puller = puller

    def push_outbox(self) -> None:
        """Claim the connection's outbox rows a batch at a time, push the records they
        touch (dependency order), and mark the rows done once the CRM answered."""
        ctx = self.ctx
        while True:
            with ctx.session() as session:
                changes = outbox.claim(
                    session,
                    ctx.connection.consumer,
                    ctx.options.batch_size,
                    workspace_id=ctx.connection.workspace_id,
                )
                local = ctx.local(session)
                targets: dict[SyncedEntity, list[uuid.UUID]] = {}
                for change in changes:
                    for entity, record_id in local.records_of_change(change):
                        if record_id not in targets.setdefault(entity, []):
                            targets[entity].append(record_id)
            if not changes:
                return
            ids = [change.id for change in changes]
            try:
                for entity in ctx.entities():
                    if targets.get(entity):
                        self.push(entity, targets[entity])
            except ConnectorError as exc:
                # Notion away, or refusing us (a revoked token): the rows wait, with backoff.
                with ctx.session() as session:
                    attempts = max(change.attempts for change in changes)
                    outbox.mark_failed(session, ids, exc.message, attempts)
                raise
            with ctx.session() as session:
                outbox.mark_done(session, ids)

    def push(self, entity: SyncedEntity, record_ids: Sequence[uuid.UUID]) -> None:
        """Create, update, trash or restore each record as it needs; relation targets the
        CRM lacks are pushed first."""
        ctx = self.ctx
        with ctx.session() as session:
            ours = ctx.local(session).read(entity, record_ids)
        self._push_missing_targets(entity, list(ours.values()))
        plan = self._plan(entity, ours)

        for record_id, external_id, trashed in plan.trash:
            try:
                ctx.connector.set_trashed(entity, external_id, trashed)
            except RecordMissing:
                if not trashed:
                    raise
                # Already gone from the CRM, trash and all: that is what we wanted.
            with ctx.session() as session:
                links = repository.links_by_record(session, ctx.connection.id, entity, [record_id])
                links[record_id].remote_trashed = trashed
            ctx.report.trashed += 1
        creates = plan.creates
        if plan.unsure:
            found = ctx.connector.find_by_record_id(entity, plan.unsure)
            if found:
                with ctx.session() as session:
                    self.puller.merge_remote(session, entity, list(found.values()))
                creates = [w for w in creates if w.record_id not in found]
        writes = creates + plan.updates
        if writes:
            self._write(entity, writes)

    def _plan(self, entity: SyncedEntity, ours: dict[uuid.UUID, LocalRecord]) -> Plan:
        """Decide what each record needs, and mark the creates as started (committed
        before anything is sent)."""
        ctx = self.ctx
        plan = Plan()
        with ctx.session() as session:
            links = repository.links_by_record(session, ctx.connection.id, entity, list(ours))
            held = repository.held_fields(session, ctx.connection.id, entity, list(ours))
            targets = relation_targets(ctx, session, entity, list(ours.values()))
            required = [s.name for s in ctx.mapping.specs(entity) if s.required and s.target]
            for record_id, record in ours.items():
                link = links.get(record_id)
                external_id = link.external_id if link else None
                if record.deleted:
                    if link is not None and external_id and not link.remote_trashed:
                        plan.trash.append((record_id, external_id, True))
                    continue
                if link is not None and link.remote_trashed and external_id:
                    plan.trash.append((record_id, external_id, False))
                values = outgoing(
                    ctx, entity, record, link, held.get(record_id, frozenset()), targets
                )
                if external_id is None:
                    missing = [name for name in required if not values.get(name)]
                    if missing:
                        ctx.log_issue(
                            session,
                            entity,
                            record_id,
                            None,
                            f"waits for its {', '.join(missing)} to reach the CRM",
                        )
                        continue
                    if link is not None and link.create_started_at is not None:
                        plan.unsure.append(str(record_id))
                    blank_free = {k: v for k, v in values.items() if v is not None}
                    plan.creates.append(RecordWrite(str(record_id), None, blank_free))
                elif values or (link is not None and not link.stamped):
                    stamp = link is not None and not link.stamped
                    plan.updates.append(RecordWrite(str(record_id), external_id, values, stamp))
            self._mark_started(session, entity, plan.creates, links)
        return plan

    def _mark_started(
        self,
        session: Session,
        entity: SyncedEntity,
        creates: list[RecordWrite],
        links: dict[uuid.UUID, LinkRow],
    ) -> None:
        started = self.ctx.now()
        new = []
        for write in creates:
            record_id = uuid.UUID(write.record_id)
            if record_id in links:
                links[record_id].create_started_at = started
            else:
                new.append(record_id)
        repository.add_pending_links(session, self.ctx.connection.id, entity, new, started)

    def _push_missing_targets(self, entity: SyncedEntity, records: list[LocalRecord]) -> None:
        ctx = self.ctx
        for spec in ctx.mapping.specs(entity):
            if spec.target is None or spec.target not in ctx.entities():
                continue
            wanted = {
                uuid.UUID(target)
                for record in records
                if not record.deleted
                for target in record.values.get(spec.name) or []
            }
            if not wanted:
                continue
            with ctx.session() as session:
                missing = repository.unlinked(
                    session, ctx.connection.id, spec.target, sorted(wanted)
                )
            if missing:
                self.push(spec.target, missing)

    def _write(self, entity: SyncedEntity, writes: list[RecordWrite]) -> None:
        """Send the writes; store each echo. Records the CRM refuses are logged; when the
        CRM itself fails, what landed is kept and the failure is raised (the outbox rows
        stay pending and are retried with backoff)."""
        ctx = self.ctx
        results = ctx.connector.upsert(entity, writes)
        failure: ConnectorError | None = None
        with ctx.session() as session:
            ids = [uuid.UUID(write.record_id) for write in writes]
            links = repository.links_by_record(session, ctx.connection.id, entity, ids)
            for record_id, write, result in zip(ids, writes, results, strict=True):
                link = links.get(record_id)
                if result.record is not None and link is not None:
                    self._landed(session, entity, link, write, result.record)
                elif isinstance(result.error, RecordRejected | RecordMissing):
                    message = result.error.message
                    ctx.log_issue(session, entity, record_id, write.external_id, message)
                elif result.error is not None:
                    failure = failure or result.error
                elif failure is None:
                    failure = CRMUnavailable(f"{ctx.connection.connector}: write not attempted")
        if failure is not None:
            if isinstance(failure, CRMUnavailable):
                raise failure
            raise CRMUnavailable(failure.message)

    def _landed(
        self,
        session: Session,
        entity: SyncedEntity,
        link: LinkRow,
        write: RecordWrite,
        echo: RemoteRecord,
    ) -> None:
        """Store the echo: the shadow takes the values as the CRM stored them."""
        ctx = self.ctx
        if write.external_id is None:
            ctx.report.created_remote += 1
        else:
            ctx.report.pushed += 1
        remote = remote_values(ctx, session, entity, echo)
        written = set(write.values) if write.external_id is not None else set(remote)
        shadow = dict(link.shadow)
        sent = dict(link.sent)
        kinds = {spec.name: spec.kind for spec in ctx.mapping.specs(entity)}
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
