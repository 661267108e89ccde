"""A workspace's catalogue: the product lines it sells."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from plans.catalogue import repository
from plans.catalogue.models import Catalogue


def catalogue(session: Session, workspace_id: uuid.UUID) -> Catalogue:
    return repository.get_catalogue(session, workspace_id)


def set_catalogue(session: Session, workspace_id: uuid.UUID, new: Catalogue) -> Catalogue:
    repository.replace_catalogue(session, workspace_id, new)
    return new
