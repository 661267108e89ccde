"""The emulator's state: users, databases, data sources, pages (plain records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote, unquote

JsonDict = dict[str, Any]


def canonical_property_id(raw: str) -> str:
    """Property ids are URL-encoded strings; a URL path may carry them decoded."""
    return quote(unquote(raw), safe="")


@dataclass
class User:
    id: str
    name: str | None
    type: Literal["person", "bot"]
    email: str | None = None
    avatar_url: str | None = None


@dataclass
class Integration:
    """The bot a token belongs to; its name appears in object_not_found messages."""

    bot: User
    workspace_id: str
    workspace_name: str


@dataclass
class PropertySchema:
    id: str
    name: str
    type: str
    # Stored configuration of the type: {"format": ...} for number, {"options": [...]}
    # for select, {"data_source_id", "type", ...} for relation, and so on.
    config: JsonDict = field(default_factory=dict)
    description: str | None = None


@dataclass
class Database:
    id: str
    title: list[JsonDict]
    description: list[JsonDict]
    parent: JsonDict
    is_inline: bool
    created_time: datetime
    last_edited_time: datetime
    created_by: str
    last_edited_by: str
    icon: JsonDict | None = None
    cover: JsonDict | None = None
    in_trash: bool = False
    is_locked: bool = False
    data_source_ids: list[str] = field(default_factory=list)


@dataclass
class DataSource:
    id: str
    database_id: str
    title: list[JsonDict]
    description: list[JsonDict]
    properties: dict[str, PropertySchema]  # by property id, in schema order
    created_time: datetime
    last_edited_time: datetime
    created_by: str
    last_edited_by: str
    icon: JsonDict | None = None
    cover: JsonDict | None = None
    in_trash: bool = False
    unique_counters: dict[str, int] = field(default_factory=dict)

    def by_name_or_id(self, key: str) -> PropertySchema | None:
        for prop in self.properties.values():
            if prop.name == key:
                return prop
        return self.properties.get(key) or self.properties.get(canonical_property_id(key))

    def title_property(self) -> PropertySchema:
        for prop in self.properties.values():
            if prop.type == "title":
                return prop
        raise LookupError("data source without a title property")


ParentType = Literal["data_source_id", "page_id", "workspace"]


@dataclass
class Page:
    id: str
    parent_type: ParentType
    parent_id: str | None
    values: dict[str, Any]  # stored value by property id
    created_time: datetime
    last_edited_time: datetime
    created_by: str
    last_edited_by: str
    seq: int  # creation order; breaks ties between pages created in the same minute
    icon: JsonDict | None = None
    cover: JsonDict | None = None
    in_trash: bool = False
    is_locked: bool = False
