"""docker-compose.yml cannot run here (no Docker engine); check what can be checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_every_variable_the_service_gets_is_a_setting() -> None:
    environment = compose()["services"]["api"]["environment"]
    assert set(environment) <= set(Settings.model_fields)
    settings = load_settings(**{k: str(v) for k, v in environment.items()})
    assert settings.graph_endpoint is not None
    assert settings.graph_endpoint.backend == "neo4j"
    assert settings.sqlalchemy_url is not None


def test_the_service_waits_for_healthy_postgres_16_and_neo4j_5() -> None:
    services = compose()["services"]
    assert services["postgres"]["image"] == "postgres:16"
    assert services["neo4j"]["image"].startswith("neo4j:5")
    for store in ("postgres", "neo4j"):
        assert "healthcheck" in services[store]
        assert services["api"]["depends_on"][store] == {"condition": "service_healthy"}
    assert services["api"]["build"] == "."
    assert (ROOT / "Dockerfile").exists()


def test_the_dockerfile_copies_every_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("app", "graph", "scoring", "plans", "connectors", "migrations"):
        assert f"COPY {package} ./{package}" in dockerfile
