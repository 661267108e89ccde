"""What start-up checks before anything is said to be ready.

A configured store that cannot be used, or a port that cannot be listened on, stops the
command with one line that names the setting and the fix (a `ConfigError`: exit code 2),
instead of a traceback, or a service that looks up and then fails every request.
A graph that is only down does not stop start-up: the projector waits for it.
"""

from __future__ import annotations

import socket

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from core.errors import ConfigError, GraphUnavailable
from graph.errors import GraphServerMismatch
from graph.port import GraphStore


def check_database(engine: Engine, *, embedded: bool) -> None:
    """PostgreSQL answers: the one DATABASE_URL names, or the embedded one just started."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = (str(exc.orig).strip().splitlines() or ["no answer"])[0]
        if embedded:
            raise ConfigError(
                f"DATA_DIR: the embedded PostgreSQL does not answer ({reason}); see its log "
                "under DATA_DIR/postgres, or set DATABASE_URL to use another PostgreSQL"
            ) from None
        where = engine.url.render_as_string(hide_password=True).split("://", 1)[-1]
        raise ConfigError(
            f"DATABASE_URL: cannot connect to PostgreSQL at {where} ({reason}); start it or "
            "correct DATABASE_URL, or unset DATABASE_URL to use the embedded PostgreSQL"
        ) from None


def check_graph(graph: GraphStore) -> None:
    """The configured graph server (GRAPH_URL) is the graph database it claims to be."""
    try:
        graph.ping()
    except GraphServerMismatch as exc:
        raise ConfigError(
            f"GRAPH_URL: {exc.message}; point GRAPH_URL at a FalkorDB server (redis-server "
            "with the FalkorDB module loaded), or unset GRAPH_URL to use the embedded FalkorDB"
        ) from None
    except GraphUnavailable:
        return


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound and listening on host:port, before the stores start and long before
    anything says the service is ready."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(2048)
    except OSError as exc:
        listener.close()
        raise ConfigError(
            f"PORT: cannot listen on {host}:{port} ({exc.strerror or exc}); stop what uses it, "
            "or choose another port with --port or PORT (and --host or HOST for the address)"
        ) from None
    return listener
