"""PostgreSQL advisory locks: one job of a kind on one record runs in one place at a time,
however many processes share the database.

A lock is named by a kind of job (`namespace`: "scoring", "crm-sync", ...) and a record
id, hashed together into the 64-bit key PostgreSQL takes, so kinds never collide. Every
lock here is tried, never waited for: a job whose lock is taken is another process's to
do, and the caller skips it.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from core.db import store_error

logger = logging.getLogger(__name__)


def lock_key(namespace: str, record_id: uuid.UUID) -> int:
    """The signed 64-bit key of `namespace`'s lock on `record_id`."""
    digest = hashlib.sha256(f"{namespace}:{record_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def try_transaction_lock(session: Session, namespace: str, record_id: uuid.UUID) -> bool:
    """Take the lock for the rest of the session's transaction, if no one holds it.
    For jobs that fit in one transaction: the commit or rollback releases it."""
    key = lock_key(namespace, record_id)
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}))


@contextmanager
def held_lock(
    sessions: sessionmaker[Session], namespace: str, record_id: uuid.UUID
) -> Iterator[bool]:
    """Try to take the lock on a connection of its own, held for the whole block, across
    the block's own transactions (for jobs that call out between them); yield whether it
    is ours. A lost connection releases the lock on the server; the block still ends
    normally, and a job that must not overlap another re-checks its work as it goes.

    Raises `DatabaseUnavailable` (or `DatabaseTimeout`) when the lock cannot be asked for.
    """
    key = lock_key(namespace, record_id)
    with _faults_translated():
        connection = sessions.kw["bind"].connect()
    with connection:
        with _faults_translated():
            held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
            connection.commit()
        try:
            yield held
        finally:
            if held:
                _release(connection, key)


@contextmanager
def _faults_translated() -> Iterator[None]:
    """Database faults in the block come out as the project's errors (`store_error`)."""
    try:
        yield
    except (DBAPIError, PoolTimeout) as exc:
        fault = store_error(exc)
        if fault is None:
            raise
        raise fault from exc


def _release(connection: Connection, key: int) -> None:
    try:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        connection.commit()
    except DBAPIError as exc:  # the connection is gone, and the lock with it
        logger.info("advisory lock %s released with its lost connection: %s", key, exc.orig)
        connection.invalidate()
