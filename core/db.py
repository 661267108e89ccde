"""Postgres engine, sessions and the unit of work.

One unit of work per request or job: `unit_of_work` commits when the block ends normally
and rolls back otherwise. Services take a `Session` and at most `flush()`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg
from sqlalchemy import DateTime, MetaData, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from core.errors import DatabaseTimeout, DatabaseUnavailable, StoreUnavailable

logger = logging.getLogger(__name__)

# SQLSTATEs of a server ending or refusing the connection: admin_shutdown, crash_shutdown,
# cannot_connect_now, too_many_connections.
DISCONNECTING_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def make_engine(url: str, *, timeout_seconds: float = 10.0, pool_size: int = 10) -> Engine:
    """An engine on the psycopg 3 driver with connect and statement timeouts."""
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=timeout_seconds,
        connect_args={
            "connect_timeout": max(1, int(timeout_seconds)),
            "options": f"-c statement_timeout={int(timeout_seconds * 1000)}",
        },
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Commit on success, roll back on any exception.

    A database fault comes out as the project's error (`store_error`): a lost or
    unreachable server is `DatabaseUnavailable`, a statement its timeout cancelled is
    `DatabaseTimeout`. The error raised in the block is the one the caller sees, even when
    the rollback fails on a connection that died with it.
    """
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        _roll_back(session)
        translated = store_error(exc) if isinstance(exc, Exception) else None
        if translated is not None:
            raise translated from exc
        raise
    finally:
        session.close()


def _roll_back(session: Session) -> None:
    """Roll back, unless the connection is gone: then the server has already discarded
    the transaction, and the rollback's own failure would only hide the real error."""
    try:
        session.rollback()
    except DBAPIError as exc:
        if store_error(exc) is None:
            raise
        logger.info("rollback on a lost PostgreSQL connection failed: %s", _reason(exc))


def store_error(exc: Exception) -> StoreUnavailable | None:
    """The project's error for a fault of the database itself, or None when it is not one
    (a bug, a constraint the statement broke), which stays the caller's to handle."""
    if isinstance(exc, PoolTimeout):
        detail = str(exc).split(" (Background", 1)[0]
        return DatabaseTimeout(f"no free PostgreSQL connection in time ({detail})")
    if not isinstance(exc, DBAPIError):
        return None
    cause, reason = exc.orig, _reason(exc)
    if isinstance(cause, psycopg.errors.QueryCanceled):
        if "timeout" in reason:
            return DatabaseTimeout(f"PostgreSQL statement timed out ({reason})")
        return DatabaseTimeout(f"PostgreSQL cancelled the statement ({reason})")
    if isinstance(cause, psycopg.errors.LockNotAvailable):
        return DatabaseTimeout(f"PostgreSQL timed out waiting for a lock ({reason})")
    if exc.connection_invalidated or _connection_lost(cause):
        return DatabaseUnavailable(f"PostgreSQL unreachable: {reason}")
    if isinstance(cause, psycopg.OperationalError):  # out of resources, deadlock, ...
        return DatabaseUnavailable(f"PostgreSQL could not run the statement: {reason}")
    return None


def _connection_lost(cause: BaseException | None) -> bool:
    """The driver's error means there is no usable connection: the client could not reach
    the server or lost it (no SQLSTATE), or the server refused or ended the connection
    (class 08, administrator or crash shutdown, too many clients)."""
    if isinstance(cause, psycopg.InterfaceError):
        return True
    if not isinstance(cause, psycopg.OperationalError):
        return False
    state = cause.sqlstate
    return state is None or state.startswith("08") or state in DISCONNECTING_STATES


def _reason(exc: DBAPIError) -> str:
    """The server's (or the driver's) message, its first line only."""
    text = str(exc.orig if exc.orig is not None else exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0]
