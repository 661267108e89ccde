"""Where the team's shared data (`shared/data/`: Notion recordings, organisational
networks) is: SHARED_DATA_DIR if set, else `shared/data` beside this checkout, else beside
the checkout this one was cloned from (CI clones a local checkout into a temporary
directory)."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _origin() -> Path | None:
    try:
        url = subprocess.run(
            ["git", "-C", str(REPO), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(url.removeprefix("file://"))
    return path if path.is_absolute() and path.is_dir() else None


@cache
def shared_data_dir() -> Path:
    """The shared data folder; FileNotFoundError says where it was looked for."""
    candidates = []
    if configured := os.environ.get("SHARED_DATA_DIR"):
        candidates.append(Path(configured))
    candidates.append(REPO.parent / "shared" / "data")
    if (origin := _origin()) is not None:
        candidates.append(origin.parent / "shared" / "data")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"no shared data folder (set SHARED_DATA_DIR); looked in {looked}")
