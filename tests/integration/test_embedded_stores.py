"""The embedded stores are real servers that keep their data across restarts."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
import redis

from app.embedded_postgres import start_embedded_postgres
from graph.embedded import start_embedded_falkordb

GRAPH = "durability"


def test_embedded_postgres_keeps_data_across_restarts(tmp_path: Path) -> None:
    first = start_embedded_postgres(tmp_path, database="durability")
    with psycopg.connect(first.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE notes (body text)")
        conn.execute("INSERT INTO notes VALUES ('kept')")
    first.stop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(first.url, connect_timeout=2)

    second = start_embedded_postgres(tmp_path, database="durability")
    try:
        with psycopg.connect(second.url) as conn:
            assert conn.execute("SELECT body FROM notes").fetchall() == [("kept",)]
    finally:
        second.stop()


def _client(port: int) -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=port, decode_responses=True)


def _write(port: int, name: str) -> None:
    _client(port).execute_command("GRAPH.QUERY", GRAPH, f"CREATE (:Note {{name: '{name}'}})")


def _names(port: int) -> list[str]:
    reply = _client(port).execute_command(
        "GRAPH.RO_QUERY", GRAPH, "MATCH (n:Note) RETURN n.name ORDER BY n.name"
    )
    return [row[0] for row in reply[1]]


def test_embedded_falkordb_is_local_durable_and_survives_stop_and_sigkill(tmp_path: Path) -> None:
    server = start_embedded_falkordb(tmp_path)
    try:
        config = _client(server.port).config_get("*")
        assert config["bind"] == "127.0.0.1"
        assert config["appendonly"] == "yes"
        assert config["appendfsync"] in {"everysec", "always"}
        assert Path(str(config["dir"])) == tmp_path / "graph"

        _write(server.port, "before-stop")
        server.stop()
        assert not server.is_running()

        server = start_embedded_falkordb(tmp_path)
        assert _names(server.port) == ["before-stop"]

        _write(server.port, "before-kill")
        server.kill()
        assert not server.is_running()
        server = start_embedded_falkordb(tmp_path)
        assert _names(server.port) == ["before-kill", "before-stop"]
    finally:
        server.stop()


def test_a_second_process_joins_the_running_server_instead_of_starting_another(
    tmp_path: Path,
) -> None:
    owner = start_embedded_falkordb(tmp_path)
    try:
        # Same process: pretend the state file was written by someone else still alive.
        joined = start_embedded_falkordb(tmp_path)
        assert joined.port == owner.port and joined.pid == owner.pid
    finally:
        owner.stop()
    assert not owner.is_running()


def test_a_server_left_by_a_dead_owner_is_adopted_and_stopped(tmp_path: Path) -> None:
    orphan = start_embedded_falkordb(tmp_path)
    # Rewrite the state as if the owner process had died.
    state = tmp_path / "graph" / "server.json"
    state.write_text(
        state.read_text().replace(f'"owner_pid": {os.getpid()}', '"owner_pid": 999999')
    )
    adopted = start_embedded_falkordb(tmp_path)
    assert adopted.pid == orphan.pid and adopted.owned
    adopted.stop()
    assert not orphan.is_running()
    if orphan._process is not None:  # reap it: here the "dead owner" is this very process
        orphan._process.wait()
