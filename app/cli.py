"""The `stakeholder-intel` command."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table
from rich.text import Text

from app import preflight
from app.cli_support import err, out
from app.cli_support import settings as _settings
from app.cli_support import with_runtime as _with_runtime
from app.cli_sync import notion_cli, sync_cli
from app.runtime import Runtime
from core.db import unit_of_work
from core.errors import AppError, ConfigError, InvalidInput, describe_validation_error
from core.tenancy import service as tenancy
from core.tenancy.models import Scope

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

cli.add_typer(notion_cli, name="notion")
cli.add_typer(sync_cli, name="sync")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default: HOST)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default: PORT)")] = None,
    demo: Annotated[
        bool, typer.Option(help="Load the demo workspace and print its API key")
    ] = False,
) -> None:
    """Start the API and, unless BACKGROUND_WORKERS is false, the background workers
    (starting embedded stores when unconfigured)."""
    import uvicorn

    from app.demo import load_demo
    from app.main import create_app

    settings = _settings()
    host, port = host or settings.HOST, port or settings.PORT
    # The port is taken first: a busy one stops the command before any store starts.
    with preflight.listening_socket(host, port) as listener, Runtime.start(settings) as runtime:
        _bootstrap_key(runtime)
        key = load_demo(runtime) if demo else None
        if settings.BACKGROUND_WORKERS:
            runtime.start_background_workers()
        out.print(
            f"database: {runtime.database_url.split('@')[-1]}  graph: {runtime.graph_url}",
            soft_wrap=True,
            highlight=False,
        )
        # uvicorn re-raises SIGTERM after its graceful shutdown; turn it into SystemExit so
        # leaving the `with` still stops the embedded stores.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        config = uvicorn.Config(create_app(runtime), log_level=settings.LOG_LEVEL.lower())
        _print_ready(host, port, key)
        uvicorn.Server(config).run(sockets=[listener])


def _print_ready(host: str, port: int, demo_key: str | None) -> None:
    """Last, one line each: the URL and the demo key, as shell assignments to paste."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)
    url = f"http://{shown}:{port}"
    lines = [f"ready: the page is at {url}/app/, the API's documentation at {url}/docs"]
    lines.append(f"URL={url}")
    if demo_key is not None:
        lines.append(f"KEY={demo_key}")
    for line in lines:
        out.print(line, soft_wrap=True, highlight=False, markup=False)


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
    """Run the background workers in the foreground until interrupted: the outbox workers
    (scoring, graph projection), the CRM sync, and the resumer of conversations left
    stored. For a process of its own beside the API processes; any number may run."""

    def run(runtime: Runtime) -> None:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        runtime.start_background_workers()
        out.print(
            "background workers (scoring, graph, CRM sync, stored conversations) running; "
            "Ctrl-C to stop"
        )
        while not stop.wait(1.0):
            pass

    _with_runtime(run)


IngestFile = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, readable=True, help="JSON Lines, a conversation a line"
    ),
]


@cli.command()
def ingest(
    file: IngestFile,
    workspace: Annotated[str, typer.Option(help="Workspace name (created if missing)")],
    catalogue: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, help="Set the product catalogue from this JSON first"
        ),
    ] = None,
    project: Annotated[
        bool, typer.Option(help="Project the changes to the graph at the end")
    ] = True,
) -> None:
    """Load many conversations, streaming; already-ingested ids are skipped, so an
    interrupted run resumes where it stopped."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from plans.catalogue import service as catalogue_service
    from plans.catalogue.models import Catalogue
    from plans.conversations.bulk import count_conversations, ingest_file

    def run(runtime: Runtime) -> None:
        with unit_of_work(runtime.session_factory) as session:
            target = tenancy.ensure_workspace(session, workspace)
            if catalogue is not None:
                try:
                    lines = Catalogue.model_validate_json(catalogue.read_text())
                except ValidationError as exc:
                    raise InvalidInput(f"{catalogue}: {describe_validation_error(exc)}") from None
                catalogue_service.set_catalogue(session, target.id, lines)
            if not catalogue_service.catalogue(session, target.id).product_lines:
                err.print(
                    f"[yellow]workspace {workspace} has no product catalogue: no opportunity can be"
                    " created (set one with --catalogue FILE or PUT /config/catalogue)[/yellow]",
                    soft_wrap=True,
                )
        columns = (BarColumn(), MofNCompleteColumn(), "conversations", TimeRemainingColumn())
        with Progress("{task.description}", *columns, console=err) as bar:
            task = bar.add_task(f"ingesting {file.name}", total=count_conversations(file))
            report = ingest_file(
                file, target.id, runtime.ingestor, lambda done: bar.update(task, completed=done)
            )
        if project:
            runtime.drain()
        table = Table(
            "ingested", "skipped (already in)", "failed", "opportunities created", "updated"
        )
        table.add_row(
            str(report.ingested),
            str(report.skipped),
            str(report.failed),
            str(report.opportunities_created),
            str(report.opportunities_updated),
        )
        out.print(table)
        for error in report.errors:
            err.print(f"[yellow]{error}[/yellow]")
        if report.failed > len(report.errors):
            err.print(f"... and {report.failed - len(report.errors)} more failed lines")
        if report.failed:
            raise typer.Exit(1)

    _with_runtime(run)


@cli.command()
def reprocess(
    older_than_minutes: Annotated[
        int, typer.Option(min=0, help="Only conversations stored this long ago")
    ] = 5,
) -> None:
    """Finish conversations that were stored but never processed now (`serve` and
    `worker` also do it on their own, RESUME_STORED_AFTER_SECONDS after they arrived)."""

    from plans.conversations.resume import Resumer

    def run(runtime: Runtime) -> None:
        resumer = Resumer(runtime.ingestor, timedelta(minutes=older_than_minutes), 10_000)
        out.print(f"reprocessed {resumer.run_once()} conversation(s)")

    _with_runtime(run)


org_cli = typer.Typer(no_args_is_help=True, help="Organisations: import org charts and networks.")
cli.add_typer(org_cli, name="org")


@org_cli.command("import")
def org_import(
    workspace: Annotated[str, typer.Option(help="Workspace name (created if missing)")],
    account: Annotated[str, typer.Option(help="Account name (created if missing)")],
    nodes: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, help="CSV: id[,name,title,department,email]"),
    ],
    ties: Annotated[
        list[str],
        typer.Option(
            help="KIND=FILE.csv (source,target[,weight]); repeatable, e.g. reports_to=rt.csv"
        ),
    ],
) -> None:
    """Import people and their ties into an account (an org chart export, or a study's
    network); importing again updates in place."""
    from plans import repository as plans_repository
    from plans import service as accounts
    from plans.map.org_import import from_csv, import_org

    kinds: dict[str, Path] = {}
    for item in ties:
        kind, _, file = item.partition("=")
        if not file or not Path(file).is_file():
            raise InvalidInput(
                f"--ties {item!r}: expected KIND=FILE with an existing file", field="ties"
            )
        kinds[kind] = Path(file)

    def run(runtime: Runtime) -> None:
        organisation = from_csv(nodes, kinds)
        with unit_of_work(runtime.session_factory) as session:
            target = tenancy.ensure_workspace(session, workspace)
            found = plans_repository.find_account(session, target.id, name=account, domain=None)
            account_row = found or accounts.create_account(
                session, target.id, accounts.AccountCreate(name=account), origin="import"
            )
            counts = import_org(session, target.id, account_row.id, organisation)
        runtime.drain()
        out.print(f"imported {counts['people']} people and {counts['ties']} ties into {account}")

    _with_runtime(run)


demo_cli = typer.Typer(no_args_is_help=True, help="The demo workspace.")
cli.add_typer(demo_cli, name="demo")


@demo_cli.command("load")
def demo_load() -> None:
    """Create the demo workspace and ingest its conversations through the real pipeline."""
    from app.demo import load_demo

    def run(runtime: Runtime) -> None:
        key = load_demo(runtime)
        runtime.drain()
        out.print(f"demo workspace ready; API key: [green]{key}[/green]")

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
    from core.tenancy import repository

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
    from plans.map.rebuild import rebuild_workspace

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
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        cli()
    except ConfigError as exc:
        _print_error(exc)
        sys.exit(2)
    except AppError as exc:
        _print_error(exc)
        sys.exit(1)


def _print_error(exc: AppError) -> None:
    # One line, however narrow the terminal, and the message is text (never rich markup).
    err.print(Text.assemble(("error:", "red"), " ", exc.message), soft_wrap=True)
