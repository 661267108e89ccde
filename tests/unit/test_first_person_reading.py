"""A new user's own discovery call (issue 10): what people say of themselves produces the
roles and ties they state; wishes, softened stances and candour produce nothing they do
not state. These sentences were measured before the rebuild and produced none of it."""

from __future__ import annotations

from plans.catalogue.models import Catalogue, ProductLine
from plans.extraction.conversation import Participant
from plans.extraction.rules.extractor import RuleExtractor
from plans.extraction.signals import BuyingRole, Polarity, RelationType, Side, Signals, TrustKind
from plans.map.claims import held_roles, role_claims
from plans.map.models import Role
from tests.support.calls import helix_call

CATALOGUE = Catalogue(
    product_lines=[
        ProductLine(
            key="pipelines", name="Lumen Pipelines", aliases=["Pipelines"], keywords=["ETL"]
        )
    ]
)
PEOPLE = [
    Participant(name="Ingrid Solberg", side=Side.CUSTOMER, title="Head of Data Engineering"),
    Participant(name="Dana Whitfield", side=Side.CUSTOMER, title="VP Data"),
    Participant(name="Sam Ortiz", side=Side.OURS, title="Account Executive"),
]


def extract(*turns: tuple[str, str]) -> Signals:
    document = helix_call(PEOPLE, [("Sam Ortiz", "Thanks for making the time."), *turns])
    return RuleExtractor().extract(document, CATALOGUE).signals


def stated(signals: Signals) -> set[tuple[str, BuyingRole]]:
    return {(r.person, r.role) for r in signals.roles if r.polarity is Polarity.SUPPORTS}


def ties(signals: Signals) -> set[tuple[str, RelationType, str | None]]:
    return {(r.source, r.type, r.target) for r in signals.relations}


INGRID = "Ingrid Solberg"
DANA = "Dana Whitfield"


def test_the_budget_sits_with_me() -> None:
    assert (INGRID, BuyingRole.ECONOMIC_BUYER) in stated(
        extract((INGRID, "The budget sits with me."))
    )


def test_i_sign_off_under_a_threshold() -> None:
    signals = extract((INGRID, "I sign off on anything under two hundred and fifty thousand."))
    assert (INGRID, BuyingRole.ECONOMIC_BUYER) in stated(signals)


def test_i_brought_you_in_and_will_push_for_it() -> None:
    signals = extract((INGRID, "I'm the one who brought you in, and I'll be pushing for it."))
    assert (INGRID, BuyingRole.CHAMPION) in stated(signals)


def test_i_own_that_review() -> None:
    assert (INGRID, BuyingRole.INFLUENCER) in stated(extract((INGRID, "I own that review.")))


def test_i_run_a_team_under_someone() -> None:
    signals = extract((INGRID, "I run data engineering under Dana."))
    assert (INGRID, RelationType.REPORTS_TO, DANA) in ties(signals)


def test_ill_listen_to_her_on_that() -> None:
    signals = extract(
        (INGRID, "Dana has opinions on the security side."),
        (INGRID, "I'll listen to her on that."),
    )
    assert (DANA, RelationType.INFLUENCES, INGRID) in ties(signals)


def test_a_wish_to_sign_is_no_outcome() -> None:
    signals = extract((INGRID, "So I want a contract signed by the end of March."))
    assert signals.outcomes == []


def test_a_completed_signature_is_won() -> None:
    signals = extract((INGRID, "Good news: we signed the order form this morning."))
    assert [o.kind.value for o in signals.outcomes] == ["won"]


def test_pushing_back_less_is_neither_champion_nor_blocker() -> None:
    signals = extract((DANA, "Ingrid has been pushing back less."))
    roles = {role for person, role in stated(signals) if person == INGRID}
    assert BuyingRole.CHAMPION not in roles and BuyingRole.BLOCKER not in roles


def test_blunt_doubt_is_scepticism_not_trust() -> None:
    signals = extract((INGRID, "I'll be blunt, I'm not convinced."))
    assert (INGRID, BuyingRole.BLOCKER) in stated(signals)
    assert not [t for t in signals.trust if t.kind is TrustKind.SHARED_VULNERABILITY]


def test_a_senior_title_that_disclaims_the_budget() -> None:
    signals = extract((DANA, "Honestly the budget isn't mine, it's Ingrid's."))
    denied = {(r.person, r.role) for r in signals.roles if r.polarity is Polarity.CONTRADICTS}
    assert (DANA, BuyingRole.ECONOMIC_BUYER) in denied
    assert (INGRID, Role.ECONOMIC_BUYER) in held_roles(signals)
    assert (DANA, Role.ECONOMIC_BUYER) not in held_roles(signals)


def test_a_happy_pilot_is_interest_not_contentment_with_the_status_quo() -> None:
    signals = extract((INGRID, "My team is really happy with the pilot of Lumen Pipelines."))
    assert signals.sentiment is not None and signals.sentiment.label == "positive"
    assert [p.product_line for p in signals.products if p.interest >= 0.5] == ["pipelines"]


def test_a_sentence_read_several_ways_is_one_piece_of_role_evidence() -> None:
    signals = extract((INGRID, "Dana signs off on anything over fifty thousand."))
    economic_buyer = [c for c in role_claims(signals) if c.role is Role.ECONOMIC_BUYER]
    assert [c.person for c in economic_buyer] == [DANA]  # role, deferral and element: once
