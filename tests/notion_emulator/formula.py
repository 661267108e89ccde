"""A small formula evaluator: property references, numbers, strings and + - * /.

Enough for the formulas in the recordings (`prop("Number") * 2`, `prop("Name") + "!"`);
anything richer evaluates to `{"type": "string", "string": null}`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from .errors import JsonDict

# Notion stores prop("Name") as {{notion:block_property:<property id>:<data source>:<space>}}.
_REFERENCE = re.compile(r'prop\("((?:[^"\\]|\\.)*)"\)|\{\{notion:block_property:([^:}]+):[^}]*\}\}')


def to_stored_form(
    expression: str, resolve: Callable[[str], str | None], data_source_id: str, space_id: str
) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            return match.group(0)
        prop_id = resolve(match.group(1))
        if prop_id is None:
            return match.group(0)
        return f"{{{{notion:block_property:{prop_id}:{data_source_id}:{space_id}}}}}"

    return _REFERENCE.sub(replace, expression)


def evaluate(expression: str, value_of: Callable[[str], Any]) -> JsonDict:
    """`value_of` maps a property name or id to a plain Python value."""
    values: list[Any] = []

    def placeholder(match: re.Match[str]) -> str:
        key = match.group(1) if match.group(1) is not None else match.group(2)
        values.append(value_of(key))
        return f"_v{len(values) - 1}"

    try:
        tree = ast.parse(_REFERENCE.sub(placeholder, expression).strip(), mode="eval")
        result = _eval(tree.body, values)
    except (SyntaxError, ValueError, TypeError, ZeroDivisionError):
        return {"type": "string", "string": None}
    if isinstance(result, bool):
        return {"type": "boolean", "boolean": result}
    if isinstance(result, int | float):
        return {"type": "number", "number": result}
    return {"type": "string", "string": str(result)}


def _eval(node: ast.expr, values: list[Any]) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str):
        return node.value
    if isinstance(node, ast.Name) and node.id.startswith("_v"):
        return values[int(node.id[2:])]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, values)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Add):
            if isinstance(left, str) or isinstance(right, str):
                return f"{_text(left)}{_text(right)}"
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
    raise ValueError("unsupported formula")


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
