"""SyncEngine: one CRM connection kept in step with Postgres.

A run (`run_once`) does, in order:
1. re-reads the CRM's schemas when asked (start, `schema_updated` webhooks) and pauses
   only the record types whose mapping broke (they catch up when it fits again);
2. fetches the records webhooks hinted at;
3. polls each record type for edits since its cursor minus the overlap (or, when due,
   reconciles: lists everything, finds trashed and vanished records, pushes records
   the CRM has never seen);
4. pushes the outbox: changes of one record coalesce into one write of only the fields
   that differ from the shadow (`push.py`).

Every remote record is merged field by field (`pull.py`, `merge.py`) against our record
and the shadow; a remote state already seen (same value hash) is skipped, so echoes of
our own writes cost nothing, whatever their edit time. Transactions are short and never
span a CRM call: a create is marked as started (and committed) before it is sent, so a
worker killed mid-call looks the record up by our id before creating it again; outbox
rows are marked done only after the CRM answered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from connectors.errors import ConnectorError
from connectors.mapping import SyncedEntity
from connectors.protocol import CRMConnector, RemoteRecord
from connectors.sync import repository
from connectors.sync.context import SyncContext
from connectors.sync.models import Connection, EngineOptions, RunReport
from connectors.sync.pull import Puller
from connectors.sync.push import Pusher
from core.db import utcnow
from core.locks import held_lock

log = logging.getLogger(__name__)
HINTS_A_RUN = 500
SYNC_LOCK = "crm-sync"  # the advisory lock of one connection's runs


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
        self.ctx = SyncContext(
            sessions, connection, connector, options or EngineOptions(), now, RunReport()
        )
        self.puller = Puller(self.ctx)
        self.pusher = Pusher(self.ctx, self.puller)

    def run_once(self, *, poll: bool | None = None, reconcile: bool | None = None) -> RunReport:
        """One pass (see the module docstring), or none if another worker holds the
        connection. By default (None) the connection's shared schedule decides, read once
        the connection is ours, so however many processes run the sync, a poll or a
        reconcile happens once per interval and a failing connection rests between
        tries. `poll=False` only takes hints and pushes (the cheap part); True forces a
        poll; `reconcile` forces (True) or skips (False) the full reconcile. Forcing
        either also ignores the rest."""
        ctx = self.ctx
        ctx.report = RunReport()
        with self._exclusive() as mine:
            if not mine or not self._refresh():
                ctx.report.skipped = True
                return ctx.report
            if poll is None and reconcile is None and self._resting():
                ctx.report.skipped = ctx.report.resting = True
                return ctx.report
            self._run(self._poll_due() if poll is None else poll, reconcile)
        return ctx.report

    def _run(self, poll: bool, reconcile: bool | None) -> None:
        ctx = self.ctx
        calls_before = ctx.connector.calls()
        started = ctx.now()
        reconciled = polled = False
        try:
            self._check_mapping()
            self._take_hints()
            if self._reconcile_due() if reconcile is None else reconcile:
                self._reconcile()
                reconciled = ctx.report.reconciled = True
            elif poll:
                for entity in ctx.entities():
                    self._poll(entity)
                polled = True
            self.pusher.push_outbox()
        except ConnectorError as exc:
            ctx.report.error = exc.message
            log.warning("sync %s: %s", ctx.connection.consumer, exc.message)
        except Exception as exc:
            ctx.report.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            self._record_run(
                calls_before,
                reconciled_at=started if reconciled else None,
                # a reconcile read everything a poll would have
                polled_at=started if reconciled or polled else None,
            )

    def _record_run(
        self,
        calls_before: dict[str, int],
        *,
        reconciled_at: datetime | None,
        polled_at: datetime | None,
    ) -> None:
        ctx = self.ctx
        calls_after = ctx.connector.calls()
        ctx.report.calls = {
            kind: count - calls_before.get(kind, 0)
            for kind, count in calls_after.items()
            if count != calls_before.get(kind, 0)
        }
        with ctx.session() as session:
            repository.record_run(
                session,
                ctx.connection.id,
                ctx.report.calls,
                error=ctx.report.error,
                now=ctx.now(),
                max_rest=ctx.options.max_rest,
                reconciled_at=reconciled_at,
                polled_at=polled_at,
            )

    @contextmanager
    def _exclusive(self) -> Iterator[bool]:
        """One run per connection at a time, across processes: an advisory lock held on
        a connection of its own for the whole run."""
        with held_lock(self.ctx.sessions, SYNC_LOCK, self.ctx.connection.id) as mine:
            yield mine

    def _refresh(self) -> bool:
        """Read the connection again now that it is ours: the run before ours, in another
        process perhaps, may have just polled or reconciled it. False if it was disabled
        or removed meanwhile."""
        with self.ctx.session() as session:
            row = repository.connection_row(session, self.ctx.connection.id)
            if row is None or not row.enabled:
                return False
            self.ctx.connection = repository.to_connection(row)
        return True

    def _resting(self) -> bool:
        rest_until = self.ctx.connection.rest_until
        return rest_until is not None and self.ctx.now() < rest_until

    def _poll_due(self) -> bool:
        last = self.ctx.connection.last_poll_at
        return last is None or self.ctx.now() - last >= self.ctx.options.poll_interval

    def _reconcile_due(self) -> bool:
        last = self.ctx.connection.last_reconcile_at
        return last is None or self.ctx.now() - last >= self.ctx.options.reconcile_interval

    def _check_mapping(self) -> None:
        ctx = self.ctx
        if not ctx.connection.check_mapping:
            return
        problems = ctx.connector.check_mapping()
        paused = {entity.value: found for entity, found in problems.items() if found}
        resumed = [SyncedEntity(e) for e in ctx.connection.paused if e not in paused]
        with ctx.session() as session:
            repository.set_paused(session, ctx.connection.id, paused)
            for entity in resumed:
                # Changes made here while it was paused were not written: look at them all.
                linked = repository.linked_external_ids(session, ctx.connection.id, entity)
                for record_id in linked.values():
                    ctx.enqueue(session, entity, record_id)
        ctx.connection = replace(ctx.connection, paused=paused, check_mapping=False)
        for name, found in paused.items():
            log.warning("sync %s paused %s: %s", ctx.connection.consumer, name, "; ".join(found))

    def _poll(self, entity: SyncedEntity) -> None:
        ctx = self.ctx
        with ctx.session() as session:
            position = repository.cursor(session, ctx.connection.id, entity)
            since = position.cursor if position else None
        start = since - ctx.options.overlap if since else None
        for page in ctx.connector.list_changes(entity, start):
            self._merge_page(entity, page)

    def _merge_page(self, entity: SyncedEntity, page: Sequence[RemoteRecord]) -> None:
        """Merge one page of a listing and move the cursor past it, in one transaction;
        the cursor never passes now minus the overlap."""
        ctx = self.ctx
        with ctx.session() as session:
            self.puller.merge_remote(session, entity, page)
            if page:
                newest = max(record.edited_at for record in page)
                ceiling = ctx.now() - ctx.options.overlap
                repository.set_cursor(session, ctx.connection.id, entity, min(newest, ceiling))

    def _take_hints(self) -> None:
        """Fetch the pages webhooks named (once each, however many events named them)."""
        ctx = self.ctx
        with ctx.session() as session:
            hints = repository.hints(session, ctx.connection.id, limit=HINTS_A_RUN)
            links = repository.links_by_external(
                session, ctx.connection.id, [h.external_id for h in hints]
            )
            by_entity: dict[SyncedEntity, list[str]] = {}
            for hint in hints:
                link = links.get(hint.external_id)
                kind = link.entity_type if link else hint.entity_type
                if kind is not None and SyncedEntity(kind) in ctx.entities():
                    by_entity.setdefault(SyncedEntity(kind), []).append(hint.external_id)
            hinted = [hint.external_id for hint in hints]
        for entity in ctx.entities():  # dependency order: a new account before its people
            wanted = by_entity.get(entity)
            if not wanted:
                continue
            found = ctx.connector.fetch(entity, wanted)
            with ctx.session() as session:
                self.puller.merge_remote(session, entity, list(found.values()))
                self.puller.vanished(session, entity, [i for i in wanted if i not in found])
        with ctx.session() as session:
            repository.drop_hints(session, ctx.connection.id, hinted)

    def _reconcile(self) -> None:
        """Everything, per record type in dependency order: list the CRM, look up the
        records it no longer lists (trashed, or gone), push what it never had."""
        ctx = self.ctx
        for entity in ctx.entities():
            seen: set[str] = set()
            for page in ctx.connector.list_changes(entity, None):
                self._merge_page(entity, page)
                seen.update(record.external_id for record in page)
            with ctx.session() as session:
                known = repository.linked_external_ids(session, ctx.connection.id, entity)
            missing = [external_id for external_id in known if external_id not in seen]
            if missing:
                found = ctx.connector.fetch(entity, missing)
                with ctx.session() as session:
                    self.puller.merge_remote(session, entity, list(found.values()))
                    self.puller.vanished(session, entity, [m for m in missing if m not in found])
            with ctx.session() as session:
                live = ctx.local(session).live_ids(entity)
                never_pushed = repository.unlinked(session, ctx.connection.id, entity, live)
            size = ctx.options.batch_size
            for start in range(0, len(never_pushed), size):
                self.pusher.push(entity, never_pushed[start : start + size])
