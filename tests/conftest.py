"""Shared fixtures: real PostgreSQL and real FalkorDB, each test isolated.

PostgreSQL: `TEST_DATABASE_URL` (or `DATABASE_URL`) names a server to use, e.g. the
machine's postgresql://postgres@127.0.0.1:5432/postgres; unset, the tests start the
embedded one. The schema is migrated once into a template database and every test gets
its own copy (CREATE DATABASE ... TEMPLATE), so tests that commit, or run several
connections at once, stay isolated.

Graph: one embedded FalkorDB server for the session; every test gets its own graph name.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import make_url

from app import migrate
from app.embedded_postgres import start_embedded_postgres
from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings, load_settings, to_sqlalchemy_url
from core.db import make_engine, unit_of_work
from core.tenancy import service as tenancy
from core.tenancy.models import Scope, Workspace
from graph.embedded import EmbeddedFalkorDB, start_embedded_falkordb
from graph.falkordb_store import FalkorDBStore


def _admin_conninfo(url: str) -> str:
    """A libpq URL (no +psycopg) for admin commands."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@dataclass(frozen=True)
class PostgresServer:
    admin_url: str  # libpq URL of a maintenance database

    def url_for(self, database: str) -> str:
        return str(
            make_url(to_sqlalchemy_url(self.admin_url))
            .set(database=database)
            .render_as_string(hide_password=False)
        )

    def execute(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(statement)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    configured = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if configured:
        yield PostgresServer(_admin_conninfo(configured))
        return
    embedded = start_embedded_postgres(tmp_path_factory.mktemp("pg"), database="postgres")
    yield PostgresServer(embedded.url)
    embedded.stop()


@pytest.fixture(scope="session")
def template_database(postgres_server: PostgresServer) -> Iterator[str]:
    name = f"si_template_{uuid.uuid4().hex[:10]}"
    postgres_server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    engine = make_engine(postgres_server.url_for(name))
    migrate.upgrade(engine)
    engine.dispose()
    yield name
    postgres_server.execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    )


@pytest.fixture
def database_url(postgres_server: PostgresServer, template_database: str) -> Iterator[str]:
    """A freshly migrated database of this test's own (SQLAlchemy URL)."""
    name = f"si_test_{uuid.uuid4().hex[:12]}"
    postgres_server.execute(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template_database)
        )
    )
    yield postgres_server.url_for(name)
    postgres_server.execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    )


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedFalkorDB]:
    server = start_embedded_falkordb(tmp_path_factory.mktemp("falkordb"))
    yield server
    server.stop()


@pytest.fixture
def graph_name() -> str:
    return f"test_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def graph_store(falkordb_server: EmbeddedFalkorDB, graph_name: str) -> Iterator[FalkorDBStore]:
    store = FalkorDBStore(falkordb_server.host, falkordb_server.port, graph_name)
    store.ensure_schema()
    yield store
    store.delete_graph()
    store.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


# --- the service, wired to this test's stores ---------------------------------------


@pytest.fixture
def settings(
    database_url: str, falkordb_server: EmbeddedFalkorDB, graph_name: str, data_dir: Path
) -> Settings:
    return load_settings(
        DATABASE_URL=database_url,
        GRAPH_URL=falkordb_server.url,
        GRAPH_DATABASE=graph_name,
        DATA_DIR=data_dir,
        PROJECTOR_POLL_SECONDS=0.05,
        MAX_REQUEST_BYTES=64_000,
    )


@pytest.fixture
def runtime(settings: Settings, graph_store: FalkorDBStore) -> Iterator[Runtime]:
    """The service's runtime on this test's database and graph (graph_store cleans up)."""
    with Runtime.start(settings) as started:
        yield started


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Tenant:
    workspace: Workspace
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def make_tenant(runtime: Runtime, name: str, *scopes: Scope) -> Tenant:
    with unit_of_work(runtime.session_factory) as session:
        workspace = tenancy.ensure_workspace(session, name)
        issued = tenancy.issue_key(session, workspace, scopes or (Scope.ADMIN,), "test")
    return Tenant(workspace, issued.secret)


@pytest.fixture
def tenant(runtime: Runtime) -> Tenant:
    return make_tenant(runtime, "acme-sales")


@pytest.fixture
def other_tenant(runtime: Runtime) -> Tenant:
    return make_tenant(runtime, "rival-sales")
