"""political map

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 07:18:58.628421
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "our_people",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_our_people_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_our_people")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_our_people_workspace_id")),
    )
    op.create_table(
        "interactions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("stakeholder_id", sa.Uuid(), nullable=False),
        sa.Column("our_people", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("participated", sa.Boolean(), nullable=False),
        sa.Column("spoke", sa.Boolean(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("trust", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_interactions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_interactions_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_interactions_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_interactions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
        sa.UniqueConstraint(
            "conversation_id", "stakeholder_id", name=op.f("uq_interactions_conversation_id")
        ),
    )
    op.create_index(
        "ix_interactions_account", "interactions", ["workspace_id", "account_id"], unique=False
    )
    op.create_index("ix_interactions_stakeholder", "interactions", ["stakeholder_id"], unique=False)
    op.create_table(
        "score_overrides",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("stakeholder_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.String(length=30), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("previous_value", sa.Double(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_by", sa.String(length=200), nullable=True),
        sa.Column("clear_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_score_overrides_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_score_overrides_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_overrides")),
    )
    op.create_index(
        "ix_overrides_stakeholder", "score_overrides", ["stakeholder_id", "score"], unique=False
    )
    op.create_table(
        "stakeholder_relations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_stakeholder_relations_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_relations_source_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_relations_target_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_stakeholder_relations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_relations")),
        sa.UniqueConstraint(
            "source_id", "target_id", "type", name=op.f("uq_stakeholder_relations_source_id")
        ),
    )
    op.create_index(
        "ix_relations_account",
        "stakeholder_relations",
        ["workspace_id", "account_id"],
        unique=False,
    )
    op.create_table(
        "stakeholder_roles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("stakeholder_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("scope", sa.String(length=300), nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=True),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(length=200), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_roles_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_stakeholder_roles_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_roles")),
        sa.UniqueConstraint(
            "stakeholder_id", "role", "scope", name=op.f("uq_stakeholder_roles_stakeholder_id")
        ),
    )
    op.create_index("ix_roles_workspace", "stakeholder_roles", ["workspace_id"], unique=False)
    op.create_table(
        "stakeholder_scores",
        sa.Column("stakeholder_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("decision_power", sa.Double(), nullable=False),
        sa.Column("influence", sa.Double(), nullable=False),
        sa.Column("relationship_strength", sa.Double(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_stakeholder_scores_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_scores_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_stakeholder_scores_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stakeholder_id", name=op.f("pk_stakeholder_scores")),
    )
    op.create_index(
        op.f("ix_stakeholder_scores_account_id"), "stakeholder_scores", ["account_id"], unique=False
    )
    op.add_column("stakeholders", sa.Column("seniority", sa.String(length=30), nullable=True))
    op.add_column("stakeholders", sa.Column("merged_into_id", sa.Uuid(), nullable=True))
    op.add_column("stakeholders", sa.Column("external_ref", sa.String(length=200), nullable=True))
    op.create_index(
        "uq_stakeholders_account_external_ref",
        "stakeholders",
        ["account_id", "external_ref"],
        unique=True,
        postgresql_where=sa.text("external_ref IS NOT NULL"),
    )
    op.create_foreign_key(
        op.f("fk_stakeholders_merged_into_id_stakeholders"),
        "stakeholders",
        "stakeholders",
        ["merged_into_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_stakeholders_merged_into_id_stakeholders"), "stakeholders", type_="foreignkey"
    )
    op.drop_index(
        "uq_stakeholders_account_external_ref",
        table_name="stakeholders",
        postgresql_where=sa.text("external_ref IS NOT NULL"),
    )
    op.drop_column("stakeholders", "external_ref")
    op.drop_column("stakeholders", "merged_into_id")
    op.drop_column("stakeholders", "seniority")
    op.drop_index(op.f("ix_stakeholder_scores_account_id"), table_name="stakeholder_scores")
    op.drop_table("stakeholder_scores")
    op.drop_index("ix_roles_workspace", table_name="stakeholder_roles")
    op.drop_table("stakeholder_roles")
    op.drop_index("ix_relations_account", table_name="stakeholder_relations")
    op.drop_table("stakeholder_relations")
    op.drop_index("ix_overrides_stakeholder", table_name="score_overrides")
    op.drop_table("score_overrides")
    op.drop_index("ix_interactions_stakeholder", table_name="interactions")
    op.drop_index("ix_interactions_account", table_name="interactions")
    op.drop_table("interactions")
    op.drop_table("our_people")
