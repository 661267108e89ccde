"""Score recomputation and path queries on synthetic organisations of 200, 2,000 and
20,000 stakeholders, against the bare networkx computation on the same graph.

An organisation: a reports-to hierarchy (spans of 3-8, titles by level, departments),
people deferring to their manager's manager, influence ties between peers and across
departments, alliances. For each size, in one run:
- full score recomputation of the account (Postgres reads, centrality, three scores with
  evidence, writes) against networkx PageRank + betweenness alone on the same graph;
- path queries through the graph store (shortest and strongest, random pairs) against
  the same queries in networkx in memory (BFS; Dijkstra on -ln weight).

    python -m bench.org_scale [--sizes 200 2000 20000] [--pairs 30]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import networkx as nx

from app.runtime import Runtime
from app.settings import load_settings
from core.db import unit_of_work
from core.tenancy import service as tenancy
from graph.repository import WorkspaceGraph
from plans import service as accounts
from plans.map import repository as map_repository
from plans.map.org_import import OrgImport, OrgPerson, OrgTie, import_org
from plans.map.scores import looks_to, recompute_account
from scoring.centrality import betweenness, influence_graph, pagerank

TITLES = [
    "CEO",
    "SVP",
    "Vice President",
    "Director",
    "Senior Manager",
    "Manager",
    "Senior Engineer",
    "Analyst",
]
DEPARTMENTS = ["Finance", "IT", "Operations", "Sales", "Legal", "Security", "Data", "HR"]


def organisation(size: int, seed: int = 11) -> OrgImport:
    rng = random.Random(seed)
    people = [OrgPerson(ref="0", name="Person 0", title="CEO", department="Executive")]
    levels = {"0": 0}
    ties: list[OrgTie] = []
    frontier = ["0"]
    while len(people) < size:
        next_frontier = []
        for manager in frontier:
            for _ in range(rng.randint(3, 8)):
                if len(people) >= size:
                    break
                ref = str(len(people))
                level = min(levels[manager] + 1, len(TITLES) - 1)
                levels[ref] = level
                department = (
                    DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
                    if level == 1
                    else next(p.department for p in people if p.ref == manager)
                    if size <= 2000
                    else DEPARTMENTS[hash(manager) % len(DEPARTMENTS)]
                )
                people.append(
                    OrgPerson(
                        ref=ref, name=f"Person {ref}", title=TITLES[level], department=department
                    )
                )
                ties.append(OrgTie(source=ref, target=manager, kind="reports_to", weight=1.0))
                next_frontier.append(ref)
        frontier = next_frontier
    managers = {t.source: t.target for t in ties}
    refs = [p.ref for p in people]
    for ref in refs[1:]:
        boss = managers.get(managers.get(ref, ""), "")
        if boss and rng.random() < 0.3:
            ties.append(
                OrgTie(
                    source=ref,
                    target=boss,
                    kind="defers_to",
                    weight=round(rng.uniform(0.4, 0.9), 2),
                )
            )
        for _ in range(rng.randint(0, 2)):
            other = refs[rng.randrange(len(refs))]
            if other != ref:
                kind = "influences" if rng.random() < 0.6 else "allied_with"
                ties.append(
                    OrgTie(
                        source=ref, target=other, kind=kind, weight=round(rng.uniform(0.2, 0.9), 2)
                    )
                )
    return OrgImport(people=people, ties=ties)


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--pairs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings(
        DATA_DIR=Path(tempfile.mkdtemp(prefix="bench-scale-")), STORE_TIMEOUT_SECONDS=120
    )
    with Runtime.start(settings) as runtime:
        with unit_of_work(runtime.session_factory) as session:
            workspace_id = tenancy.ensure_workspace(session, f"scale-{uuid.uuid4().hex[:6]}").id
        graph = WorkspaceGraph(runtime.graph, workspace_id)
        print(
            f"{'people':>7} {'edges':>7} | {'recompute':>9} {'networkx':>9} {'ratio':>6} | "
            f"{'path (store)':>12} {'path (nx)':>10} {'ratio':>6}"
        )
        for size in args.sizes:
            measure(runtime, graph, workspace_id, size, args.pairs, args.rounds)


def measure(
    runtime: Runtime,
    graph: WorkspaceGraph,
    workspace_id: uuid.UUID,
    size: int,
    pair_count: int,
    rounds: int,
) -> None:
    org = organisation(size)
    with unit_of_work(runtime.session_factory) as session:
        account = accounts.create_account(
            session, workspace_id, accounts.AccountCreate(name=f"Org {size}")
        )
        import_org(session, workspace_id, account.id, org)
    runtime.drain()  # scores + graph projection
    with unit_of_work(runtime.session_factory) as session:
        relations = map_repository.relations_of_account(session, workspace_id, account.id)
    ids = list({r.source_id for r in relations} | {r.target_id for r in relations})
    edges = [edge for r in relations for edge in looks_to(r)]

    def service_recompute() -> None:
        with unit_of_work(runtime.session_factory) as session:
            recompute_account(session, workspace_id, account.id, runtime.relationship_weights)

    def bare_networkx() -> None:
        directed = influence_graph(edges, nodes=ids)
        pagerank(directed)
        betweenness(directed)

    service_times = [timed(service_recompute) for _ in range(rounds)]
    bare_times = [timed(bare_networkx) for _ in range(rounds)]

    undirected: nx.Graph[uuid.UUID] = nx.Graph()
    for r in relations:
        if r.type != "OPPOSES":
            undirected.add_edge(r.source_id, r.target_id, cost=-math.log(max(r.weight, 1e-6)))
    rng = random.Random(5)
    nodes = list(undirected.nodes)
    pairs = [
        (a, b)
        for a, b in ((rng.choice(nodes), rng.choice(nodes)) for _ in range(pair_count))
        if a != b
    ]

    def store_paths() -> None:
        for a, b in pairs:
            graph.path(account.id, a, b, strongest=False)
            graph.path(account.id, a, b, strongest=True)

    def networkx_paths() -> None:
        for a, b in pairs:
            try:
                nx.shortest_path(undirected, a, b)
                nx.dijkstra_path(undirected, a, b, weight="cost")
            except nx.NetworkXNoPath:
                pass

    store = [timed(store_paths) / len(pairs) for _ in range(rounds)]
    memory = [timed(networkx_paths) / len(pairs) for _ in range(rounds)]
    recompute, bare = statistics.median(service_times), statistics.median(bare_times)
    path_store, path_memory = statistics.median(store), statistics.median(memory)
    print(
        f"{size:>7} {len(relations):>7} | {recompute:>8.2f}s {bare:>8.2f}s"
        f" {recompute / bare:>6.2f} | "
        f"{path_store * 1000:>10.1f}ms {path_memory * 1000:>8.2f}ms"
        f" {path_store / path_memory:>6.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
