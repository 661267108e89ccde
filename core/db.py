"""Postgres engine, sessions and the unit of work.

One unit of work per request or job: `unit_of_work` commits when the block ends normally
and rolls back otherwise. Services take a `Session` and at most `flush()`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from core.errors import DatabaseUnavailable

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
    """Commit on success, roll back on any exception; a lost database is `DatabaseUnavailable`."""
    session = factory()
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        if lost_connection(exc):
            raise DatabaseUnavailable(f"PostgreSQL unreachable: {exc.orig}") from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def lost_connection(exc: OperationalError) -> bool:
    """An OperationalError that means the server is gone (not a bad statement)."""
    text = str(exc.orig).lower()
    return bool(exc.connection_invalidated) or any(
        marker in text
        for marker in ("connection", "connect", "server closed", "terminating", "timeout")
    )
