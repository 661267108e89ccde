"""Centrality of one account's influence graph (networkx).

Edges point from a person to the person they look to: u -> v means u defers to, reports
to, or is influenced by v. Weighted PageRank then rewards the people others look to, and
betweenness rewards the brokers between groups.

Betweenness is exact up to EXACT_BETWEENNESS_LIMIT people. An account's political map
rarely has more than a few hundred people, and exact weighted betweenness at 300 costs
about 0.3 s (O(n*m log n)). Above that it is estimated from BETWEENNESS_SAMPLES source
nodes drawn with a fixed seed (so the same graph always gets the same scores): cost
O(k*m log n), and ~100+ pivots keep the ranking of the top brokers stable (Brandes &
Pich 2007), which is what the influence score uses.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

EXACT_BETWEENNESS_LIMIT = 300
BETWEENNESS_SAMPLES = 128
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


def _indexed(graph: nx.DiGraph[Hashable]) -> tuple[nx.DiGraph[int], list[Hashable]]:
    """The same graph on integer nodes (hashing ids such as UUIDs dominates the cost of
    the algorithms otherwise) and the list to map back."""
    nodes = list(graph.nodes)
    index = {node: position for position, node in enumerate(nodes)}
    indexed: nx.DiGraph[int] = nx.DiGraph()
    indexed.add_nodes_from(range(len(nodes)))
    indexed.add_weighted_edges_from(
        (index[u], index[v], w) for u, v, w in graph.edges(data="weight", default=1.0)
    )
    return indexed, nodes


def pagerank(graph: nx.DiGraph[Hashable]) -> dict[Hashable, float]:
    """Weighted PageRank, scaled so the top person has 1.0 (empty graph: {})."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_edges() == 0:
        return dict.fromkeys(graph.nodes, 0.0)
    indexed, nodes = _indexed(graph)
    ranks = {nodes[i]: value for i, value in nx.pagerank(indexed, weight="weight").items()}
    top = max(ranks.values())
    return {node: value / top for node, value in ranks.items()}


def betweenness(graph: nx.DiGraph[Hashable]) -> dict[Hashable, float]:
    """Weighted betweenness on the undirected graph (brokerage does not care who looks to
    whom), scaled so the top broker has 1.0. Edge lengths are 1/weight: a strong tie is a
    short way through."""
    if graph.number_of_nodes() < 3:
        return dict.fromkeys(graph.nodes, 0.0)
    indexed, nodes = _indexed(graph)
    undirected: nx.Graph[int] = nx.Graph()
    undirected.add_nodes_from(indexed.nodes)
    for source, target, data in indexed.edges(data=True):
        weight = data.get("weight", 1.0) + (
            undirected.get_edge_data(source, target, {}).get("weight", 0.0)
        )
        undirected.add_edge(source, target, weight=weight, length=1.0 / max(weight, 1e-9))
    sample = (
        None if undirected.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT else BETWEENNESS_SAMPLES
    )
    values = nx.betweenness_centrality(undirected, k=sample, weight="length", seed=SEED)
    top = max(values.values(), default=0.0)
    return {nodes[i]: (value / top if top else 0.0) for i, value in values.items()}
