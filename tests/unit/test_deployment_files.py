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


SERVICE_PROCESSES = ("api", "worker")


def settings_of(service: str) -> Settings:
    environment = compose()["services"][service]["environment"]
    assert set(environment) <= set(Settings.model_fields), service
    return load_settings(**{k: str(v) for k, v in environment.items()})


def test_every_variable_the_service_gets_is_a_setting() -> None:
    for service in SERVICE_PROCESSES:
        settings = settings_of(service)
        assert settings.graph_endpoint is not None
        assert settings.graph_endpoint.backend == "neo4j"
        assert settings.sqlalchemy_url is not None


def test_the_service_waits_for_healthy_postgres_16_and_neo4j_5() -> None:
    services = compose()["services"]
    assert services["postgres"]["image"] == "postgres:16"
    assert services["neo4j"]["image"].startswith("neo4j:5")
    for store in ("postgres", "neo4j"):
        assert "healthcheck" in services[store]
        for service in SERVICE_PROCESSES:
            assert services[service]["depends_on"][store] == {"condition": "service_healthy"}
    for service in SERVICE_PROCESSES:
        assert services[service]["build"] == "."
    assert (ROOT / "Dockerfile").exists()


def test_two_api_replicas_and_one_worker_share_one_postgres_and_one_graph() -> None:
    services = compose()["services"]
    api, worker = services["api"], services["worker"]
    assert api["deploy"]["replicas"] == 2
    assert api["ports"] == ["8000-8001:8000"]  # one host port a replica
    assert worker["command"] == ["stakeholder-intel", "worker"]
    assert worker.get("deploy", {}).get("replicas", 1) == 1 and "ports" not in worker
    api_settings, worker_settings = settings_of("api"), settings_of("worker")
    assert api_settings.sqlalchemy_url == worker_settings.sqlalchemy_url
    assert api_settings.graph_endpoint == worker_settings.graph_endpoint
    assert api_settings.graph_name == worker_settings.graph_name
    # The API replicas answer requests; the worker does the background work.
    assert not api_settings.BACKGROUND_WORKERS


def test_the_dockerfile_copies_every_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("app", "graph", "scoring", "plans", "connectors", "migrations"):
        assert f"COPY {package} ./{package}" in dockerfile
