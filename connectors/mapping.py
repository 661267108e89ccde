"""What is synced: the records and fields the engine offers, and a connection's mapping of
them onto a CRM's containers and fields (by the CRM's ids, never by names).

The catalogue (`CATALOGUE`) is ours: each field's kind, whether the CRM may edit it, and
the conflict rule it gets unless the mapping says otherwise. A mapping picks where each
record type lives in the CRM (`location`: a Notion data source id, a Salesforce object),
which CRM field holds our record id, and which CRM field holds each of our fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator


class SyncedEntity(StrEnum):
    """Record types in dependency order: a record's relations point to earlier types."""

    ACCOUNT = "account"
    STAKEHOLDER = "stakeholder"
    OPPORTUNITY = "opportunity"
    ACTION_ITEM = "action_item"


class FieldKind(StrEnum):
    TITLE = "title"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    SELECT = "select"
    MULTI_SELECT = "multi_select"
    RELATION = "relation"
    EMAIL = "email"
    URL = "url"


class ConflictRule(StrEnum):
    """What decides a field both sides changed to different values since they last agreed."""

    POSTGRES_WINS = "postgres_wins"
    CRM_WINS = "crm_wins"  # `notion_wins` in a mapping means this
    PREFER_NON_BLANK = "prefer_non_blank"  # a value beats a blank; two values: latest wins
    LATEST_WINS = "latest_wins"  # the later edit; a tie goes to Postgres
    MANUAL = "manual"  # neither: the field waits for a person to choose


def _rule(value: Any) -> Any:
    if isinstance(value, str) and value.endswith("_wins") and value != "postgres_wins":
        return ConflictRule.CRM_WINS
    return value


Rule = Annotated[ConflictRule, BeforeValidator(_rule)]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    rule: ConflictRule
    editable_in_crm: bool = True  # False: computed here; a CRM edit is put back
    target: SyncedEntity | None = None  # for relations
    required: bool = False  # a record created in the CRM needs it


def _fields(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in specs}


def _link(name: str, target: SyncedEntity, *, required: bool = False) -> FieldSpec:
    """A relation to records we own: set here, put back when edited in the CRM."""
    return FieldSpec(
        name,
        FieldKind.RELATION,
        ConflictRule.POSTGRES_WINS,
        editable_in_crm=False,
        target=target,
        required=required,
    )


K, R = FieldKind, ConflictRule

CATALOGUE: dict[SyncedEntity, dict[str, FieldSpec]] = {
    SyncedEntity.ACCOUNT: _fields(
        FieldSpec("name", K.TITLE, R.LATEST_WINS, required=True),
        FieldSpec("domain", K.URL, R.PREFER_NON_BLANK),
        FieldSpec("industry", K.SELECT, R.PREFER_NON_BLANK),
        FieldSpec("description", K.TEXT, R.CRM_WINS),
    ),
    SyncedEntity.OPPORTUNITY: _fields(
        FieldSpec("name", K.TITLE, R.LATEST_WINS, required=True),
        _link("account", SyncedEntity.ACCOUNT, required=True),
        FieldSpec("product_line", K.SELECT, R.POSTGRES_WINS, editable_in_crm=False),
        FieldSpec("stage", K.SELECT, R.POSTGRES_WINS),
        FieldSpec("status", K.SELECT, R.POSTGRES_WINS, editable_in_crm=False),
        FieldSpec("amount", K.NUMBER, R.LATEST_WINS),
        FieldSpec("currency", K.SELECT, R.PREFER_NON_BLANK),
        FieldSpec("close_date", K.DATE, R.LATEST_WINS),
        FieldSpec("probability", K.NUMBER, R.POSTGRES_WINS, editable_in_crm=False),
        FieldSpec("meddic", K.TEXT, R.POSTGRES_WINS, editable_in_crm=False),
        _link("contacts", SyncedEntity.STAKEHOLDER),
        FieldSpec("notes", K.TEXT, R.CRM_WINS),
    ),
    SyncedEntity.STAKEHOLDER: _fields(
        FieldSpec("name", K.TITLE, R.LATEST_WINS, required=True),
        _link("account", SyncedEntity.ACCOUNT, required=True),
        FieldSpec("title", K.TEXT, R.PREFER_NON_BLANK),
        FieldSpec("department", K.TEXT, R.PREFER_NON_BLANK),
        FieldSpec("email", K.EMAIL, R.PREFER_NON_BLANK),
        FieldSpec("roles", K.MULTI_SELECT, R.POSTGRES_WINS, editable_in_crm=False),
        FieldSpec("influence", K.NUMBER, R.POSTGRES_WINS, editable_in_crm=False),
        FieldSpec("decision_power", K.NUMBER, R.POSTGRES_WINS, editable_in_crm=False),
        FieldSpec("relationship", K.NUMBER, R.POSTGRES_WINS, editable_in_crm=False),
    ),
    SyncedEntity.ACTION_ITEM: _fields(
        FieldSpec("action", K.TITLE, R.LATEST_WINS, required=True),
        _link("opportunity", SyncedEntity.OPPORTUNITY, required=True),
        FieldSpec("owner", K.TEXT, R.LATEST_WINS),
        FieldSpec("due", K.DATE, R.LATEST_WINS),
        FieldSpec("status", K.SELECT, R.LATEST_WINS),
    ),
}


class FieldMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    remote: str = Field(min_length=1, description="The CRM's id of the field (Notion: property id)")
    rule: Rule | None = Field(default=None, description="Overrides the catalogue's rule")


class EntityMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: str = Field(
        min_length=1, description="Where the records live (Notion: data source id)"
    )
    record_id: str = Field(min_length=1, description="The CRM field holding our record id")
    fields: dict[str, FieldMapping]


class SyncMapping(BaseModel):
    """A connection's whole mapping; checked against the catalogue here and against the
    CRM's schema by the connector."""

    model_config = ConfigDict(extra="forbid")

    entities: dict[SyncedEntity, EntityMapping]

    @model_validator(mode="after")
    def _known_fields(self) -> SyncMapping:
        problems = []
        for entity, mapping in self.entities.items():
            catalogue = CATALOGUE[entity]
            for name in mapping.fields:
                if name not in catalogue:
                    problems.append(
                        f"{entity}.{name} is not a synced field (known: {', '.join(catalogue)})"
                    )
            for name, spec in catalogue.items():
                if spec.required and name not in mapping.fields:
                    problems.append(f"{entity}.{name} must be mapped")
                if spec.target and name in mapping.fields and spec.target not in self.entities:
                    problems.append(f"{entity}.{name} points to {spec.target}, which is not mapped")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def rule(self, entity: SyncedEntity, field: str) -> ConflictRule:
        mapped = self.entities[entity].fields[field].rule
        return mapped or CATALOGUE[entity][field].rule

    def specs(self, entity: SyncedEntity) -> list[FieldSpec]:
        """The catalogue entries of the fields this mapping syncs for `entity`."""
        return [CATALOGUE[entity][name] for name in self.entities[entity].fields]
