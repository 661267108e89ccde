from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from core.errors import InvalidInput
from core.pagination import Position, decode_cursor, encode_cursor
from core.tenancy.models import Principal, Scope
from graph.supervisor import restart_delay
from plans.service import normalise_domain


def test_cursor_round_trip_and_garbage() -> None:
    position = Position(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), uuid.uuid4())
    assert decode_cursor(encode_cursor(position)) == position
    with pytest.raises(InvalidInput) as raised:
        decode_cursor("not-a-cursor")
    assert raised.value.details["fields"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("acme.com", "acme.com"),
        ("https://www.Acme.com/about", "acme.com"),
        ("  sub.acme.co.uk:443 ", "sub.acme.co.uk"),
        ("", None),
    ],
)
def test_domains_are_normalised(given: str, expected: str | None) -> None:
    assert normalise_domain(given) == expected


@pytest.mark.parametrize("bad", ["not a domain", "acme", "-acme.com", "acme..com"])
def test_bad_domains_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a domain name"):
        normalise_domain(bad)


def test_scopes_include_the_ones_below() -> None:
    admin = Principal(uuid.uuid4(), uuid.uuid4(), frozenset({Scope.ADMIN}))
    reader = Principal(uuid.uuid4(), uuid.uuid4(), frozenset({Scope.READ}))
    assert admin.allows(Scope.READ) and admin.allows(Scope.WRITE) and admin.allows(Scope.ADMIN)
    assert reader.allows(Scope.READ) and not reader.allows(Scope.WRITE)


def test_graph_restarts_back_off_when_the_server_keeps_dying() -> None:
    delays = [restart_delay(attempts) for attempts in range(10)]
    assert delays[:5] == [0.0, 0.5, 1.0, 2.0, 4.0]  # the first restart is at once
    assert delays[-1] == 30.0 and max(delays) == 30.0
