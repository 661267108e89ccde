"""The graph port: the one way the rest of the service reaches a property graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from graph.models import Dialect
from graph.queries import Statement


class GraphStore(Protocol):
    """A property graph that runs the statements of `graph.queries`.

    Contract:
    - `run` sends `statement.text(self.dialect)` with `parameters` (exactly the declared
      ones, else `GraphQueryError`) and returns one dict per result row, keyed by the
      RETURN column names; node values come back as plain property dicts.
    - Each `run` is atomic: it commits entirely or not at all.
    - An unreachable server raises `GraphUnavailable`; a rejected statement raises
      `GraphQueryError` (`GraphConstraintViolation` for a unique-key clash).
    - `ensure_schema` creates constraints and indexes and may be called any number of
      times.
    """

    @property
    def dialect(self) -> Dialect: ...

    def ensure_schema(self) -> None: ...

    def run(self, statement: Statement, parameters: Mapping[str, Any]) -> list[dict[str, Any]]: ...

    def ping(self) -> None: ...

    def close(self) -> None: ...
