"""Taking CRM records in: each one merged field by field against ours and the shadow,
new ones adopted (ours, by record id) or created here (made in the CRM), trashed ones
soft-deleted, vanished ones soft-deleted and logged."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from connectors.mapping import SyncedEntity
from connectors.protocol import RemoteRecord
from connectors.sync import repository
from connectors.sync.context import SyncContext
from connectors.sync.local import LocalRecords
from connectors.sync.merge import FieldConflict, MergeResult, Sides, Winner, merge
from connectors.sync.tables import LinkRow
from connectors.sync.translate import local_values, remote_values, value_hash
from core.errors import AppError


class Puller:
    def __init__(self, ctx: SyncContext) -> None:
        self.ctx = ctx

    def merge_remote(
        self, session: Session, entity: SyncedEntity, records: Sequence[RemoteRecord]
    ) -> None:
        """Merge `records` in the caller's transaction, each in a savepoint of its own:
        one we cannot take is logged and does not stop the others."""
        if not records:
            return
        ctx = self.ctx
        local = ctx.local(session)
        links = repository.links_by_external(
            session, ctx.connection.id, [r.external_id for r in records]
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
                record_id = link.record_id if link else None
                ctx.log_issue(session, entity, record_id, record.external_id, exc.message)
                if link is not None:
                    link.remote_hash = digest  # the same state is not retried
            ctx.report.pulled += 1

    def _merge_record(
        self,
        session: Session,
        local: LocalRecords,
        entity: SyncedEntity,
        record: RemoteRecord,
        link: LinkRow | None,
        digest: str,
    ) -> None:
        ctx = self.ctx
        if link is None:
            link = self._link_new_remote(session, local, entity, record)
            if link is None:
                return
        actor = ctx.actor(record.edited_by)
        if record.trashed != link.remote_trashed:
            local.set_deleted(entity, link.record_id, record.trashed, actor)
            link.remote_trashed = record.trashed
            ctx.report.trashed += 1
        link.remote_hash = digest
        link.remote_edited_at = record.edited_at
        if record.trashed:
            return
        ours = local.read(entity, [link.record_id]).get(link.record_id)
        if ours is None:
            return
        if ours.deleted:
            ctx.enqueue(session, entity, link.record_id)  # the push puts it in the trash
            return
        remote = remote_values(ctx, session, entity, record)
        sides = Sides(
            local=local_values(ctx, entity, ours, link, remote),
            remote=remote,
            shadow=dict(link.shadow),
            local_edited_at=ours.edited_at,
            remote_edited_at=record.edited_at,
        )
        held = repository.held_fields(session, ctx.connection.id, entity, [link.record_id])
        specs = ctx.mapping.specs(entity)
        result = merge(
            specs,
            {spec.name: ctx.mapping.rule(entity, spec.name) for spec in specs},
            sides,
            held=held.get(link.record_id, frozenset()),
        )
        shadow = {**link.shadow, **result.agreed}
        if result.pull and self._apply(session, local, entity, link, result, sides, actor):
            shadow.update(result.pull)
        for name in result.push:
            shadow[name] = remote.get(name)  # what the CRM holds until our write lands
        link.shadow = shadow
        repository.close_agreed(session, ctx.connection.id, entity, link.record_id, result.agreed)
        ctx.log_conflicts(session, entity, link, record, result.conflicts)
        if result.push:
            ctx.enqueue(session, entity, link.record_id)

    def _apply(
        self,
        session: Session,
        local: LocalRecords,
        entity: SyncedEntity,
        link: LinkRow,
        result: MergeResult,
        sides: Sides,
        actor: str,
    ) -> bool:
        """Apply the pulled fields here; a value that breaks a rule here is refused as a
        whole, logged, and ours is written back instead."""
        try:
            with session.begin_nested():
                local.apply(entity, link.record_id, dict(result.pull), actor)
            return True
        except AppError as exc:
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
            result.pull.clear()
            return False

    def _link_new_remote(
        self, session: Session, local: LocalRecords, entity: SyncedEntity, record: RemoteRecord
    ) -> LinkRow | None:
        """A CRM record we have no link for: one we created (adopted by our id), or one
        made in the CRM (created here, then stamped with our id)."""
        if record.record_id is not None:
            return self._adopt(session, local, entity, record, record.record_id)
        if record.trashed:
            return None
        ctx = self.ctx
        remote = remote_values(ctx, session, entity, record)
        values = {
            spec.name: remote.get(spec.name)
            for spec in ctx.mapping.specs(entity)
            if spec.editable_in_crm or spec.required  # computed fields are ours to fill
        }
        record_id = local.create(entity, values, ctx.actor(record.edited_by))
        ctx.report.created_local += 1
        return repository.add_link(
            session,
            ctx.connection.id,
            entity,
            record_id,
            external_id=record.external_id,
            shadow=remote,
            stamped=False,
            remote_edited_at=record.edited_at,
        )

    def _adopt(
        self,
        session: Session,
        local: LocalRecords,
        entity: SyncedEntity,
        record: RemoteRecord,
        stamped_id: str,
    ) -> LinkRow | None:
        """A CRM record carrying our id: ours (a create whose answer we lost), unless the
        id is not ours or another CRM record already holds it (a copied page)."""
        ctx = self.ctx
        try:
            record_id = uuid.UUID(stamped_id)
        except ValueError:
            message = f"record id {stamped_id!r} is not ours"
            ctx.log_issue(session, entity, None, record.external_id, message)
            return None
        if not local.read(entity, [record_id]):
            message = f"carries record id {record_id}, which does not exist here"
            ctx.log_issue(session, entity, None, record.external_id, message)
            return None
        links = repository.links_by_record(session, ctx.connection.id, entity, [record_id])
        existing = links.get(record_id)
        if existing is not None and existing.external_id not in (None, record.external_id):
            message = (
                f"is a copy of the CRM record {existing.external_id} of the same record; "
                "not synced (delete the copy or clear its record id)"
            )
            ctx.log_issue(session, entity, record_id, record.external_id, message)
            return None
        if existing is not None:
            existing.external_id = record.external_id
            existing.create_started_at = None
            return existing
        return repository.add_link(
            session, ctx.connection.id, entity, record_id, external_id=record.external_id
        )

    def vanished(self, session: Session, entity: SyncedEntity, external_ids: Sequence[str]) -> None:
        """Records the CRM no longer shows at all (deleted from its trash, or unshared):
        soft-deleted here, like a trashed one, and logged."""
        ctx = self.ctx
        links = repository.links_by_external(session, ctx.connection.id, external_ids)
        local = ctx.local(session)
        for external_id, link in links.items():
            if link.remote_trashed:
                continue
            try:
                with session.begin_nested():
                    local.set_deleted(entity, link.record_id, True, ctx.actor(None))
                    link.remote_trashed = True
                    ctx.report.trashed += 1
                message = (
                    "the CRM record is gone (deleted for good or no longer shared); "
                    "soft-deleted here"
                )
            except AppError as exc:
                message = (
                    f"the CRM record is gone, and it could not be soft-deleted here: {exc.message}"
                )
            ctx.log_issue(session, entity, link.record_id, external_id, message)
