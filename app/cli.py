"""The `stakeholder-intel` command."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from app.db import unit_of_work
from app.errors import AppError, ConfigError
from app.runtime import Runtime
from app.settings import Settings, load_settings
from app.tenancy import service as tenancy
from app.tenancy.models import Scope

cli = typer.Typer(
    no_args_is_help=True, help="Stakeholder intelligence service.", pretty_exceptions_enable=False
)
db_cli = typer.Typer(no_args_is_help=True, help="Database schema.")
keys_cli = typer.Typer(no_args_is_help=True, help="API keys.")
workspaces_cli = typer.Typer(no_args_is_help=True, help="Workspaces (tenants).")
graph_cli = typer.Typer(no_args_is_help=True, help="The property graph.")
cli.add_typer(db_cli, name="db")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(workspaces_cli, name="workspaces")
cli.add_typer(graph_cli, name="graph")

out = Console()
err = Console(stderr=True)
T = TypeVar("T")


def _settings() -> Settings:
    return load_settings()


def _with_runtime(action: Callable[[Runtime], T], *, migrate: bool = True) -> T:
    runtime = Runtime.start(_settings(), migrate_database=migrate)
    try:
        return action(runtime)
    finally:
        runtime.stop()


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default: HOST)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default: PORT)")] = None,
    demo: Annotated[
        bool, typer.Option(help="Load the demo workspace and print its API key")
    ] = False,
) -> None:
    """Start the API and the graph projector (starting embedded stores when unconfigured)."""
    import uvicorn

    from app.demo import load_demo
    from app.main import create_app

    settings = _settings()
    runtime = Runtime.start(settings)
    try:
        _bootstrap_key(runtime)
        if demo:
            key = load_demo(runtime)
            out.print(f"[bold]demo workspace ready[/bold]; API key: [green]{key}[/green]")
        runtime.start_projector()
        out.print(f"database: {runtime.database_url.split('@')[-1]}  graph: {runtime.graph_url}")
        # uvicorn re-raises SIGTERM after its graceful shutdown; turn it into SystemExit so
        # the `finally` below still stops the embedded stores.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        uvicorn.run(
            create_app(runtime),
            host=host or settings.HOST,
            port=port or settings.PORT,
            log_level="info",
        )
    finally:
        runtime.stop()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _bootstrap_key(runtime: Runtime) -> None:
    secret = runtime.settings.BOOTSTRAP_API_KEY
    if secret is None:
        return
    with unit_of_work(runtime.session_factory) as session:
        workspace = tenancy.ensure_workspace(session, runtime.settings.BOOTSTRAP_WORKSPACE)
        tenancy.ensure_key(session, workspace, secret.get_secret_value(), [Scope.ADMIN])


@cli.command()
def worker() -> None:
    """Run the graph projector in the foreground until interrupted."""

    def run(runtime: Runtime) -> None:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        projector = runtime.projector()
        out.print("graph projector running; Ctrl-C to stop")
        while not stop.is_set():
            try:
                if projector.run_once() == 0:
                    stop.wait(runtime.settings.PROJECTOR_POLL_SECONDS)
            except AppError as exc:
                err.print(f"projector: {exc.message}")
                stop.wait(runtime.settings.PROJECTOR_POLL_SECONDS)

    _with_runtime(run)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database schema to the newest revision."""
    from app import migrate

    def run(runtime: Runtime) -> None:
        out.print(f"schema at {migrate.status(runtime.engine).current}")

    _with_runtime(run)


@db_cli.command("status")
def db_status() -> None:
    """Show the schema revision and the newest one this code knows."""
    from app import migrate

    def run(runtime: Runtime) -> None:
        status = migrate.status(runtime.engine)
        out.print(f"current: {status.current}  head: {status.head}")
        if not status.is_current:
            raise typer.Exit(1)

    _with_runtime(run, migrate=False)


@workspaces_cli.command("create")
def workspaces_create(name: str) -> None:
    """Create a workspace."""

    def run(runtime: Runtime) -> None:
        with unit_of_work(runtime.session_factory) as session:
            workspace = tenancy.create_workspace(session, name)
        out.print(f"workspace {workspace.name} ({workspace.id})")

    _with_runtime(run)


@workspaces_cli.command("list")
def workspaces_list() -> None:
    """List workspaces."""
    from app.tenancy import repository

    def run(runtime: Runtime) -> None:
        table = Table("name", "id", "created")
        with unit_of_work(runtime.session_factory) as session:
            for workspace in repository.list_workspaces(session):
                table.add_row(workspace.name, str(workspace.id), workspace.created_at.isoformat())
        out.print(table)

    _with_runtime(run)


@keys_cli.command("create")
def keys_create(
    workspace: Annotated[str, typer.Option(help="Workspace name (created if missing)")],
    scope: Annotated[list[Scope], typer.Option(help="read, write or admin; repeatable")],
    name: Annotated[str, typer.Option(help="A label for the key")] = "api key",
) -> None:
    """Create an API key and print it once; only its hash is stored."""

    def run(runtime: Runtime) -> None:
        with unit_of_work(runtime.session_factory) as session:
            target = tenancy.ensure_workspace(session, workspace)
            issued = tenancy.issue_key(session, target, scope, name)
        err.print(
            f"key for workspace {issued.workspace.name} with scopes "
            f"{', '.join(sorted(issued.scopes))} (shown once; store it now):"
        )
        print(issued.secret)

    _with_runtime(run)


@keys_cli.command("revoke")
def keys_revoke(
    workspace: Annotated[str, typer.Option(help="Workspace name")],
    key: Annotated[str, typer.Argument(help="The key, or its 12-character prefix")],
) -> None:
    """Revoke an API key."""

    def run(runtime: Runtime) -> None:
        with unit_of_work(runtime.session_factory) as session:
            tenancy.revoke_key(session, tenancy.get_workspace(session, workspace), key)
        out.print("revoked")

    _with_runtime(run)


@graph_cli.command("rebuild")
def graph_rebuild(
    workspace: Annotated[str, typer.Option(help="Workspace name")],
) -> None:
    """Rebuild a workspace's graph from Postgres alone."""
    from graph.service import rebuild_workspace

    def run(runtime: Runtime) -> None:
        with unit_of_work(runtime.session_factory) as session:
            target = tenancy.get_workspace(session, workspace)
            report = rebuild_workspace(session, runtime.graph, target.id)
        out.print(
            f"rebuilt graph of {workspace}: {report.accounts} accounts, "
            f"{report.stakeholders} stakeholders"
        )

    _with_runtime(run)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        cli()
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        sys.exit(2)
    except AppError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        sys.exit(1)
