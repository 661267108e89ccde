"""Alembic environment: runs on the connection app/migrate.py hands over, or on the
URL from alembic.ini / DATABASE_URL when run with the `alembic` command."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.metadata import load_all_tables
from core.db import Base

load_all_tables()
target_metadata = Base.metadata
config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    from app.settings import load_settings

    url = load_settings().sqlalchemy_url or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set DATABASE_URL to run alembic directly")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
