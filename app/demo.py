"""The demo workspace: a few accounts and a stable API key, for a first look."""

from __future__ import annotations

import os

from app.db import unit_of_work
from app.runtime import Runtime
from app.tenancy import service as tenancy
from app.tenancy.models import Scope
from plans import repository as plans_repository
from plans import service as plans

DEMO_WORKSPACE = "demo"
DEMO_ACCOUNTS = (
    plans.AccountCreate(
        name="Northwind Logistics", domain="northwind-logistics.com", industry="Logistics"
    ),
    plans.AccountCreate(name="Helix Health", domain="helixhealth.org", industry="Healthcare"),
    plans.AccountCreate(name="Brightwave Retail", domain="brightwave.shop", industry="Retail"),
)


def load_demo(runtime: Runtime) -> str:
    """Create (or top up) the demo workspace; return its API key.

    The key is kept in DATA_DIR/demo-api-key (mode 0600) so every `serve --demo` prints
    the same one.
    """
    key_file = runtime.settings.DATA_DIR / "demo-api-key"
    with unit_of_work(runtime.session_factory) as session:
        workspace = tenancy.ensure_workspace(session, DEMO_WORKSPACE)
        if key_file.exists():
            secret = key_file.read_text().strip()
            tenancy.ensure_key(session, workspace, secret, [Scope.ADMIN])
        else:
            secret = tenancy.issue_key(session, workspace, [Scope.ADMIN], "demo").secret
            key_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secret + "\n")
        if plans_repository.count_accounts(session, workspace.id) == 0:
            for account in DEMO_ACCOUNTS:
                plans.create_account(session, workspace.id, account, origin="demo")
    return secret
