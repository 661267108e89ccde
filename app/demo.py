"""The demo workspace: a product catalogue and realistic conversations for three accounts,
ingested through the real pipeline, and a stable API key."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from sqlalchemy.orm import Session

from app.runtime import Runtime
from core.db import unit_of_work
from core.tenancy import service as tenancy
from core.tenancy.models import Scope, Workspace
from plans.catalogue import service as catalogue_service
from plans.catalogue.models import Catalogue
from plans.conversations.bulk import BulkReport, ingest_file

DEMO_WORKSPACE = "demo"


def demo_data() -> Path:
    return Path(str(files("app") / "demo_data"))


def load_demo(runtime: Runtime) -> str:
    """Create (or top up) the demo workspace; return its API key.

    The key is kept in DATA_DIR/demo-api-key (mode 0600) so every `serve --demo` prints
    the same one. Conversations already ingested are skipped, so loading twice is safe.
    """
    with unit_of_work(runtime.session_factory) as session:
        workspace = tenancy.ensure_workspace(session, DEMO_WORKSPACE)
        secret = _demo_key(session, workspace, runtime.settings.DATA_DIR / "demo-api-key")
        if not catalogue_service.catalogue(session, workspace.id).product_lines:
            catalogue = Catalogue.model_validate_json((demo_data() / "catalogue.json").read_text())
            catalogue_service.set_catalogue(session, workspace.id, catalogue)
    ingest_demo_conversations(runtime, workspace)
    return secret


def ingest_demo_conversations(runtime: Runtime, workspace: Workspace) -> BulkReport:
    return ingest_file(demo_data() / "conversations.jsonl", workspace.id, runtime.ingestor)


def _demo_key(session: Session, workspace: Workspace, key_file: Path) -> str:
    if key_file.exists():
        secret = key_file.read_text().strip()
        tenancy.ensure_key(session, workspace, secret, [Scope.ADMIN])
        return secret
    secret = tenancy.issue_key(session, workspace, [Scope.ADMIN], "demo").secret
    key_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret + "\n")
    return secret
