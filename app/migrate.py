"""Run Alembic migrations from code: `upgrade` on start, `status` for /readyz."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

# Several service processes may start at once; only one migrates at a time.
MIGRATION_LOCK_KEY = 0x5EED_1A7E


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(str(files("migrations")))))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@dataclass(frozen=True)
class MigrationStatus:
    current: str | None
    head: str | None

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def status(engine: Engine) -> MigrationStatus:
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return MigrationStatus(current=current, head=head_revision())
