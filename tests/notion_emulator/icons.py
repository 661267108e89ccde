"""Page and database icons: Notion turns its own icon URLs into native `icon` icons."""

from __future__ import annotations

import re
from typing import Any

# Recorded (ultimate-notion test_icon_attr): an external icon at
# https://www.notion.so/icons/snake_purple.svg comes back as
# {"type": "icon", "icon": {"name": "snake", "color": "purple"}}.
_NOTION_ICON_URL = re.compile(
    r"^https://www\.notion\.so/icons/(?P<name>.+)_(?P<color>[a-z]+)\.svg$"
)


def normalize(icon: Any) -> Any:
    if isinstance(icon, dict) and icon.get("type") == "external":
        url = (icon.get("external") or {}).get("url", "")
        found = _NOTION_ICON_URL.match(str(url))
        if found:
            return {"type": "icon", "icon": {"name": found["name"], "color": found["color"]}}
    return icon
