"""Stakeholder upserts per second through the graph port vs. a raw `falkordb` client.

Both sides send the same batched Cypher (the statements of `graph.queries`, 500 rows a
batch) to the same FalkorDB server, each round into a fresh graph, alternating A/B so a
drifting machine affects both. Prints each side's median throughput and the port's cost
as a ratio (port time / raw time), measured in this one run.

    python -m bench.graph_upserts [--stakeholders 20000] [--rounds 5]

With GRAPH_URL=falkordb://host:port it uses that server; otherwise it starts the
embedded one in a temporary directory.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from falkordb import FalkorDB

from app.settings import load_settings
from graph import queries
from graph.embedded import start_embedded_falkordb
from graph.falkordb_store import FalkorDBStore
from graph.models import Dialect, StakeholderNode
from graph.repository import BATCH_SIZE, WorkspaceGraph, batched

ACCOUNTS = 50


def make_stakeholders(count: int) -> list[StakeholderNode]:
    accounts = [uuid.uuid4() for _ in range(ACCOUNTS)]
    return [
        StakeholderNode(
            uuid.uuid4(),
            accounts[index % ACCOUNTS],
            {
                "full_name": f"Person {index}",
                "title": "Director of Operations" if index % 7 else "CFO",
                "department": f"Dept {index % 12}",
                "emails": [f"person{index}@example.com"],
                "version": 1,
            },
        )
        for index in range(count)
    ]


def through_port(
    host: str, port: int, nodes: list[StakeholderNode], workspace: uuid.UUID
) -> Callable[[str], None]:
    def run(graph_name: str) -> None:
        store = FalkorDBStore(host, port, graph_name)
        store.ensure_schema()
        WorkspaceGraph(store, workspace).upsert_stakeholders(nodes)
        store.close()

    return run


def through_raw_client(
    host: str, port: int, nodes: list[StakeholderNode], workspace: uuid.UUID
) -> Callable[[str], None]:
    detach = queries.DETACH_STAKEHOLDERS_FROM_OTHER_ACCOUNTS.text(Dialect.FALKORDB)
    upsert = queries.UPSERT_STAKEHOLDERS.text(Dialect.FALKORDB)

    def run(graph_name: str) -> None:
        client = FalkorDB(host=host, port=port)
        graph = client.select_graph(graph_name)
        FalkorDBStore(host, port, graph_name).ensure_schema()
        rows = [
            {"id": str(n.id), "account_id": str(n.account_id), "properties": n.properties}
            for n in nodes
        ]
        for batch in batched(rows, BATCH_SIZE):
            graph.query(detach, {"rows": batch, "workspace_id": str(workspace)})
        for batch in batched(rows, BATCH_SIZE):
            graph.query(upsert, {"rows": batch, "workspace_id": str(workspace)})
        client.connection.close()

    return run


def timed(action: Callable[[str], None], host: str, port: int) -> float:
    graph_name = f"bench_{uuid.uuid4().hex[:10]}"
    started = time.perf_counter()
    action(graph_name)
    elapsed = time.perf_counter() - started
    FalkorDBStore(host, port, graph_name).delete_graph()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stakeholders", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    endpoint = load_settings().graph_endpoint
    server = None
    if endpoint is None:
        server = start_embedded_falkordb(Path(tempfile.mkdtemp(prefix="bench-graph-")))
        host, port = server.host, server.port
    else:
        host, port = endpoint.host, endpoint.port
    try:
        nodes = make_stakeholders(args.stakeholders)
        workspace = uuid.uuid4()
        port_run = through_port(host, port, nodes, workspace)
        raw_run = through_raw_client(host, port, nodes, workspace)
        timed(port_run, host, port)  # warm-up, not counted
        timed(raw_run, host, port)
        port_times, raw_times, ratios = [], [], []
        for _ in range(args.rounds):
            port_time = timed(port_run, host, port)
            raw_time = timed(raw_run, host, port)
            port_times.append(port_time)
            raw_times.append(raw_time)
            ratios.append(port_time / raw_time)
        count = args.stakeholders
        print(f"stakeholders per run: {count}, batch size {BATCH_SIZE}, rounds {args.rounds}")
        print(f"graph port : {count / statistics.median(port_times):9.0f} upserts/s (median)")
        print(f"raw client : {count / statistics.median(raw_times):9.0f} upserts/s (median)")
        print(
            f"port/raw time ratio: median {statistics.median(ratios):.3f} "
            f"(min {min(ratios):.3f}, max {max(ratios):.3f}); target < 1.20"
        )
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
