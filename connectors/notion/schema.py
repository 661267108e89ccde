"""The Notion side of a mapping: checking it against data source schemas, creating the
databases it needs, and mapping existing databases by property name."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from notion_client import Client
from pydantic import ValidationError

from connectors.errors import MappingInvalid, RecordMissing
from connectors.mapping import (
    CATALOGUE,
    EntityMapping,
    FieldKind,
    FieldMapping,
    SyncedEntity,
    SyncMapping,
)
from connectors.notion.api import NotionApi
from connectors.notion.values import PROPERTY_TYPE, page_id

JsonDict = dict[str, Any]

RECORD_ID_PROPERTY = "Record ID"
DATABASE_TITLES = {
    SyncedEntity.ACCOUNT: "Accounts",
    SyncedEntity.OPPORTUNITY: "Opportunities",
    SyncedEntity.STAKEHOLDER: "Stakeholders",
    SyncedEntity.ACTION_ITEM: "Action items",
}
# Column names of the databases `notion setup` creates (and `--map` looks for by default).
PROPERTY_NAMES: dict[SyncedEntity, dict[str, str]] = {
    SyncedEntity.ACCOUNT: {
        "name": "Name",
        "domain": "Domain",
        "industry": "Industry",
        "description": "Description",
    },
    SyncedEntity.OPPORTUNITY: {
        "name": "Name",
        "account": "Account",
        "product_line": "Product line",
        "stage": "Stage",
        "status": "Status",
        "amount": "Amount",
        "currency": "Currency",
        "close_date": "Close date",
        "probability": "Probability",
        "meddic": "MEDDIC",
        "contacts": "Contacts",
        "notes": "Notes",
    },
    SyncedEntity.STAKEHOLDER: {
        "name": "Name",
        "account": "Account",
        "title": "Title",
        "department": "Department",
        "email": "Email",
        "roles": "Roles",
        "influence": "Influence",
        "decision_power": "Decision power",
        "relationship": "Relationship",
    },
    SyncedEntity.ACTION_ITEM: {
        "action": "Action",
        "opportunity": "Opportunity",
        "owner": "Owner",
        "due": "Due",
        "status": "Status",
    },
}


def property_definition(kind: FieldKind, target_data_source: str | None = None) -> JsonDict:
    notion_type = PROPERTY_TYPE[kind]
    if kind is FieldKind.RELATION:
        return {
            "relation": {
                "data_source_id": target_data_source,
                "type": "single_property",
                "single_property": {},
            }
        }
    if kind is FieldKind.NUMBER:
        return {"number": {"format": "number"}}
    if kind in (FieldKind.SELECT, FieldKind.MULTI_SELECT):
        return {notion_type: {"options": []}}
    return {notion_type: {}}


def _create_database(client: Client, body: JsonDict) -> Any:
    return client.databases.create(**body)


def _title(text: str) -> list[JsonDict]:
    return [{"type": "text", "text": {"content": text}}]


def integration_bot_id(api: NotionApi) -> str:
    """The integration's own user id: webhook events it alone authored are our echoes."""
    me = api.call("users.me", lambda client: client.users.me(), idempotent=True)
    return page_id(str(me["id"]))


def retrieve_data_source(api: NotionApi, data_source_id: str) -> JsonDict:
    result: JsonDict = api.call(
        "data_sources.retrieve",
        lambda client: client.data_sources.retrieve(data_source_id=data_source_id),
        idempotent=True,
    )
    return result


def problems_in(mapping: SyncMapping, entity: SyncedEntity, data_source: JsonDict) -> list[str]:
    """What in `entity`'s mapping does not fit `data_source`'s schema."""
    by_id = {prop["id"]: prop for prop in data_source.get("properties", {}).values()}
    wanted = mapping.entities[entity]
    problems = []
    record_id = by_id.get(wanted.record_id)
    if record_id is None:
        problems.append(f"{entity} record id: no property with id {wanted.record_id!r}")
    elif record_id["type"] != "rich_text":
        problems.append(
            f"{entity} record id: property {record_id['name']!r} is {record_id['type']}, "
            "not rich_text"
        )
    for name, field in wanted.fields.items():
        spec = CATALOGUE[entity][name]
        prop = by_id.get(field.remote)
        if prop is None:
            problems.append(f"{entity}.{name}: no property with id {field.remote!r}")
            continue
        expected = PROPERTY_TYPE[spec.kind]
        if prop["type"] != expected:
            problems.append(
                f"{entity}.{name}: property {prop['name']!r} is {prop['type']}, not {expected}"
            )
            continue
        if spec.target is not None and spec.target in mapping.entities:
            points_to = page_id(prop["relation"].get("data_source_id", ""))
            target = page_id(mapping.entities[spec.target].location)
            if points_to != target:
                problems.append(
                    f"{entity}.{name}: relation {prop['name']!r} points to data source "
                    f"{points_to}, not to the {spec.target} data source {target}"
                )
    return problems


def create_databases(
    api: NotionApi, parent_page_id: str, entities: list[SyncedEntity] | None = None
) -> SyncMapping:
    """Create one database per record type under `parent_page_id`, in dependency order so
    relations can point at their targets, and return the mapping of what was made."""
    chosen = entities or list(SyncedEntity)
    made: dict[SyncedEntity, EntityMapping] = {}
    for entity in SyncedEntity:
        if entity not in chosen:
            continue
        names = PROPERTY_NAMES[entity]
        properties: JsonDict = {RECORD_ID_PROPERTY: {"rich_text": {}}}
        for name, spec in CATALOGUE[entity].items():
            if spec.target is not None and spec.target not in made:
                if spec.required:
                    raise MappingInvalid(f"{entity} needs {spec.target} to be set up too")
                continue
            target = made[spec.target].location if spec.target else None
            properties[names[name]] = property_definition(spec.kind, target)
        body = {
            "parent": {"type": "page_id", "page_id": parent_page_id},
            "title": _title(DATABASE_TITLES[entity]),
            "initial_data_source": {"properties": properties},
        }
        database = api.call(
            "databases.create", partial(_create_database, body=body), idempotent=False
        )
        data_source_id = database["data_sources"][0]["id"]
        made[entity] = map_by_names(
            entity, retrieve_data_source(api, data_source_id), names, RECORD_ID_PROPERTY
        )
    return SyncMapping(entities=made)


def map_by_names(
    entity: SyncedEntity,
    data_source: JsonDict,
    names: Mapping[str, str],
    record_id_name: str,
) -> EntityMapping:
    """An entity mapping for an existing data source whose columns carry `names`
    (our field -> column name); fields whose column is absent are left unmapped."""
    properties = data_source.get("properties", {})
    if record_id_name not in properties:
        raise MappingInvalid(
            f"data source {data_source.get('id')} has no {record_id_name!r} column for our "
            "record ids; add a text column with that name"
        )
    fields = {
        field: FieldMapping(remote=properties[column]["id"])
        for field, column in names.items()
        if column in properties
    }
    return EntityMapping(
        location=page_id(data_source["id"]),
        record_id=properties[record_id_name]["id"],
        fields=fields,
    )


def _column_id(properties: Mapping[str, Any], column: Any, where: str, problems: list[str]) -> str:
    """A column given by id or by name, as its id (a problem is noted if neither)."""
    if any(prop["id"] == column for prop in properties.values()):
        return str(column)
    if isinstance(column, str) and column in properties:
        return str(properties[column]["id"])
    problems.append(f"{where}: no column {column!r}")
    return str(column)


def resolve_mapping(api: NotionApi, raw: Mapping[str, Any]) -> SyncMapping:
    """A mapping whose `record_id` and field `remote` values may be column names: each is
    looked up in its data source's schema (by id first, then by name) and stored by id.
    MappingInvalid lists everything that does not fit."""
    entities = raw.get("entities") if isinstance(raw, Mapping) else None
    if not isinstance(entities, Mapping):
        raise MappingInvalid('a mapping is {"entities": {"account": {...}, ...}}')
    resolved: dict[str, Any] = {}
    problems: list[str] = []
    for entity, wanted in entities.items():
        if not isinstance(wanted, Mapping) or not isinstance(wanted.get("location"), str):
            problems.append(f"{entity}: needs a location (the data source id)")
            continue
        try:
            data_source = retrieve_data_source(api, wanted["location"])
        except RecordMissing:
            problems.append(f"{entity}: data source {wanted['location']} not found or not shared")
            continue
        properties = data_source.get("properties", {})
        fields = {
            name: {
                **field,
                "remote": _column_id(properties, field.get("remote"), f"{entity}.{name}", problems),
            }
            for name, field in (wanted.get("fields") or {}).items()
            if isinstance(field, Mapping)
        }
        resolved[entity] = {
            "location": page_id(data_source["id"]),
            "record_id": _column_id(
                properties,
                wanted.get("record_id", RECORD_ID_PROPERTY),
                f"{entity} record id",
                problems,
            ),
            "fields": fields,
        }
    if problems:
        raise MappingInvalid("; ".join(problems))
    try:
        mapping = SyncMapping.model_validate({"entities": resolved})
    except ValidationError as exc:
        raise MappingInvalid(f"mapping: {exc.errors()[0]['msg']}") from None
    for entity in mapping.entities:
        data_source = retrieve_data_source(api, mapping.entities[entity].location)
        problems.extend(problems_in(mapping, entity, data_source))
    if problems:
        raise MappingInvalid("; ".join(problems))
    return mapping
