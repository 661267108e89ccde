"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app import migrate
from app.metadata import load_all_tables
from core.db import Base


def test_migrations_match_the_models(database_url: str) -> None:
    load_all_tables()
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    engine = create_engine(database_url)
    assert migrate.status(engine).is_current
    migrate.upgrade(engine, "head")  # a second upgrade is a no-op
    from alembic import command

    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert "accounts" not in inspect(engine).get_table_names()
    assert migrate.status(engine).current is None
    migrate.upgrade(engine)
    assert {"workspaces", "api_keys", "accounts", "stakeholders", "outbox"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_the_metadata_knows_every_table() -> None:
    load_all_tables()
    expected = {
        "workspaces",
        "api_keys",
        "outbox",
        "accounts",
        "stakeholders",
        "stakeholder_emails",
        "product_lines",
        "pipeline_configs",
        "conversations",
        "signals",
        "opportunities",
        "account_plans",
        "plan_revisions",
    }
    assert expected <= set(Base.metadata.tables)
