"""What the page's browser tests and bench share: Debian's chromium driven by Playwright
(never a browser Playwright downloads). The service itself is served by
`tests.support.serving`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
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


def launch_chromium(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        raise RuntimeError("Debian's chromium is missing: apt-get install -y chromium")
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
