"""Workspaces and API keys: create, issue, authenticate.

Keys look like `si_<prefix>_<secret>`. The prefix finds the row; only a SHA-256 of the
whole key is stored. A slow password hash is not needed: the secret is 256 random bits,
so it cannot be guessed from its hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound, Unauthorized
from core.tenancy import repository
from core.tenancy.models import IssuedKey, Principal, Scope, Workspace

KEY_PATTERN = re.compile(r"^si_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$")
WORKSPACE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def check_workspace_name(name: str) -> str:
    if not WORKSPACE_NAME.match(name):
        raise InvalidInput(
            "workspace name must be 1-100 letters, digits, spaces, '.', '_' or '-', "
            f"starting with a letter or digit (got {name!r})",
            field="workspace",
        )
    return name


def create_workspace(session: Session, name: str) -> Workspace:
    check_workspace_name(name)
    if repository.workspace_by_name(session, name):
        raise Conflict(f"workspace {name!r} already exists")
    return repository.add_workspace(session, name)


def ensure_workspace(session: Session, name: str) -> Workspace:
    check_workspace_name(name)
    return repository.workspace_by_name(session, name) or repository.add_workspace(session, name)


def get_workspace(session: Session, name: str) -> Workspace:
    workspace = repository.workspace_by_name(session, name)
    if workspace is None:
        raise NotFound(f"no workspace named {name!r}")
    return workspace


def issue_key(
    session: Session,
    workspace: Workspace,
    scopes: Iterable[Scope],
    name: str = "api key",
    *,
    secret: str | None = None,
) -> IssuedKey:
    """Create a key for `workspace`. `secret` lets an operator bring a pre-generated key."""
    scope_set = frozenset(scopes)
    if not scope_set:
        raise InvalidInput("a key needs at least one scope", field="scope")
    if secret is None:
        secret = f"si_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"
    match = KEY_PATTERN.match(secret)
    if match is None:
        raise InvalidInput("API key does not have the form si_<12 hex>_<43 chars>", field="key")
    key_id = repository.add_api_key(
        session, workspace.id, name, match.group(1), _hash(secret), sorted(scope_set)
    )
    return IssuedKey(id=key_id, workspace=workspace, name=name, scopes=scope_set, secret=secret)


def ensure_key(
    session: Session, workspace: Workspace, secret: str, scopes: Iterable[Scope]
) -> None:
    """Register `secret` for `workspace` unless a key with its prefix already exists."""
    match = KEY_PATTERN.match(secret)
    if match is None:
        raise InvalidInput("API key does not have the form si_<12 hex>_<43 chars>", field="key")
    existing = repository.active_key_by_prefix(session, match.group(1))
    if existing is None:
        issue_key(session, workspace, scopes, "bootstrap", secret=secret)
    elif existing.workspace_id != workspace.id or not hmac.compare_digest(
        existing.secret_hash, _hash(secret)
    ):
        raise Conflict("that key's prefix is already used by another key")


def authenticate(session: Session, key: str) -> Principal:
    """The principal behind `key`; `Unauthorized` for unknown, malformed or revoked keys."""
    match = KEY_PATTERN.match(key)
    row = repository.active_key_by_prefix(session, match.group(1)) if match else None
    if row is None or not hmac.compare_digest(row.secret_hash, _hash(key)):
        raise Unauthorized("invalid or revoked API key")
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        repository.touch_key(session, row.id, now)
    return Principal(
        workspace_id=row.workspace_id,
        key_id=row.id,
        scopes=frozenset(Scope(s) for s in row.scopes),
    )


def revoke_key(session: Session, workspace: Workspace, key_or_prefix: str) -> None:
    match = KEY_PATTERN.match(key_or_prefix)
    prefix = match.group(1) if match else key_or_prefix
    if not repository.revoke_key(session, workspace.id, prefix, utcnow()):
        raise NotFound(f"no active key with prefix {prefix!r} in workspace {workspace.name!r}")
