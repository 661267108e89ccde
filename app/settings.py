"""The one place configuration is read, validated and defaulted.

Every value comes from the environment (or a `.env` file in the working directory).
A malformed value stops start-up with a message that names the variable and says what
is wrong with it (see `load_settings`).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs
from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError, describe_validation_error
from graph.endpoint import GraphBackend, GraphEndpoint, parse_graph_url

POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("stakeholder-intel", appauthor=False))


class Settings(BaseSettings):
    """Service configuration. Field names are the environment variable names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    DATABASE_URL: str | None = Field(
        default=None,
        description="PostgreSQL URL. Unset: an embedded PostgreSQL is started under DATA_DIR.",
    )
    GRAPH_URL: str | None = Field(
        default=None,
        description=(
            "falkordb://host:port, or neo4j:// / neo4j+s:// / bolt:// with user and password. "
            "Unset: an embedded FalkorDB is started under DATA_DIR."
        ),
    )
    GRAPH_DATABASE: str | None = Field(
        default=None,
        description="Graph name (FalkorDB, default 'stakeholders') or database (Neo4j, 'neo4j').",
        min_length=1,
        max_length=63,
        pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$",
    )
    GRAPH_APPENDFSYNC: str = Field(
        default="everysec",
        description="Embedded FalkorDB durability: 'always' or 'everysec'.",
        pattern=r"^(always|everysec)$",
    )
    DATA_DIR: Path = Field(default_factory=default_data_dir)

    LOG_LEVEL: str = Field(
        default="WARNING",
        description="Log level of the service and its stores (INFO shows the stores' start-up).",
        pattern=r"^(DEBUG|INFO|WARNING|ERROR)$",
    )
    HOST: str = "127.0.0.1"
    PORT: int = Field(default=8000, ge=1, le=65535)
    MAX_REQUEST_BYTES: int = Field(
        default=2_000_000, ge=1_024, description="Request bodies larger than this get 413."
    )
    BOOTSTRAP_API_KEY: SecretStr | None = Field(
        default=None,
        description="If set, `serve` ensures this admin key exists for BOOTSTRAP_WORKSPACE.",
    )
    BOOTSTRAP_WORKSPACE: str = "default"

    BACKGROUND_WORKERS: bool = Field(
        default=True,
        description=(
            "Whether `serve` also runs the background workers (outbox, CRM sync, resuming "
            "stored conversations); false for API processes when a `worker` process runs them."
        ),
    )
    PROJECTOR_POLL_SECONDS: float = Field(default=0.5, gt=0, le=60)
    PROJECTOR_BATCH_SIZE: int = Field(default=200, ge=1, le=5_000)
    RESUME_STORED_AFTER_SECONDS: float = Field(
        default=300.0,
        ge=0,
        le=86_400,
        description=(
            "A conversation still `stored` this long after it arrived (its processing failed, "
            "or the process died) is finished by the background workers."
        ),
    )
    STORE_TIMEOUT_SECONDS: float = Field(default=10.0, gt=0, le=300)

    MAX_CONVERSATION_CHARS: int = Field(default=400_000, ge=1_000, le=10_000_000)
    MAX_CONVERSATION_TURNS: int = Field(default=5_000, ge=1, le=100_000)
    MAX_PARTICIPANTS: int = Field(default=200, ge=1, le=10_000)

    ANTHROPIC_API_KEY: SecretStr | None = Field(
        default=None,
        description="Set it to extract with Claude; unset, the rule-based extractor is used.",
    )
    ANTHROPIC_BASE_URL: str | None = None
    ANTHROPIC_MODEL: str = "claude-sonnet-5-5"
    ANTHROPIC_MAX_TOKENS: int = Field(default=8_000, ge=256, le=64_000)
    ANTHROPIC_TIMEOUT_SECONDS: float = Field(default=120.0, gt=0, le=900)
    ANTHROPIC_MAX_RETRIES: int = Field(default=3, ge=0, le=10)
    # USD per million tokens, for the cost stored with each conversation.
    ANTHROPIC_PRICE_INPUT: float = Field(default=3.0, ge=0)
    ANTHROPIC_PRICE_OUTPUT: float = Field(default=15.0, ge=0)
    ANTHROPIC_PRICE_CACHE_WRITE: float = Field(default=3.75, ge=0)
    ANTHROPIC_PRICE_CACHE_READ: float = Field(default=0.30, ge=0)

    RELATIONSHIP_WEIGHT_FREQUENCY: float = Field(default=4.0, ge=0, le=10)
    RELATIONSHIP_WEIGHT_ENGAGEMENT: float = Field(default=3.0, ge=0, le=10)
    RELATIONSHIP_WEIGHT_TRUST: float = Field(default=3.0, ge=0, le=10)
    RELATIONSHIP_HALF_LIFE_DAYS: float = Field(default=60.0, gt=0, le=3650)

    NOTION_TOKEN: SecretStr | None = Field(
        default=None,
        description="Notion integration token; `notion setup` stores it with the connection.",
    )
    NOTION_BASE_URL: str = Field(default="https://api.notion.com", pattern=r"^https?://\S+$")
    NOTION_REQUESTS_PER_SECOND: float = Field(
        default=3.0, gt=0, le=1_000, description="Our pace; Notion allows about 3 a second."
    )
    NOTION_BURST: int = Field(default=3, ge=1, le=100)
    NOTION_TIMEOUT_SECONDS: float = Field(default=30.0, gt=0, le=300)
    NOTION_MAX_ATTEMPTS: int = Field(default=8, ge=1, le=50)
    NOTION_MAX_WAIT_SECONDS: float = Field(
        default=120.0, gt=0, le=3_600, description="Longest a request keeps being retried."
    )
    SYNC_POLL_SECONDS: float = Field(default=30.0, gt=0, le=3_600)
    SYNC_RECONCILE_HOURS: float = Field(default=6.0, gt=0, le=24 * 30)
    SYNC_BATCH_SIZE: int = Field(default=100, ge=1, le=1_000)

    def notion_options(self) -> dict[str, object]:
        """Connector options of this deployment (pace, timeouts, where Notion is)."""
        return {
            "base_url": self.NOTION_BASE_URL,
            "requests_per_second": self.NOTION_REQUESTS_PER_SECOND,
            "burst": self.NOTION_BURST,
            "timeout_seconds": self.NOTION_TIMEOUT_SECONDS,
            "max_attempts": self.NOTION_MAX_ATTEMPTS,
            "max_wait_seconds": self.NOTION_MAX_WAIT_SECONDS,
        }

    @field_validator("DATABASE_URL")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme not in POSTGRES_SCHEMES:
            raise ValueError(
                f"must start with one of {', '.join(s + '://' for s in POSTGRES_SCHEMES)}"
                f" (got scheme {parts.scheme!r})"
            )
        if not parts.hostname and "host=" not in parts.query:
            raise ValueError("names no host (postgresql://user@host:5432/dbname)")
        if not parts.path.strip("/"):
            raise ValueError("names no database (postgresql://user@host:5432/dbname)")
        return value

    @field_validator("GRAPH_URL")
    @classmethod
    def _check_graph_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parse_graph_url(value)
        return value

    @model_validator(mode="after")
    def _check_relationship_weights(self) -> Settings:
        total = (
            self.RELATIONSHIP_WEIGHT_FREQUENCY
            + self.RELATIONSHIP_WEIGHT_ENGAGEMENT
            + self.RELATIONSHIP_WEIGHT_TRUST
        )
        if abs(total - 10.0) > 1e-6:
            raise ValueError(
                "RELATIONSHIP_WEIGHT_FREQUENCY + _ENGAGEMENT + _TRUST must add up to 10 "
                f"(the score's maximum); they add up to {total:g}"
            )
        return self

    @model_validator(mode="after")
    def _check_data_dir(self) -> Settings:
        if self.DATA_DIR.exists() and not self.DATA_DIR.is_dir():
            raise ValueError(f"DATA_DIR {self.DATA_DIR} exists and is not a directory")
        return self

    @cached_property
    def graph_endpoint(self) -> GraphEndpoint | None:
        return parse_graph_url(self.GRAPH_URL) if self.GRAPH_URL else None

    @property
    def graph_name(self) -> str:
        if self.GRAPH_DATABASE:
            return self.GRAPH_DATABASE
        endpoint = self.graph_endpoint
        return "neo4j" if endpoint and endpoint.backend is GraphBackend.NEO4J else "stakeholders"

    @property
    def sqlalchemy_url(self) -> str | None:
        return to_sqlalchemy_url(self.DATABASE_URL) if self.DATABASE_URL else None


def to_sqlalchemy_url(url: str) -> str:
    """Make any accepted Postgres URL use the psycopg 3 driver."""
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme != "postgresql+psycopg" else url


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise `ConfigError` naming each bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {describe_validation_error(exc)}") from None
