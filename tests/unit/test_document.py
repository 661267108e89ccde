"""The document layer on small hand-checked sentences: who speaks to whom, what each
clause's mood is, and who each person-pointing word points at."""

from __future__ import annotations

import pytest

from plans.extraction.conversation import Participant
from plans.extraction.document.build import build_document
from plans.extraction.document.modality import cut_clauses, moods
from plans.extraction.document.models import Document
from plans.extraction.rules.people import find_people
from plans.extraction.rules.text import read
from plans.extraction.signals import Side
from tests.support.calls import helix_call

PARTICIPANTS = [
    Participant(name="Ingrid Moe", side=Side.CUSTOMER, title="Director of Data"),
    Participant(name="Tom Baker", side=Side.CUSTOMER, title="CFO"),
    Participant(name="Sam Ortiz", side=Side.OURS, title="Account Executive"),
]


def document(*turns: tuple[str, str]) -> Document:
    reading = read(helix_call(PARTICIPANTS, list(turns)))
    return build_document(reading, find_people(reading, "Helix Health", "helixhealth.org"))


def mood_of(sentence: str) -> list[set[str]]:
    pieces = [text for _, text in cut_clauses(sentence)]
    flags = ("negated", "hedged", "conditional", "question", "wish", "plan", "completed")
    return [{f for f in flags if getattr(m, f)} for m in moods(sentence, pieces)]


def test_speaker_and_addressee() -> None:
    doc = document(
        ("Sam Ortiz", "Ingrid, who signs off on this?"),
        ("Ingrid Moe", "Tom does."),
        ("Tom Baker", "That's right."),
    )
    asked, answered, confirmed = doc.sentences
    assert (asked.speaker, asked.addressee) == ("Sam Ortiz", "Ingrid Moe")  # called by name
    assert (answered.speaker, answered.addressee) == ("Ingrid Moe", "Sam Ortiz")  # the last other
    assert confirmed.addressee == "Ingrid Moe"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We signed the order form yesterday.", [{"completed"}]),
        ("I want a contract signed by the end of March.", [{"wish"}]),
        ("We'll sign next week.", [{"plan"}]),
        ("Have you sent the order form?", [{"question"}]),
        ("I'm not convinced.", [{"negated"}]),
        ("Maybe we could start in April.", [{"hedged"}]),
        ("If legal clears it we sign, but Ingrid isn't convinced.", [{"conditional"}, {"negated"}]),
        ("No, that's fine.", [set()]),
    ],
)
def test_clause_mood(sentence: str, expected: list[set[str]]) -> None:
    assert mood_of(sentence) == expected


def test_a_condition_governs_its_clauses_up_to_a_contrast() -> None:
    assert [bool({"conditional"} & m) for m in mood_of("We'd sign once the DPA is done.")] == [
        True,
        True,
    ]


def test_first_person_is_the_speaker_and_second_person_the_customer_addressed() -> None:
    doc = document(
        ("Ingrid Moe", "The budget sits with me, and my team runs the pipelines."),
        ("Tom Baker", "Ingrid, you own the review."),
    )
    first = doc.sentences[0]
    assert [c.frame for c in first.clauses] == [
        "the budget sits with §0",
        "and §0's team runs the pipelines.",
    ]
    assert doc.sentences[1].clauses[0].frame == "§0, §0 own the review."


def test_a_pronoun_resolves_only_when_one_person_fits() -> None:
    doc = document(
        ("Ingrid Moe", "Tom signs everything. He is careful."),
        ("Ingrid Moe", "Tom and Priya Shah met. She was pleased, and he was not."),
    )
    assert doc.sentences[1].clauses[0].frame == "§1 is careful."
    frames = [c.frame for c in doc.sentences[3].clauses]
    assert frames[0].startswith("§3 was pleased")  # Priya: the one woman named before it
    assert frames[1] == "and §1 was not."


def test_a_pronoun_with_several_candidates_resolves_to_nobody() -> None:
    doc = document(("Ingrid Moe", "Tom and Omar Haddad argued. He left early."))
    assert doc.sentences[1].clauses[0].frame == "he left early."


def test_a_title_names_the_one_person_who_holds_it() -> None:
    doc = document(("Ingrid Moe", "Our CFO will want the numbers."))
    assert doc.sentences[0].clauses[0].frame == "§1 will want the numbers."


def test_a_section_sign_in_the_text_is_never_a_person() -> None:
    doc = document(("Ingrid Moe", "Under §1 of the MSA, §0 signs everything."))
    frame = doc.sentences[0].clauses[0].frame
    assert "§" not in frame.replace("section", "")
