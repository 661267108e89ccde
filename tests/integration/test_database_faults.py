"""A unit of work against a real PostgreSQL that fails under it: a connection an
administrator terminates, a statement its timeout cancels. The error that comes out is
the project's own, says which fault it was, and is never replaced by a failed rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.runtime import Runtime
from core.db import make_engine, make_session_factory, unit_of_work
from core.errors import DatabaseTimeout, DatabaseUnavailable, NotFound
from tests.support.postgres_faults import administrator, table_locked, terminate


def test_an_error_raised_after_the_connection_died_is_the_one_reported(
    runtime: Runtime, database_url: str
) -> None:
    with administrator(database_url) as admin, pytest.raises(NotFound, match="no account 42"):
        with unit_of_work(runtime.session_factory) as session:
            terminate(admin, session.scalar(text("SELECT pg_backend_pid()")))
            raise NotFound("no account 42 in this workspace")  # the rollback meets a dead link

    with unit_of_work(runtime.session_factory) as session:  # the pool recovered
        assert session.scalar(text("SELECT 1")) == 1


def test_a_connection_terminated_under_a_statement_is_unreachable(
    runtime: Runtime, database_url: str
) -> None:
    with administrator(database_url) as admin:
        with pytest.raises(DatabaseUnavailable, match="PostgreSQL unreachable: terminating"):
            with unit_of_work(runtime.session_factory) as session:
                terminate(admin, session.scalar(text("SELECT pg_backend_pid()")))
                session.execute(text("SELECT 1"))


def test_a_statement_timeout_says_it_timed_out(runtime: Runtime, database_url: str) -> None:
    with table_locked(database_url, "accounts"), pytest.raises(DatabaseTimeout) as raised:
        with unit_of_work(runtime.session_factory) as session:
            session.execute(text("SET LOCAL statement_timeout = 200"))
            session.execute(text("SELECT count(*) FROM accounts"))
    assert raised.value.code == "database_timeout"
    assert raised.value.message == (
        "PostgreSQL statement timed out (canceling statement due to statement timeout)"
    )
    assert "unreachable" not in raised.value.message


def test_no_free_connection_in_the_pool_is_a_timeout(database_url: str) -> None:
    engine = make_engine(database_url, timeout_seconds=1, pool_size=1)  # two connections
    try:
        with engine.connect(), engine.connect(), pytest.raises(DatabaseTimeout) as raised:
            with unit_of_work(make_session_factory(engine)) as session:
                session.execute(text("SELECT 1"))
        assert raised.value.message.startswith("no free PostgreSQL connection in time (")
    finally:
        engine.dispose()
