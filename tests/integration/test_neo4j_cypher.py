"""Every statement the Neo4j backend can send is valid Cypher to Neo4j's own parser."""

from __future__ import annotations

from graph import queries
from graph.models import Dialect
from tests.neo4j_cypher import lint


def test_every_neo4j_statement_passes_neo4j_parser_and_semantic_analysis() -> None:
    statements = list(queries.all_statements(Dialect.NEO4J))
    assert any(s.name.startswith("schema_") for s in statements)
    errors = lint((s.name, s.text(Dialect.NEO4J), s.parameters) for s in statements)
    assert errors == []


def test_the_check_catches_broken_statements() -> None:
    errors = lint(
        [
            ("syntax", "MATCH (a:Account RETURN a", []),
            ("unknown_function", "MATCH (a:Account) RETURN nosuchfn(a) AS x", []),
            ("undeclared_parameter", "MATCH (a:Account {id: $id}) RETURN a", []),
            ("unbound_variable", "MATCH (a:Account) RETURN b", []),
            (
                "falkordb_only_procedure",
                "CALL db.idx.fulltext.queryNodes('Account', 'acme') YIELD node RETURN node",
                [],
            ),
        ]
    )
    failing = {error.statement for error in errors}
    assert failing == {
        "syntax",
        "unknown_function",
        "undeclared_parameter",
        "unbound_variable",
        "falkordb_only_procedure",
    }
