"""Rich text arrays: validation of what a client writes, and the form Notion echoes back."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .errors import JsonDict, body_validation

MAX_TEXT_CONTENT = 2000  # UTF-16 code units per text item
MAX_ARRAY_ITEMS = 100

_ANNOTATION_DEFAULTS: JsonDict = {
    "bold": False,
    "italic": False,
    "strikethrough": False,
    "underline": False,
    "code": False,
    "color": "default",
}

UserLookup = Callable[[str], JsonDict | None]


def utf16_length(text: str) -> int:
    # Notion counts UTF-16 code units, so a character outside the BMP counts twice.
    return len(text.encode("utf-16-le")) // 2


def text_item(content: str) -> JsonDict:
    return _render_text(content, None, {})


def plain_text(items: list[JsonDict]) -> str:
    return "".join(str(item.get("plain_text", "")) for item in items)


def normalize(raw: Any, path: str, users: UserLookup) -> list[JsonDict]:
    """Validate a rich text array from a request body and return Notion's echo of it."""
    if not isinstance(raw, list):
        raise body_validation(path, f"should be an array, instead was `{json.dumps(raw)}`.")
    if len(raw) > MAX_ARRAY_ITEMS:
        raise body_validation(
            f"{path}.length", f"should be ≤ `{MAX_ARRAY_ITEMS}`, instead was `{len(raw)}`."
        )
    return [_normalize_item(item, f"{path}[{i}]", users) for i, item in enumerate(raw)]


def _normalize_item(item: Any, path: str, users: UserLookup) -> JsonDict:
    if not isinstance(item, dict):
        raise body_validation(path, f"should be an object, instead was `{json.dumps(item)}`.")
    kind = item.get("type") or next((k for k in ("text", "mention", "equation") if k in item), None)
    annotations = item.get("annotations") or {}
    if kind == "text":
        text = item.get("text")
        if not isinstance(text, dict) or not isinstance(text.get("content"), str):
            raise body_validation(
                f"{path}.text.content", "should be defined, instead was `undefined`."
            )
        content: str = text["content"]
        length = utf16_length(content)
        if length > MAX_TEXT_CONTENT:
            raise body_validation(
                f"{path}.text.content.length",
                f"should be ≤ `{MAX_TEXT_CONTENT}`, instead was `{length}`.",
            )
        link = text.get("link")
        return _render_text(content, link if isinstance(link, dict) else None, annotations)
    if kind == "mention":
        return _render_mention(item.get("mention") or {}, annotations, users, path)
    if kind == "equation":
        expression = str((item.get("equation") or {}).get("expression", ""))
        return {
            "type": "equation",
            "equation": {"expression": expression},
            "annotations": _annotations(annotations),
            "plain_text": expression,
            "href": None,
        }
    raise body_validation(
        f"{path}.type", f"should be one of text, mention, equation, instead was `{kind}`."
    )


def _annotations(given: Any) -> JsonDict:
    out = dict(_ANNOTATION_DEFAULTS)
    if isinstance(given, dict):
        out.update({k: v for k, v in given.items() if k in _ANNOTATION_DEFAULTS})
    return out


def _render_text(content: str, link: JsonDict | None, annotations: Any) -> JsonDict:
    url = link.get("url") if link else None
    return {
        "type": "text",
        "text": {"content": content, "link": {"url": url} if url else None},
        "annotations": _annotations(annotations),
        "plain_text": content,
        "href": url,
    }


def _render_mention(mention: JsonDict, annotations: Any, users: UserLookup, path: str) -> JsonDict:
    kind = mention.get("type") or next(iter(mention), None)
    if kind == "user":
        user_id = str((mention.get("user") or {}).get("id", ""))
        user = users(user_id) or {"object": "user", "id": user_id}
        name = user.get("name")
        return {
            "type": "mention",
            "mention": {"type": "user", "user": user},
            "annotations": _annotations(annotations),
            "plain_text": f"@{name}" if name else "@Anonymous",
            "href": None,
        }
    if kind == "date":
        date = dict(mention.get("date") or {})
        date.setdefault("end", None)
        date.setdefault("time_zone", None)
        return {
            "type": "mention",
            "mention": {"type": "date", "date": date},
            "annotations": _annotations(annotations),
            "plain_text": str(date.get("start", "")),
            "href": None,
        }
    if kind == "page":
        page_id = str((mention.get("page") or {}).get("id", ""))
        return {
            "type": "mention",
            "mention": {"type": "page", "page": {"id": page_id}},
            "annotations": _annotations(annotations),
            "plain_text": "Untitled",
            "href": f"https://www.notion.so/{page_id.replace('-', '')}",
        }
    raise body_validation(
        f"{path}.mention.type", f"should be one of user, date, page, instead was `{kind}`."
    )
