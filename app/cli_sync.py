"""`stakeholder-intel notion ...` and `stakeholder-intel sync ...`: connect a workspace to
Notion, run the sync, see how it is doing."""

from __future__ import annotations

import json
import re
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.cli_support import err, out, settings, with_runtime
from app.runtime import Runtime
from connectors.mapping import SyncMapping
from connectors.notion.api import api_from_options
from connectors.notion.schema import create_databases, integration_bot_id, resolve_mapping
from connectors.sync import service
from core.db import unit_of_work
from core.errors import ConfigError, InvalidInput
from core.tenancy import service as tenancy

notion_cli = typer.Typer(no_args_is_help=True, help="The Notion connection.")
sync_cli = typer.Typer(no_args_is_help=True, help="CRM sync.")


def notion_page_id(value: str) -> str:
    """A page id (with or without dashes), or a Notion URL ending with one
    (`https://www.notion.so/acme/Sales-CRM-1a2b...?pvs=4`)."""
    last = value.split("?")[0].split("#")[0].rstrip("/").split("/")[-1].lower()
    found = re.search(r"[0-9a-f]{32}$", last.replace("-", ""))
    if not found:
        raise InvalidInput(
            f"--parent-page {value!r} is not a Notion page id or URL", field="parent_page"
        )
    return found.group(0)


@notion_cli.command("setup")
def notion_setup(
    workspace: Annotated[str, typer.Option(help="Workspace name (created if missing)")],
    parent_page: Annotated[
        str | None,
        typer.Option(
            "--parent-page", help="Create the databases under this Notion page (id or URL)"
        ),
    ] = None,
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map",
            exists=True,
            dir_okay=False,
            help="Use existing databases: a JSON mapping (columns by id or by name); it is checked",
        ),
    ] = None,
) -> None:
    """Connect a workspace to Notion with the integration token in NOTION_TOKEN: create
    the Accounts, Stakeholders, Opportunities and Action items databases, or check and
    store a mapping of existing ones."""
    if (parent_page is None) == (map_file is None):
        raise InvalidInput("give exactly one of --parent-page and --map", field="parent_page")
    config = settings()
    if config.NOTION_TOKEN is None or not config.NOTION_TOKEN.get_secret_value():
        raise ConfigError(
            "NOTION_TOKEN is not set: create an internal integration in Notion and set its token"
        )
    token = config.NOTION_TOKEN.get_secret_value()
    raw_mapping = None
    if map_file is not None:
        try:
            raw_mapping = json.loads(map_file.read_text())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"--map {map_file}: not JSON ({exc})", field="map") from None
    api = api_from_options(token, config.notion_options())
    try:
        bot_id = integration_bot_id(api)
        if raw_mapping is not None:
            mapping = resolve_mapping(api, raw_mapping)
        else:
            assert parent_page is not None
            mapping = create_databases(api, notion_page_id(parent_page))
    finally:
        api.close()

    def store(runtime: Runtime) -> None:
        with unit_of_work(runtime.session_factory) as session:
            target = tenancy.ensure_workspace(session, workspace)
            connection = service.connect(
                session, target.id, "notion", mapping, {"token": token}, {"bot_id": bot_id}
            )
        _print_mapping(mapping)
        out.print(f"connection {connection.id} for workspace {workspace}")
        out.print(
            f"webhook URL: <your service>/webhooks/notion/{connection.id} "
            "(subscribe to page and data source events; the verification token is kept)"
        )
        out.print("run the sync with: stakeholder-intel sync run (serve runs it too)")

    with_runtime(store)


def _print_mapping(mapping: SyncMapping) -> None:
    table = Table("record type", "data source", "fields")
    for entity, mapped in mapping.entities.items():
        table.add_row(entity.value, mapped.location, ", ".join(mapped.fields))
    out.print(table)


@sync_cli.command("status")
def sync_status(
    workspace: Annotated[str | None, typer.Option(help="Only this workspace")] = None,
) -> None:
    """Per connection: backlog, last success, last error, conflicts and calls made."""

    def show(runtime: Runtime) -> None:
        with unit_of_work(runtime.session_factory) as session:
            workspace_id = tenancy.get_workspace(session, workspace).id if workspace else None
            found = service.status(session, workspace_id)
        if not found:
            out.print("no CRM connections")
            return
        table = Table(
            "connection",
            "CRM",
            "backlog",
            "failing",
            "last success",
            "last error",
            "conflicts (open/all)",
            "calls",
            "paused",
        )
        for status in found:
            table.add_row(
                str(status.connection_id),
                status.connector,
                str(status.backlog),
                str(status.failing),
                status.last_success_at.isoformat(timespec="seconds")
                if status.last_success_at
                else "never",
                (status.last_error or "")[:80],
                f"{status.open_conflicts}/{status.conflicts}",
                str(status.calls.get("total", 0)),
                ", ".join(status.paused) or "",
            )
        out.print(table)

    with_runtime(show)


@sync_cli.command("run")
def sync_run(
    once: Annotated[bool, typer.Option(help="One round over all connections, then exit")] = False,
    reconcile: Annotated[bool, typer.Option(help="Force a full reconcile in that round")] = False,
) -> None:
    """Run the CRM sync in the foreground (serve also runs it in the background)."""

    def run(runtime: Runtime) -> None:
        worker = runtime.sync_worker
        if once:
            reports = worker.run_all(poll=True, reconcile=True if reconcile else None)
            for report in reports:
                out.print(
                    f"pulled {report.pulled}, pushed {report.pushed}, created in the CRM "
                    f"{report.created_remote}, created here {report.created_local}, "
                    f"deletes {report.trashed}, conflicts {report.conflicts}, "
                    f"calls {report.calls.get('total', 0)}"
                )
            failed = [report.error for report in reports if report.error]
            for error in failed:
                err.print(f"[red]error:[/red] {error}")
            if failed:
                raise typer.Exit(1)
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        out.print("CRM sync running; Ctrl-C to stop")
        while not stop.is_set():
            if worker.run_once() == 0:
                stop.wait(1.0)

    with_runtime(run)
