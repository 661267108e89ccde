"""All SQL of the catalogue and pipeline configuration."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from plans.catalogue.models import Catalogue, ProductLine
from plans.catalogue.tables import PipelineConfigRow, ProductLineRow


def get_catalogue(session: Session, workspace_id: uuid.UUID) -> Catalogue:
    rows = session.scalars(
        select(ProductLineRow)
        .where(ProductLineRow.workspace_id == workspace_id)
        .order_by(ProductLineRow.position, ProductLineRow.key)
    )
    return Catalogue(
        product_lines=[
            ProductLine(key=r.key, name=r.name, aliases=r.aliases, keywords=r.keywords)
            for r in rows
        ]
    )


def replace_catalogue(session: Session, workspace_id: uuid.UUID, catalogue: Catalogue) -> None:
    session.execute(delete(ProductLineRow).where(ProductLineRow.workspace_id == workspace_id))
    for position, line in enumerate(catalogue.product_lines):
        session.add(
            ProductLineRow(
                workspace_id=workspace_id,
                key=line.key,
                name=line.name,
                aliases=list(line.aliases),
                keywords=list(line.keywords),
                position=position,
            )
        )
    session.flush()


def get_pipeline_config(
    session: Session, workspace_id: uuid.UUID
) -> tuple[float, dict[str, Any]] | None:
    row = session.get(PipelineConfigRow, workspace_id)
    return (float(row.creation_threshold), row.stage_model) if row else None


def put_pipeline_config(
    session: Session, workspace_id: uuid.UUID, threshold: float, stage_model: dict[str, Any]
) -> None:
    statement = insert(PipelineConfigRow).values(
        workspace_id=workspace_id, creation_threshold=threshold, stage_model=stage_model
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[PipelineConfigRow.workspace_id],
            set_={"creation_threshold": threshold, "stage_model": stage_model},
        )
    )
