"""Load vcrpy cassettes in both layouts found in the recordings.

vcrpy 6: `response: {status: {code}, body: {string}}`; older httpx recorder:
`response: {status_code, content}`. Bodies may be str or bytes (YAML !!binary).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml


@dataclass(frozen=True)
class Interaction:
    index: int
    method: str
    uri: str
    path: str
    query: dict[str, list[str]]
    request_headers: dict[str, str]
    request_text: str
    status: int
    response_headers: dict[str, str]
    response_text: str

    @property
    def notion_version(self) -> str | None:
        return self.request_headers.get("notion-version")

    @property
    def request_json(self) -> Any:
        return _json_or_none(self.request_text)

    @property
    def response_json(self) -> Any:
        return _json_or_none(self.response_text)


@dataclass(frozen=True)
class Cassette:
    path: Path
    interactions: tuple[Interaction, ...]


def load_cassette(path: Path) -> Cassette:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [_interaction(i, item) for i, item in enumerate(raw.get("interactions") or [])]
    return Cassette(path, tuple(items))


def _interaction(index: int, item: dict[str, Any]) -> Interaction:
    request, response = item["request"], item["response"]
    if "status" in response:
        status = int(response["status"]["code"])
        body = (response.get("body") or {}).get("string", "")
    else:
        status = int(response["status_code"])
        body = response.get("content", "")
    split = urlsplit(str(request["uri"]))
    return Interaction(
        index=index,
        method=str(request["method"]).upper(),
        uri=str(request["uri"]),
        path=split.path,
        query=parse_qs(split.query),
        request_headers=_headers(request.get("headers")),
        request_text=_text(request.get("body")),
        status=status,
        response_headers=_headers(response.get("headers")),
        response_text=_text(body),
    )


def _headers(raw: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (raw or {}).items():
        out[str(key).lower()] = str(value[0] if isinstance(value, list) and value else value)
    return out


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bytes):
        return raw.decode("utf-8")
    return str(raw)


def _json_or_none(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
