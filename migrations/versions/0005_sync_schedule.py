"""sync schedule: when each connection was last polled and how long it rests after failures

The poll interval and the rest after a failed run were kept in each worker process's
memory, so every process polled and retried on its own clock. They live with the
connection now, read and written under its advisory lock.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "crm_connections", sa.Column("last_poll_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "crm_connections",
        sa.Column("failures_in_a_row", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "crm_connections", sa.Column("rest_until", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("crm_connections", "rest_until")
    op.drop_column("crm_connections", "failures_in_a_row")
    op.drop_column("crm_connections", "last_poll_at")
