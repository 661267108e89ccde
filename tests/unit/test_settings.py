from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import load_settings
from core.errors import ConfigError
from graph.endpoint import GraphBackend


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("DATABASE_URL", "mysql://root@localhost/db", "DATABASE_URL: must start with one of"),
        ("DATABASE_URL", "postgresql://localhost", "DATABASE_URL: names no database"),
        ("GRAPH_URL", "redis://localhost:6379", "GRAPH_URL: must start with one of"),
        ("GRAPH_URL", "neo4j://db.example.com:7687", "GRAPH_URL: needs a user and password"),
        ("GRAPH_URL", "falkordb://localhost:notaport", "GRAPH_URL: has an invalid port"),
        ("PORT", "99999", "PORT: Input should be less than or equal to 65535"),
        ("GRAPH_APPENDFSYNC", "no", "GRAPH_APPENDFSYNC: String should match pattern"),
        ("MAX_REQUEST_BYTES", "ten", "MAX_REQUEST_BYTES: Input should be a valid integer"),
    ],
)
def test_a_malformed_value_names_the_variable_and_the_problem(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, complaint: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert complaint in raised.value.message


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "not-a-dir"
    file.write_text("x")
    with pytest.raises(ConfigError, match="DATA_DIR"):
        load_settings(DATA_DIR=file)


def test_graph_urls_select_the_backend_and_default_names() -> None:
    falkor = load_settings(GRAPH_URL="falkordb://graph.internal:6380")
    assert falkor.graph_endpoint is not None
    assert falkor.graph_endpoint.backend is GraphBackend.FALKORDB
    assert (falkor.graph_endpoint.host, falkor.graph_endpoint.port) == ("graph.internal", 6380)
    assert falkor.graph_name == "stakeholders"

    neo = load_settings(GRAPH_URL="neo4j+s://neo4j:s%40cret@abc.databases.neo4j.io")
    assert neo.graph_endpoint is not None
    assert neo.graph_endpoint.backend is GraphBackend.NEO4J
    assert neo.graph_endpoint.username == "neo4j"
    assert neo.graph_endpoint.password is not None
    assert neo.graph_endpoint.password.get_secret_value() == "s@cret"
    assert neo.graph_endpoint.url == "neo4j+s://abc.databases.neo4j.io:7687"
    assert neo.graph_name == "neo4j"


def test_unset_urls_mean_embedded_stores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("GRAPH_URL", raising=False)
    settings = load_settings()
    assert settings.sqlalchemy_url is None
    assert settings.graph_endpoint is None


def test_postgres_urls_are_given_the_psycopg_driver() -> None:
    settings = load_settings(DATABASE_URL="postgres://u:p@db:5432/sales")
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db:5432/sales"
