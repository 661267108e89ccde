from __future__ import annotations

import pytest

from plans.names import name_tokens, names_match


@pytest.mark.parametrize(
    ("mention", "known"),
    [
        ("Mike", "Michael Dunn"),
        ("Mike Dunn", "Michael Dunn"),
        ("J.R. Haskins", "John Robert Haskins"),
        ("Dr. Priya Raman", "Priya Raman"),
        ("priya raman", "Priya Raman"),
        ("Liz", "Elizabeth Moore"),
        ("Bob", "Robert Smith"),
        ("José García", "Jose Garcia"),
        ("Dana", "Dana Whitfield"),
    ],
)
def test_the_same_person(mention: str, known: str) -> None:
    assert names_match(mention, known)


@pytest.mark.parametrize(
    ("mention", "known"),
    [
        ("Mike Dunn", "Michael Smith"),
        ("Sarah", "Sam Ortiz"),
        ("Tom Reilly", "Thomas Wells"),
        ("", "Ana"),
    ],
)
def test_different_people(mention: str, known: str) -> None:
    assert not names_match(mention, known)


def test_honorifics_and_suffixes_are_dropped() -> None:
    assert name_tokens("Mr. John Smith Jr.") == ["john", "smith"]
