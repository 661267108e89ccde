"""Alembic migrations of the Postgres schema (see app/migrate.py for how they run)."""
