"""Properties every Cypher statement must have, whatever the dialect."""

from __future__ import annotations

import re

import pytest

from graph import queries
from graph.errors import GraphQueryError
from graph.models import Dialect, NodeLabel, RelType

UNSCOPED = {"ping", "falkordb_list_indexes", "falkordb_list_constraints"}


def data_statements(dialect: Dialect) -> list[queries.Statement]:
    return [
        s
        for s in queries.all_statements(dialect)
        if s.name not in UNSCOPED and not s.name.startswith("schema_")
    ]


@pytest.mark.parametrize("dialect", list(Dialect))
def test_every_data_statement_is_scoped_to_a_workspace(dialect: Dialect) -> None:
    statements = data_statements(dialect)
    assert len(statements) > 5
    for statement in statements:
        assert "workspace_id" in statement.parameters, statement.name
        assert "$workspace_id" in statement.text(dialect), statement.name


@pytest.mark.parametrize("dialect", list(Dialect))
def test_declared_parameters_are_exactly_those_used(dialect: Dialect) -> None:
    for statement in queries.all_statements(dialect):
        used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", statement.text(dialect)))
        assert used == set(statement.parameters), statement.name


@pytest.mark.parametrize("dialect", list(Dialect))
def test_labels_and_relationship_types_come_from_the_enums(dialect: Dialect) -> None:
    known = {str(label) for label in NodeLabel} | {str(rel) for rel in RelType}
    for statement in queries.all_statements(dialect):
        text = re.sub(r"'[^']*'", "", statement.text(dialect))
        used = set(re.findall(r"[(\[][a-z]*:([A-Za-z_]+)", text))
        assert used <= known, (statement.name, used - known)


def test_statement_names_are_unique() -> None:
    for dialect in Dialect:
        names = [s.name for s in queries.all_statements(dialect)]
        assert len(names) == len(set(names))


def test_wrong_parameters_are_refused_before_sending() -> None:
    with pytest.raises(GraphQueryError, match="missing parameters \\['workspace_id'\\]"):
        queries.GET_ACCOUNT.check_parameters({"id": "x"})
    with pytest.raises(GraphQueryError, match="unexpected \\['name'\\]"):
        queries.GET_ACCOUNT.check_parameters({"id": "x", "workspace_id": "w", "name": "n"})


def test_schema_differs_by_dialect_next_to_its_definition() -> None:
    unique = queries.SchemaElement(NodeLabel.ACCOUNT, "id", unique=True)
    assert "IF NOT EXISTS" in unique.neo4j_statement().cypher
    assert unique.falkordb_constraint_command("g")[:3] == ["GRAPH.CONSTRAINT", "CREATE", "g"]
