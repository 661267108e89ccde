"""Values between the two sides: the CRM's in our terms (relations as our ids), ours in
the CRM's form (normalised as it stores them), and the hash that recognises a remote
state already seen."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from sqlalchemy.orm import Session

from connectors.mapping import FieldKind, SyncedEntity
from connectors.protocol import RemoteRecord
from connectors.sync import repository
from connectors.sync.context import SyncContext
from connectors.sync.local import LocalRecord
from connectors.sync.tables import LinkRow


def value_hash(record: RemoteRecord) -> str:
    """What a remote record holds, hashed: equal hashes mean nothing new to merge."""
    state = {"values": record.values, "record_id": record.record_id, "trashed": record.trashed}
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def remote_values(
    ctx: SyncContext, session: Session, entity: SyncedEntity, record: RemoteRecord
) -> dict[str, Any]:
    """The CRM's values in our terms: relations as our record ids (`crm:<id>` for a
    record we do not know)."""
    values = dict(record.values)
    for spec in ctx.mapping.specs(entity):
        linked = values.get(spec.name)
        if spec.kind is not FieldKind.RELATION or not isinstance(linked, list):
            continue
        targets = repository.links_by_external(session, ctx.connection.id, linked)
        values[spec.name] = sorted(
            str(targets[external_id].record_id) if external_id in targets else f"crm:{external_id}"
            for external_id in linked
        )
    return values


def local_values(
    ctx: SyncContext,
    entity: SyncedEntity,
    ours: LocalRecord,
    link: LinkRow | None,
    remote: dict[str, Any] | None,
) -> dict[str, Any]:
    """Our values in the CRM's form. A field with several acceptable values agrees with
    the CRM (or the shadow) when that value is one of them; a value we wrote whose echo
    came back different still counts as the echo."""
    shadow = link.shadow if link else {}
    sent = link.sent if link else {}
    values = {}
    for spec in ctx.mapping.specs(entity):
        value = ctx.connector.normalise(spec.kind, ours.values.get(spec.name))
        choices = [
            ctx.connector.normalise(spec.kind, v) for v in ours.alternatives.get(spec.name, [])
        ]
        if remote is not None and remote.get(spec.name) in choices:
            value = remote[spec.name]
        elif spec.name in shadow and shadow[spec.name] in choices:
            value = shadow[spec.name]
        if spec.name in sent and sent[spec.name] == value and spec.name in shadow:
            value = shadow[spec.name]
        values[spec.name] = value
    return values


def relation_targets(
    ctx: SyncContext, session: Session, entity: SyncedEntity, records: list[LocalRecord]
) -> dict[uuid.UUID, str | None]:
    """Our id -> the CRM's id of every record the `records` point to (None: not there yet)."""
    wanted: dict[SyncedEntity, set[uuid.UUID]] = {}
    for spec in ctx.mapping.specs(entity):
        if spec.kind is FieldKind.RELATION and spec.target is not None:
            for record in records:
                for target in record.values.get(spec.name) or []:
                    wanted.setdefault(spec.target, set()).add(uuid.UUID(str(target)))
    found: dict[uuid.UUID, str | None] = {}
    for target_entity, ids in wanted.items():
        links = repository.links_by_record(session, ctx.connection.id, target_entity, ids)
        found.update({i: links[i].external_id if i in links else None for i in ids})
    return found


def outgoing(
    ctx: SyncContext,
    entity: SyncedEntity,
    record: LocalRecord,
    link: LinkRow | None,
    held: frozenset[str],
    targets: dict[uuid.UUID, str | None],
) -> dict[str, Any]:
    """Fields to write: all of them for a create, else those that differ from the
    shadow (fields waiting for a person excepted); relations as the CRM's ids."""
    values = local_values(ctx, entity, record, link, None)
    if link is not None and link.external_id is not None:
        values = {
            name: value
            for name, value in values.items()
            if name not in held and (name not in link.shadow or link.shadow[name] != value)
        }
    for spec in ctx.mapping.specs(entity):
        linked = values.get(spec.name)
        if spec.kind is FieldKind.RELATION and isinstance(linked, list):
            external = [targets.get(uuid.UUID(i)) for i in linked]
            values[spec.name] = sorted(e for e in external if e) or None
    return values
