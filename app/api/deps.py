"""Request dependencies: the runtime, the unit of work, and who is calling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.runtime import Runtime
from core.db import unit_of_work
from core.errors import Forbidden, Unauthorized
from core.tenancy.models import Principal, Scope
from core.tenancy.service import authenticate


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _session(request: Request) -> Iterator[Session]:
    # scope="function" below: the commit happens before the response is sent, so a
    # failed commit is the caller's error response, not a silent loss.
    with unit_of_work(get_runtime(request).session_factory) as session:
        yield session


SessionDep = Annotated[Session, Depends(_session, scope="function")]


bearer = HTTPBearer(auto_error=False, description="An API key: `si_<prefix>_<secret>`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _bearer_key(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None:
        if request.headers.get("authorization"):
            raise Unauthorized("Authorization header must be 'Bearer <API key>'")
        raise Unauthorized("missing Authorization header (Authorization: Bearer <API key>)")
    return credentials.credentials.strip()


def require(scope: Scope) -> Callable[..., Principal]:
    """Dependency: the caller's principal, which must hold `scope`."""

    def dependency(request: Request, credentials: Credentials, session: SessionDep) -> Principal:
        principal = authenticate(session, _bearer_key(request, credentials))
        if not principal.allows(scope):
            raise Forbidden(f"this API key lacks the '{scope}' scope")
        request.state.principal = principal
        return principal

    return dependency


Reader = Annotated[Principal, Depends(require(Scope.READ))]
Writer = Annotated[Principal, Depends(require(Scope.WRITE))]
Admin = Annotated[Principal, Depends(require(Scope.ADMIN))]
