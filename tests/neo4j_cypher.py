"""Run Cypher through Neo4j's own parser and semantic analysis (npm
`@neo4j-cypher/language-support`, `lintCypherQuery`), with node.

The npm package is installed on first use from tests/cypher_lint/package-lock.json, so
the check runs from a fresh clone too; it never silently skips.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.models import NodeLabel, RelType
from graph.queries import Statement

LINT_DIR = Path(__file__).parent / "cypher_lint"


@dataclass(frozen=True)
class CypherError:
    statement: str
    message: str
    offset: int | None


def ensure_linter_installed() -> None:
    if (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to install the Cypher linter (apt-get install npm)")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=LINT_DIR,
        check=True,
        timeout=600,
    )


def lint(statements: Iterable[tuple[str, str, Iterable[str]]]) -> list[CypherError]:
    """Error-severity diagnostics for (name, cypher, parameter names) triples."""
    ensure_linter_installed()
    payload = [
        {
            "name": name,
            "query": cypher,
            "parameters": sorted(parameters),
            "labels": [str(label) for label in NodeLabel],
            "relationshipTypes": [str(rel) for rel in RelType],
        }
        for name, cypher, parameters in statements
    ]
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed to run the Cypher linter")
    completed = subprocess.run(
        [node, "lint.mjs"],
        cwd=LINT_DIR,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return [
        CypherError(result["name"], error["message"], error["offset"])
        for result in json.loads(completed.stdout)
        for error in result["errors"]
    ]


def lint_statements(statements: Iterable[Statement], texts: dict[str, str]) -> list[CypherError]:
    return lint((s.name, texts[s.name], s.parameters) for s in statements)
