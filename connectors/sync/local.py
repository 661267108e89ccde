"""Our side of the sync: synced records read as field values, and CRM edits applied
through the plans use cases (so they are revisions, outbox changes and rescoring like
any other edit, tagged with the connection as their origin)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from connectors.mapping import SyncedEntity
from core.errors import AppError, InvalidInput, describe_validation_error
from core.outbox.models import EntityType, PendingChange
from plans import repository as plans_repository
from plans import service as accounts
from plans.map import repository as map_repository
from plans.opportunities import edits
from plans.opportunities import repository as opportunities_repository
from plans.opportunities.models import ActionItem, OpportunityPlan
from plans.opportunities.pipeline import pipeline_config

DATE_FIELDS = {"close_date", "due"}


@dataclass(frozen=True)
class LocalRecord:
    record_id: uuid.UUID
    values: dict[str, Any]
    edited_at: datetime
    deleted: bool
    # Values of a field that all count as ours (a person's several emails): the CRM's
    # value agrees when it is any of them.
    alternatives: dict[str, list[Any]] = field(default_factory=dict)


def meddic_summary(plan: OpportunityPlan) -> str | None:
    """One line per element we know something about: status, then the best summary."""
    lines = []
    for element, state in plan.qualification.items():
        if state.status.value == "unknown" and not state.evidence:
            continue
        label = element.value.replace("_", " ").capitalize()
        flag = " (contradicted)" if state.contradicted else ""
        summary = f": {state.summary}" if state.summary else ""
        lines.append(f"{label} - {state.status.value}{flag}{summary}")
    return "\n".join(lines) or None


def _dates_only(values: dict[str, Any]) -> dict[str, Any]:
    """Deal and task dates are days here: a CRM date with a time keeps its day."""
    return {
        name: value[:10] if name in DATE_FIELDS and isinstance(value, str) else value
        for name, value in values.items()
    }


class LocalRecords:
    """Reads and writes records of one workspace on behalf of one connection."""

    def __init__(self, session: Session, workspace_id: uuid.UUID, origin: str) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.origin = origin

    # -- reading -------------------------------------------------------------------------

    def read(self, entity: SyncedEntity, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, LocalRecord]:
        if not ids:
            return {}
        reader = {
            SyncedEntity.ACCOUNT: self._accounts,
            SyncedEntity.OPPORTUNITY: self._opportunities,
            SyncedEntity.STAKEHOLDER: self._stakeholders,
            SyncedEntity.ACTION_ITEM: self._action_items,
        }[entity]
        return reader(list(ids))

    def _accounts(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, LocalRecord]:
        return {
            account.id: LocalRecord(
                account.id,
                {
                    "name": account.name,
                    "domain": account.domain,
                    "industry": account.industry,
                    "description": account.description,
                },
                account.updated_at,
                account.deleted_at is not None,
            )
            for account in plans_repository.accounts_by_ids(self.session, self.workspace_id, ids)
        }

    def _opportunities(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, LocalRecord]:
        deals = opportunities_repository.by_ids(self.session, self.workspace_id, ids)
        live = self._live_people(
            {p.stakeholder_id for deal in deals for p in deal.plan.stakeholders}
        )
        found = {}
        for deal in deals:
            contacts = sorted(
                {str(p.stakeholder_id) for p in deal.plan.stakeholders if p.stakeholder_id in live}
            )
            found[deal.id] = LocalRecord(
                deal.id,
                {
                    "name": deal.name,
                    "account": [str(deal.account_id)],
                    "product_line": deal.product_line,
                    "stage": deal.stage,
                    "status": str(deal.status),
                    "amount": deal.amount,
                    "currency": deal.currency,
                    "close_date": deal.close_date,
                    "probability": round(deal.probability, 2),
                    "meddic": meddic_summary(deal.plan),
                    "contacts": contacts,
                    "notes": deal.plan.notes,
                },
                deal.updated_at,
                deal.deleted_at is not None,
            )
        return found

    def _live_people(self, ids: set[uuid.UUID | None]) -> set[uuid.UUID]:
        """Those of `ids` who are neither deleted nor merged into someone else."""
        wanted = [person_id for person_id in ids if person_id is not None]
        people = plans_repository.stakeholders_by_ids(self.session, self.workspace_id, wanted)
        return {p.id for p in people if p.deleted_at is None and p.merged_into_id is None}

    def _stakeholders(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, LocalRecord]:
        people = plans_repository.stakeholders_by_ids(self.session, self.workspace_id, ids)
        found_ids = [person.id for person in people]
        scores = map_repository.scores_of(self.session, found_ids)
        roles: dict[uuid.UUID, set[str]] = {person_id: set() for person_id in found_ids}
        for role in map_repository.roles_of(self.session, found_ids):
            roles[role.stakeholder_id].add(role.role)
        found = {}
        for person in people:
            score = scores.get(person.id)
            found[person.id] = LocalRecord(
                person.id,
                {
                    "name": person.full_name,
                    "account": [str(person.account_id)],
                    "title": person.title,
                    "department": person.department,
                    "email": person.emails[0] if person.emails else None,
                    "roles": sorted(roles[person.id]),
                    "influence": round(score.influence, 2) if score else None,
                    "decision_power": round(score.decision_power, 2) if score else None,
                    "relationship": round(score.relationship_strength, 2) if score else None,
                },
                person.updated_at,
                person.deleted_at is not None or person.merged_into_id is not None,
                alternatives={"email": list(person.emails)},
            )
        return found

    def _action_items(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, LocalRecord]:
        wanted = set(ids)
        found = {}
        for deal in opportunities_repository.holding_action_items(
            self.session, self.workspace_id, ids
        ):
            for item in deal.plan.action_items:
                if item.id not in wanted:
                    continue
                found[item.id] = LocalRecord(
                    item.id,
                    {
                        "action": item.action,
                        "opportunity": [str(deal.id)],
                        "owner": item.owner,
                        "due": item.due,
                        "status": item.status,
                    },
                    deal.updated_at,
                    item.deleted_at is not None or deal.deleted_at is not None,
                )
        return found

    def live_ids(self, entity: SyncedEntity) -> list[uuid.UUID]:
        """Every record of `entity` that exists here (for the first push of a backfill)."""
        session, ws = self.session, self.workspace_id
        if entity is SyncedEntity.ACCOUNT:
            return plans_repository.all_account_ids(session, ws)
        if entity is SyncedEntity.STAKEHOLDER:
            return plans_repository.live_stakeholder_ids(session, ws)
        deals = opportunities_repository.live(session, ws)
        if entity is SyncedEntity.OPPORTUNITY:
            return [deal.id for deal in deals]
        return [
            item.id for deal in deals for item in deal.plan.action_items if item.deleted_at is None
        ]

    def records_of_change(self, change: PendingChange) -> list[tuple[SyncedEntity, uuid.UUID]]:
        """The synced records an outbox change can have touched."""
        if change.entity_type is EntityType.ACCOUNT:
            return [(SyncedEntity.ACCOUNT, change.entity_id)]
        if change.entity_type is EntityType.STAKEHOLDER:
            return [(SyncedEntity.STAKEHOLDER, change.entity_id)]
        if change.entity_type is EntityType.OPPORTUNITY:
            items = [(SyncedEntity.ACTION_ITEM, i.id) for i in self._items_of(change.entity_id)]
            return [(SyncedEntity.OPPORTUNITY, change.entity_id), *items]
        if change.entity_type is EntityType.ACCOUNT_GRAPH:
            # Scores and roles were recomputed: every person of the account may have moved.
            people = plans_repository.stakeholder_ids_of_account(
                self.session, self.workspace_id, change.entity_id
            )
            return [(SyncedEntity.STAKEHOLDER, person) for person in people]
        return []

    # -- writing -------------------------------------------------------------------------

    def apply(
        self, entity: SyncedEntity, record_id: uuid.UUID, values: dict[str, Any], actor: str
    ) -> None:
        """Apply CRM values (already normalised; relations as our ids); InvalidInput or
        another AppError names a value we cannot take."""
        try:
            self._apply(entity, record_id, values, actor)
        except ValidationError as exc:
            raise InvalidInput(describe_validation_error(exc)) from exc

    def _apply(
        self, entity: SyncedEntity, record_id: uuid.UUID, values: dict[str, Any], actor: str
    ) -> None:
        ws, origin = self.workspace_id, self.origin
        values = _dates_only(values)
        if entity is SyncedEntity.ACCOUNT:
            accounts.update_account(
                self.session, ws, record_id, accounts.AccountUpdate(**values), origin=origin
            )
        elif entity is SyncedEntity.STAKEHOLDER:
            renamed = {"full_name" if k == "name" else k: v for k, v in values.items()}
            accounts.update_stakeholder(
                self.session, ws, record_id, accounts.StakeholderUpdate(**renamed), origin=origin
            )
        elif entity is SyncedEntity.OPPORTUNITY:
            self._apply_opportunity(record_id, values, actor)
        else:
            change = edits.ActionItemEdit(id=record_id, **values)
            edits.edit_plan(
                self.session,
                ws,
                self._deal_holding(record_id),
                edits.PlanEdit(action_items=[change], reason=f"edited in {self._crm()}"),
                pipeline_config(self.session, ws),
                actor,
            )

    def _apply_opportunity(self, record_id: uuid.UUID, values: dict[str, Any], actor: str) -> None:
        config = pipeline_config(self.session, self.workspace_id)
        reason = f"edited in {self._crm()}"
        notes = values.pop("notes", ...)
        if values:
            edit = edits.OpportunityEdit(reason=reason, **values)
            edits.edit_opportunity(self.session, self.workspace_id, record_id, edit, config, actor)
        if notes is not ...:
            plan_edit = edits.PlanEdit(notes=notes, reason=reason)
            edits.edit_plan(self.session, self.workspace_id, record_id, plan_edit, config, actor)

    def create(self, entity: SyncedEntity, values: dict[str, Any], actor: str) -> uuid.UUID:
        """A record first made in the CRM; InvalidInput says what it lacks."""
        try:
            return self._create(entity, values, actor)
        except ValidationError as exc:
            raise InvalidInput(describe_validation_error(exc)) from exc

    def _create(self, entity: SyncedEntity, values: dict[str, Any], actor: str) -> uuid.UUID:
        ws, origin = self.workspace_id, self.origin
        values = _dates_only(values)
        parent = values.pop("account", None) or values.pop("opportunity", None)
        if entity is SyncedEntity.ACCOUNT:
            data = accounts.AccountCreate(**values)
            return accounts.create_account(self.session, ws, data, origin=origin).id
        if not parent:
            raise InvalidInput(f"a {entity} made in {self._crm()} needs its parent record linked")
        try:
            parent_id = uuid.UUID(parent[0])
        except ValueError:
            raise InvalidInput(
                f"the record this {entity} is linked to in {self._crm()} is not synced here"
            ) from None
        if entity is SyncedEntity.STAKEHOLDER:
            renamed = {"full_name" if k == "name" else k: v for k, v in values.items()}
            update = accounts.StakeholderUpdate(**renamed)
            return accounts.create_stakeholder(
                self.session, ws, parent_id, update, origin=origin
            ).id
        if entity is SyncedEntity.ACTION_ITEM:
            before = {item.id for item in self._items_of(parent_id)}
            edits.edit_plan(
                self.session,
                ws,
                parent_id,
                edits.PlanEdit(
                    action_items=[edits.ActionItemEdit(**values)],
                    reason=f"added in {self._crm()}",
                ),
                pipeline_config(self.session, ws),
                actor,
            )
            made: list[uuid.UUID] = [
                item.id for item in self._items_of(parent_id) if item.id not in before
            ]
            return made[0]
        raise InvalidInput(
            f"opportunities are created from conversations or the API, not in {self._crm()}"
        )

    def set_deleted(
        self, entity: SyncedEntity, record_id: uuid.UUID, deleted: bool, actor: str
    ) -> None:
        ws, origin = self.workspace_id, self.origin
        if entity is SyncedEntity.ACCOUNT:
            accounts.set_account_deleted(self.session, ws, record_id, deleted, origin=origin)
        elif entity is SyncedEntity.STAKEHOLDER:
            accounts.set_stakeholder_deleted(self.session, ws, record_id, deleted, origin=origin)
        elif entity is SyncedEntity.OPPORTUNITY:
            edits.set_opportunity_deleted(self.session, ws, record_id, deleted, actor)
        else:
            edits.edit_plan(
                self.session,
                ws,
                self._deal_holding(record_id),
                edits.PlanEdit(
                    action_items=[edits.ActionItemEdit(id=record_id, deleted=deleted)],
                    reason=f"{'trashed' if deleted else 'restored'} in {self._crm()}",
                ),
                pipeline_config(self.session, ws),
                actor,
            )

    def _deal_holding(self, item_id: uuid.UUID) -> uuid.UUID:
        """The opportunity whose plan holds the action item."""
        deals = opportunities_repository.holding_action_items(
            self.session, self.workspace_id, [item_id]
        )
        if not deals:
            raise AppError(f"no action item {item_id}")
        return deals[0].id

    def _items_of(self, opportunity_id: uuid.UUID) -> list[ActionItem]:
        deals = opportunities_repository.by_ids(self.session, self.workspace_id, [opportunity_id])
        return [item for deal in deals for item in deal.plan.action_items]

    def _crm(self) -> str:
        return self.origin.removeprefix("crm:").capitalize()
