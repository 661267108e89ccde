"""The import-linter contracts in pyproject.toml hold on the tree, and an import against
the layers breaks them: each case copies the source, adds one wrong import, and runs the
same `lint-imports` that .ci/run runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "scoring", "graph", "plans", "connectors", "app", "migrations")
# Above every layer; they only need to exist for the contracts to name them.
TOP_PACKAGES = ("tests", "bench", "training")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # The copy comes first on the path, before the editable install of the real tree.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def copy_of_the_tree(destination: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "node_modules", "static", "*.json", "*.npy")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, destination / package, ignore=ignore)
    for package in TOP_PACKAGES:
        (destination / package).mkdir()
        (destination / package / "__init__.py").write_text("")
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = lint_imports(copy_of_the_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "broken"),
    [
        ("core/db.py", "import plans.models", "Packages:"),
        ("core/outbox/service.py", "import connectors.sync.repository", "Packages:"),
        ("graph/repository.py", "import plans.map.tables", "Packages:"),
        ("plans/service.py", "import connectors.mapping", "Packages:"),
        ("plans/map/recording.py", "import plans.opportunities.service", "Inside plans:"),
        ("plans/extraction/signals.py", "import plans.conversations.models", "Inside plans:"),
        ("connectors/sync/engine.py", "import connectors.notion.api", "Connectors:"),
    ],
)
def test_an_import_against_the_layers_breaks_a_contract(
    tmp_path: Path, module: str, wrong_import: str, broken: str
) -> None:
    tree = copy_of_the_tree(tmp_path)
    source = tree / module
    source.write_text(source.read_text() + f"\n{wrong_import}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    broken_section = result.stdout.split("Broken contracts", 1)[-1]
    assert broken in broken_section, result.stdout
    assert wrong_import.split()[-1].rsplit(".", 1)[0] in broken_section
