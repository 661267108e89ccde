"""Published organisational networks, as imports through the project's own path."""

from __future__ import annotations

import csv

import networkx as nx

from plans.map.org_import import OrgImport, from_csv, from_edges
from tests.support.shared_data import shared_data_dir

ORG_NETWORKS = shared_data_dir() / "org-networks"
LEVEL_TITLES = {"1": "CEO", "2": "Vice President", "3": "Manager"}


def florentine() -> OrgImport:
    graph = nx.florentine_families_graph()
    return from_edges(
        [(n, {"name": n}) for n in graph.nodes],
        [(u, v, 1.0) for u, v in graph.edges],
        "allied_with",
    )


def karate() -> OrgImport:
    graph = nx.karate_club_graph()
    return from_edges(
        [
            (str(n), {"name": f"Member {n}", "department": graph.nodes[n]["club"]})
            for n in graph.nodes
        ],
        [(str(u), str(v), float(data.get("weight", 1.0))) for u, v, data in graph.edges(data=True)],
        "allied_with",
    )


def krackhardt(with_titles: bool) -> tuple[OrgImport, dict[str, int]]:
    """The 21 managers with their advice, friendship and reports-to ties; titles from the
    formal level when `with_titles` (as a customer's org chart would carry them)."""
    folder = ORG_NETWORKS / "krackhardt-hightech"
    with (folder / "nodes.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    levels = {row["id"]: int(row["level"]) for row in rows}
    nodes = folder / ("nodes.csv")
    organisation = from_csv(
        nodes,
        {
            "advice": folder / "edges_advice.csv",
            "friendship": folder / "edges_friendship.csv",
            "reports_to": folder / "edges_reports_to.csv",
        },
    )
    people = [
        p.model_copy(
            update={
                "name": f"Manager {p.ref}",
                "title": LEVEL_TITLES[str(levels[p.ref])] if with_titles else None,
            }
        )
        for p in organisation.people
    ]
    return organisation.model_copy(update={"people": people}), levels


def enron() -> OrgImport:
    folder = ORG_NETWORKS / "enron-perry-wolfe"
    return from_csv(folder / "nodes.csv", {"email": folder / "edges_email.csv"})


def email_eu_core() -> OrgImport:
    folder = ORG_NETWORKS / "email-eu-core"
    return from_csv(folder / "nodes.csv", {"email": folder / "edges_email.csv"})
