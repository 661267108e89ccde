"""Real PostgreSQL faults for tests, made from an administrator's connection to the
test's own database: a table held locked by another session, backends terminated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

Admin = psycopg.Connection[TupleRow]

# pg_terminate_backend waits this long for the backend to be gone.
TERMINATE_WAIT_MS = 5_000


def libpq_url(database_url: str) -> str:
    """The libpq form (no `+psycopg`) of a SQLAlchemy URL."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def administrator(database_url: str) -> Admin:
    """An autocommit connection to the test's database (the tests connect as a superuser)."""
    return psycopg.connect(libpq_url(database_url), autocommit=True)


@contextmanager
def table_locked(database_url: str, table: str) -> Iterator[Admin]:
    """Another session holds `table` in ACCESS EXCLUSIVE mode until the block ends: every
    statement that touches it waits."""
    with psycopg.connect(libpq_url(database_url)) as holder:
        holder.execute(
            sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(table))
        )
        try:
            yield holder
        finally:
            holder.rollback()


def backends_waiting_on_a_lock(admin: Admin) -> int:
    row = admin.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()
    assert row is not None
    return int(row[0])


def terminate(admin: Admin, pid: int) -> None:
    """End one backend as an administrator would, and wait until it is gone."""
    admin.execute("SELECT pg_terminate_backend(%s, %s)", (pid, TERMINATE_WAIT_MS))


def terminate_all_but(admin: Admin, *spared: int) -> int:
    """End every other backend of the database (the service's whole pool); return how many."""
    mine = admin.info.backend_pid
    rows = admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s",
        (mine,),
    ).fetchall()
    victims = [pid for (pid,) in rows if pid not in spared]
    for pid in victims:
        terminate(admin, pid)
    return len(victims)
