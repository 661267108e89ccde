"""Connectors are found through the `stakeholder_intel.connectors` entry points: one
shipped by another distribution plugs into the same engine as Notion's."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.runtime import Runtime
from app.workers.sync import SyncWorker
from connectors import registry
from connectors.errors import UnknownConnector
from connectors.mapping import EntityMapping, FieldMapping, SyncedEntity, SyncMapping
from connectors.sync import service
from core.db import unit_of_work
from tests.conftest import Tenant
from tests.integration.test_crm_sync import get_account, make_account
from tests.support import memory_crm

ACCOUNT = SyncedEntity.ACCOUNT


@pytest.fixture
def memory_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Install a separate distribution that registers the in-memory CRM as `memory`."""
    info = tmp_path / "memory_crm_connector-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: memory-crm-connector\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text(
        "[stakeholder_intel.connectors]\nmemory = tests.support.memory_crm:make_connector\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))


def test_the_notion_connector_is_registered_by_this_distribution() -> None:
    assert "notion" in registry.available()
    with pytest.raises(UnknownConnector, match="no CRM connector 'salesforce' is installed"):
        registry.factory("salesforce")


def test_a_connector_from_another_distribution_syncs_through_the_same_engine(
    memory_distribution: None, runtime: Runtime, tenant: Tenant
) -> None:
    assert "memory" in registry.available()
    assert registry.factory("memory") is memory_crm.make_connector
    mapping = SyncMapping(
        entities={
            ACCOUNT: EntityMapping(
                location="accounts",
                record_id="our_id",
                fields={
                    "name": FieldMapping(remote="Name"),
                    "industry": FieldMapping(remote="Industry"),
                    "description": FieldMapping(remote="About"),
                },
            )
        }
    )
    with unit_of_work(runtime.session_factory) as session:
        service.connect(
            session, tenant.workspace.id, "memory", mapping, {}, {"store": "registry-test"}
        )
    account = make_account(runtime, tenant, "Helix Bio", industry="Biotech")
    runtime.drain()
    worker = SyncWorker(runtime.session_factory, runtime.settings)
    (report,) = worker.run_all(reconcile=True)
    assert report.error is None and report.created_remote == 1
    store = memory_crm.STORES["registry-test"]
    ((external_id, stored),) = store.of(ACCOUNT).items()
    assert stored.record_id == str(account.id)
    assert stored.values["name"] == "Helix Bio" and stored.values["industry"] == "Biotech"
    store.edit(ACCOUNT, external_id, description="edited in the other CRM")
    worker.run_all(poll=True)
    assert get_account(runtime, tenant, account.id).description == "edited in the other CRM"
    (quiet,) = worker.run_all(reconcile=True)
    assert quiet.calls.get("write", 0) == 0
    worker.close()
