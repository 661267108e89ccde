"""/config: the workspace's product catalogue and opportunity rules (admin to change)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import Admin, Reader, SessionDep
from core.errors import InvalidInput
from plans.catalogue import service
from plans.catalogue.models import Catalogue
from plans.opportunities import pipeline
from plans.opportunities.pipeline import PipelineConfig
from plans.opportunities.repository import stages_in_use

router = APIRouter(prefix="/config", tags=["configuration"])


@router.get("/catalogue")
def get_catalogue(principal: Reader, session: SessionDep) -> Catalogue:
    return service.catalogue(session, principal.workspace_id)


@router.put("/catalogue")
def put_catalogue(body: Catalogue, principal: Admin, session: SessionDep) -> Catalogue:
    """Replace the product lines, their aliases and the words that point to them."""
    return service.set_catalogue(session, principal.workspace_id, body)


@router.get("/pipeline")
def get_pipeline(principal: Reader, session: SessionDep) -> PipelineConfig:
    return pipeline.pipeline_config(session, principal.workspace_id)


@router.put("/pipeline")
def put_pipeline(body: PipelineConfig, principal: Admin, session: SessionDep) -> PipelineConfig:
    """Set the creation threshold and the stage model. A stage that open opportunities
    are in cannot be removed."""
    used = stages_in_use(session, principal.workspace_id)
    missing = sorted(used - set(body.stage_model.keys()))
    if missing:
        raise InvalidInput(
            f"open opportunities are in stage(s) {missing}; keep them in the model",
            field="body.stage_model.stages",
        )
    return pipeline.set_pipeline_config(session, principal.workspace_id, body)
