"""A workspace's opportunity rules: the creation threshold and the stage model."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from plans.catalogue import repository
from plans.opportunities.stages import DEFAULT_STAGE_MODEL, StageModel

DEFAULT_CREATION_THRESHOLD = 0.8


class PipelineConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    creation_threshold: float = Field(default=DEFAULT_CREATION_THRESHOLD, ge=0.0, le=1.0)
    stage_model: StageModel = DEFAULT_STAGE_MODEL


def pipeline_config(session: Session, workspace_id: uuid.UUID) -> PipelineConfig:
    stored = repository.get_pipeline_config(session, workspace_id)
    if stored is None:
        return PipelineConfig()
    threshold, stage_model = stored
    return PipelineConfig(
        creation_threshold=threshold, stage_model=StageModel.model_validate(stage_model)
    )


def set_pipeline_config(
    session: Session, workspace_id: uuid.UUID, config: PipelineConfig
) -> PipelineConfig:
    repository.put_pipeline_config(
        session,
        workspace_id,
        config.creation_threshold,
        config.stage_model.model_dump(mode="json"),
    )
    return config
