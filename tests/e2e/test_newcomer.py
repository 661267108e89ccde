"""The README's test command on a machine without Chromium: the page's tests say what
they need and are skipped, instead of erroring with a RuntimeError."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
def test_without_chromium_the_page_tests_are_skipped_saying_how_to_install_it(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["CHROMIUM"] = str(tmp_path / "no-chromium-here")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"]
        + ["tests/e2e/test_web_page.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "RuntimeError" not in output
    assert "3 skipped" in output.splitlines()[-1], output
    assert "apt-get install -y chromium" in output
