"""Centrality of one account's influence graph (networkx).

Edges point from a person to the person they look to: u -> v means u defers to, reports
to, or is influenced by v. Weighted PageRank then rewards the people others look to, and
betweenness rewards the brokers between groups. Betweenness is exact up to
EXACT_BETWEENNESS_LIMIT nodes (exact costs O(n*m): about a second at 1,000 people with
typical org density) and estimated above from BETWEENNESS_SAMPLES seeded source nodes, whose
error on the top-ranked brokers is small at that sample size (Brandes & Pich 2007).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

EXACT_BETWEENNESS_LIMIT = 1_000
BETWEENNESS_SAMPLES = 500
SEED = 7


def influence_graph(
    edges: Iterable[tuple[Hashable, Hashable, float]], nodes: Iterable[Hashable] = ()
) -> nx.DiGraph[Hashable]:
    graph: nx.DiGraph[Hashable] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    for source, target, weight in edges:
        if source == target:
            continue
        previous = graph.get_edge_data(source, target, {}).get("weight", 0.0)
        graph.add_edge(source, target, weight=previous + weight)
    return graph


def pagerank(graph: nx.DiGraph[Hashable]) -> dict[Hashable, float]:
    """Weighted PageRank, scaled so the top person has 1.0 (empty graph: {})."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_edges() == 0:
        return dict.fromkeys(graph.nodes, 0.0)
    ranks = nx.pagerank(graph, weight="weight")
    top = max(ranks.values())
    return {node: value / top for node, value in ranks.items()}


def betweenness(graph: nx.DiGraph[Hashable]) -> dict[Hashable, float]:
    """Weighted betweenness on the undirected graph (brokerage does not care who looks to
    whom), scaled so the top broker has 1.0. Edge lengths are 1/weight: a strong tie is a
    short way through."""
    if graph.number_of_nodes() < 3:
        return dict.fromkeys(graph.nodes, 0.0)
    undirected: nx.Graph[Hashable] = nx.Graph()
    undirected.add_nodes_from(graph.nodes)
    for source, target, data in graph.edges(data=True):
        weight = data.get("weight", 1.0) + (
            undirected.get_edge_data(source, target, {}).get("weight", 0.0)
        )
        undirected.add_edge(source, target, weight=weight, length=1.0 / max(weight, 1e-9))
    sample = (
        None if undirected.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT else BETWEENNESS_SAMPLES
    )
    values = nx.betweenness_centrality(undirected, k=sample, weight="length", seed=SEED)
    top = max(values.values(), default=0.0)
    return {node: (value / top if top else 0.0) for node, value in values.items()}
