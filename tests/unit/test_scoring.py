"""Score functions on tiny hand-checked inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import networkx as nx
import pytest

from scoring.centrality import betweenness, influence_graph, pagerank
from scoring.decision_power import decision_power
from scoring.evidence import Interaction, Mention, Said, TrustSignal
from scoring.influence import influence
from scoring.models import ContributionKind, ScoreName, overridden
from scoring.relationship import RelationshipWeights, relationship_strength
from scoring.titles import Seniority, title_rule

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Chief Financial Officer", Seniority.C_LEVEL),
        ("CFO", Seniority.C_LEVEL),
        ("President & CEO", Seniority.C_LEVEL),
        ("Vice President, Sales", Seniority.VP),
        ("SVP Engineering", Seniority.EXECUTIVE_VP),
        ("VP Trading", Seniority.VP),
        ("Head of BI", Seniority.VP),
        ("Sr. Director of IT", Seniority.DIRECTOR),
        ("Dir Trading", Seniority.DIRECTOR),
        ("Finance Director", Seniority.DIRECTOR),
        ("Mgr Trading", Seniority.MANAGER),
        ("Data Engineering lead", Seniority.MANAGER),
        ("Senior Solutions Engineer", Seniority.SENIOR_CONTRIBUTOR),
        ("Specialist", Seniority.SENIOR_CONTRIBUTOR),
        ("Analyst", Seniority.CONTRIBUTOR),
        ("Employee", Seniority.CONTRIBUTOR),
        ("Founder & CEO", Seniority.OWNER),
        ("Mng Dir Trading", Seniority.C_LEVEL),
        ("Gen Cnsl Asst", Seniority.DIRECTOR),
        (None, Seniority.UNKNOWN),
        ("Astronaut", Seniority.UNKNOWN),
    ],
)
def test_title_table(title: str | None, expected: Seniority) -> None:
    assert title_rule(title).seniority is expected


def test_title_ranks_are_monotone() -> None:
    ladder = [
        "CEO",
        "SVP Sales",
        "VP Sales",
        "Director of Sales",
        "Sales Manager",
        "Senior Analyst",
        "Analyst",
    ]
    powers = [title_rule(t).decision_power for t in ladder]
    assert powers == sorted(powers, reverse=True)


def test_decision_power_adds_up_and_explains_itself() -> None:
    signs = Mention(Said.SIGNS_OFF, "Priya signs off on anything over $100k", 0.8)
    more = Mention(Said.ECONOMIC_BUYER, "it's Priya's budget", 1.0)
    deferred = Mention(Said.DEFERRED_TO, "I'll need to run this by Priya", 0.9)
    score = decision_power("CFO", [signs, more, deferred], direct_reports=2)
    # 8.0 title + 1.5*1.0 + 0.75*0.8 + 0.75*0.9 + 0.5 = 11.275 -> bounded to 10
    assert score.value == 10.0
    assert sum(c.points for c in score.contributions) == pytest.approx(score.value)
    assert score.contributions[-1].kind is ContributionKind.BOUND
    assert {c.quote for c in score.contributions if c.kind is ContributionKind.SIGNAL} >= {
        signs.quote,
        more.quote,
    }
    plain = decision_power("Analyst", [])
    assert plain.value == 1.0 and len(plain.contributions) == 1


def test_one_sentence_read_several_ways_counts_once() -> None:
    sentence = "Whether we spend the money is Priya's call."
    read_as = [
        Mention(Said.ECONOMIC_BUYER, sentence, 0.85),
        Mention(Said.SIGNS_OFF, sentence, 0.6),
        Mention(Said.AUTHORITY, "  whether we spend the money is   Priya's call. ", 0.9),
    ]
    score = decision_power("Manager", read_as)
    signals = [c for c in score.contributions if c.kind is ContributionKind.SIGNAL]
    assert len(signals) == 1 and signals[0].label == "signs off / holds the budget"
    assert signals[0].points == pytest.approx(
        1.5 * 0.85, abs=0.01
    )  # its most confident budget reading
    other_call = Mention(Said.AUTHORITY, sentence, 0.9, conversation_id=uuid4())
    assert (
        len(
            [
                c
                for c in decision_power("Manager", [*read_as, other_call]).contributions
                if c.kind is ContributionKind.SIGNAL
            ]
        )
        == 2
    )


def test_override_keeps_the_computed_parts_visible() -> None:
    computed = decision_power("Manager", [])
    forced = overridden(
        ScoreName.DECISION_POWER, computed, 7.5, "runs the budget in practice", "sam"
    )
    assert forced.value == 7.5 and forced.overridden
    assert sum(c.points for c in forced.contributions) == pytest.approx(7.5)
    assert forced.contributions[-1].kind is ContributionKind.OVERRIDE


def test_pagerank_rewards_the_person_others_look_to() -> None:
    # a, b and c all defer to d; d defers to nobody
    graph = influence_graph([("a", "d", 1.0), ("b", "d", 1.0), ("c", "d", 1.0)])
    ranks = pagerank(graph)
    assert ranks["d"] == 1.0 and max(ranks[x] for x in "abc") < 0.5


def test_betweenness_finds_the_broker() -> None:
    # two triangles joined only through "m"
    edges = [
        ("a", "b", 1.0),
        ("b", "c", 1.0),
        ("c", "a", 1.0),
        ("x", "y", 1.0),
        ("y", "z", 1.0),
        ("z", "x", 1.0),
        ("c", "m", 1.0),
        ("m", "x", 1.0),
    ]
    values = betweenness(influence_graph(edges))
    assert values["m"] == 1.0 and values["a"] == 0.0
    reference = nx.betweenness_centrality(nx.Graph([(u, v) for u, v, _ in edges]))
    assert max(reference, key=reference.__getitem__) == "m"


def test_influence_combines_title_centrality_and_signals() -> None:
    sway = Mention(Said.INFLUENTIAL, "Tom has a lot of sway with the board", 1.0)
    score = influence("Director of IT", [sway], pagerank=1.0, betweenness=0.5)
    assert score.value == pytest.approx(5.0 * 0.55 + 3.0 + 0.75 + 1.0)
    kinds = [c.kind for c in score.contributions]
    assert kinds.count(ContributionKind.CENTRALITY) == 2


def test_relationship_strength_grows_with_recent_engaged_trusting_contact() -> None:
    weights = RelationshipWeights()
    recent = [Interaction(NOW - timedelta(days=d), "call", True, True, 800) for d in (1, 8, 15, 30)]
    stale = [
        Interaction(NOW - timedelta(days=d), "email_thread", True, False, 0) for d in (300, 320)
    ]
    trust = [TrustSignal("shared_vulnerability", "between us, the CFO is skeptical", 0.8)]
    strong = relationship_strength(recent, trust, NOW, weights)
    weak = relationship_strength(stale, [], NOW, weights)
    nothing = relationship_strength([], [], NOW, weights)
    assert 0 == nothing.value < weak.value < strong.value <= 10
    assert sum(c.points for c in strong.contributions) == pytest.approx(strong.value)
    assert any(c.kind is ContributionKind.TRUST and c.quote for c in strong.contributions)
