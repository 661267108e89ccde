"""What the page's browser tests and bench share: Debian's chromium driven by Playwright
(never a browser Playwright downloads). The service itself is served by
`tests.support.serving`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize

# Debian's chromium; CHROMIUM may name another Chromium binary.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_MISSING = (
    f"the page's tests drive Chromium and {CHROMIUM} is missing: apt-get install -y "
    "chromium (as .ci/run does), or set CHROMIUM to a Chromium binary"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
DESKTOP: ViewportSize = {"width": 1920, "height": 1080}


def require_chromium() -> None:
    """Skip a test on a machine without Chromium, saying how to install it. In CI, where
    .ci/run installs it, a missing Chromium fails the test instead of hiding it."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(CHROMIUM_MISSING)
    pytest.skip(CHROMIUM_MISSING)


def launch_chromium(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        raise RuntimeError(CHROMIUM_MISSING)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def signed_in_page(browser: Browser, base_url: str, key: str, **options: Any) -> Page:
    """A page whose session already holds `key` (as the sign-in form would leave it)."""
    context = browser.new_context(viewport=options.pop("viewport", LAPTOP), **options)
    context.add_init_script(
        f"sessionStorage.setItem('stakeholder-intel.api-key', {json.dumps(key)});"
    )
    return context.new_page()


# The drawn graph, read in the page: node count and painted pixels of Cytoscape's canvases.
PAINTED_PIXELS = """() => {
  let painted = 0;
  for (const canvas of document.querySelectorAll('#graph canvas')) {
    if (!canvas.width || !canvas.height) continue;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
  }
  return painted;
}"""
