"""XLSForm expressions (relevant, required, constraint, choice_filter) evaluated on the server.

Expressions are XPath 1.0 (``elementpath``) with the ODK functions forms commonly use added.
``${name}`` references become XPath variables; ``.`` is the value being checked.

``regex()`` runs on RE2 (``google-re2``), whose time is linear in the text: a respondent's
answer cannot make a constraint backtrack for seconds (``regex(., '^(a+)+$')`` against 27 a's
and a ``!`` took Python's ``re`` 6.5 s). Patterns RE2 cannot compile (backreferences,
look-around) are refused when the expression is compiled, i.e. at import and in the builder.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from xml.etree import ElementTree  # builds an element, parses no input  # nosec B405

import re2
from django.utils.translation import gettext as _
from elementpath import XPath1Parser, XPathContext
from elementpath.exceptions import ElementPathError

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
# The parser and the evaluation recurse once per level: 900 nested parentheses were a
# RecursionError (a 500). Parentheses and brackets are counted before parsing, and the parsed
# tree (where a chain of ``or`` or of unary minus also nests) is measured before it is kept.
MAX_NESTING = 64
MAX_TREE_DEPTH = 128
ODK_FUNCTIONS = ("selected", "count-selected", "selected-at", "if", "coalesce", "today", "regex")


class ExpressionError(ValueError):
    """An expression that cannot be parsed: unknown function, bad syntax."""


class ODKParser(XPath1Parser):
    """XPath 1.0 plus the ODK XForms functions used in XLSForms."""

    symbol_table = dict(XPath1Parser.symbol_table)


method = ODKParser.method
function = ODKParser.function


def _text(token: Any, context: Any, index: int = 0) -> str:
    value = token.get_argument(context, index=index, default="")
    return "" if value is None else str(value)


@method(function("selected", nargs=2))
def evaluate_selected(self: Any, context: Any = None) -> bool:
    return _text(self, context, 1) in _text(self, context).split()


@method(function("count-selected", nargs=1))
def evaluate_count_selected(self: Any, context: Any = None) -> float:
    return float(len(_text(self, context).split()))


@method(function("selected-at", nargs=2))
def evaluate_selected_at(self: Any, context: Any = None) -> str:
    items = _text(self, context).split()
    index = int(float(self.get_argument(context, index=1, default=0)))
    return items[index] if 0 <= index < len(items) else ""


@method(function("if", nargs=3))
def evaluate_if(self: Any, context: Any = None) -> Any:
    chosen = self[1] if self.boolean_value(self[0].evaluate(context)) else self[2]
    return chosen.evaluate(context)


@method(function("coalesce", nargs=2))
def evaluate_coalesce(self: Any, context: Any = None) -> str:
    return _text(self, context) or _text(self, context, 1)


@method(function("today", nargs=0))
def evaluate_today(self: Any, context: Any = None) -> str:
    return date.today().isoformat()


@functools.lru_cache(maxsize=256)
def regex_compile(pattern: str) -> Any:
    """The pattern compiled by RE2 (linear-time matching); raises ``re2.error``."""
    options = re2.Options()
    options.log_errors = False  # refused patterns are reported to the user, not to stderr
    return re2.compile(pattern, options)


def regex_error(pattern: str) -> str | None:
    """Why RE2 cannot use the pattern, or None."""
    try:
        regex_compile(pattern)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    return None


@method(function("regex", nargs=2))
def evaluate_regex(self: Any, context: Any = None) -> bool:
    try:
        return regex_compile(_text(self, context, 1)).search(_text(self, context)) is not None
    except re2.error:  # a pattern taken from an answer: no match
        return False


_PARSER = ODKParser()
_ROOT = ElementTree.Element("data")
_CACHE: dict[str, Any] = {}


def references(expression: str) -> set[str]:
    """The question names an expression refers to with ``${name}``."""
    return set(REFERENCE.findall(expression or ""))


def _xpath(expression: str) -> str:
    return REFERENCE.sub(lambda match: "$" + match.group(1).replace(".", "_"), expression)


def compile_expression(expression: str) -> Any:
    """Parse once (cached); raises ExpressionError with the parser's reason."""
    if expression not in _CACHE:
        if len(expression) > 2000:
            raise ExpressionError("uttrycket är för långt")
        if _nesting(expression) > MAX_NESTING:
            raise _too_deep(MAX_NESTING)
        try:
            token = _PARSER.parse(_xpath(expression))
        except ElementPathError as exc:
            message = str(exc).split("] ", 1)[-1]
            raise ExpressionError(message) from exc
        except RecursionError as exc:  # e.g. hundreds of unary minus signs in a row
            raise _too_deep(MAX_TREE_DEPTH) from exc
        if _tree_depth(token) > MAX_TREE_DEPTH:
            raise _too_deep(MAX_TREE_DEPTH)
        _check_regex_patterns(token)
        _CACHE[expression] = token
    return _CACHE[expression]


def _nesting(expression: str) -> int:
    """The deepest nesting of parentheses and brackets outside string literals."""
    depth = deepest = 0
    for char in LITERAL.sub("", expression):
        if char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth -= 1
    return deepest


def _tree_depth(token: Any) -> int:
    deepest, pending = 0, [(token, 1)]
    while pending:
        node, level = pending.pop()
        deepest = max(deepest, level)
        pending.extend((child, level + 1) for child in node)
    return deepest


def _too_deep(limit: int) -> ExpressionError:
    return ExpressionError(_("uttrycket är nästlat i mer än %d nivåer") % limit)


def _check_regex_patterns(token: Any) -> None:
    """Refuse a literal ``regex()`` pattern that RE2 cannot compile."""
    if token.symbol == "regex" and len(token) == 2 and token[1].symbol == "(string)":
        pattern = str(token[1].value)
        reason = regex_error(pattern)
        if reason is not None:
            raise ExpressionError(
                _("regex-mönstret ”%(pattern)s” stöds inte (%(reason)s)")
                % {"pattern": pattern, "reason": reason}
            )
    for child in token:
        _check_regex_patterns(child)


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, int | float):
        return float(value)
    return str(value)


XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")


def choice_node(name: str, label: str, filters: Mapping[str, Any]) -> ElementTree.Element:
    """A choice as the element a ``choice_filter`` is evaluated on, as in an XForm's item
    list: ``county = ${county}`` compares the choice's ``county`` column (a child element) with
    the answer to the question ``county`` (a variable)."""
    item = ElementTree.Element("item")
    seen: set[str] = set()
    for key, value in (("name", name), ("label", label), *filters.items()):
        if key in seen or not XML_NAME.fullmatch(key):
            continue
        seen.add(key)
        ElementTree.SubElement(item, key).text = str(value)
    return item


def evaluate(
    expression: str,
    values: Mapping[str, Any],
    current: Any = None,
    *,
    node: ElementTree.Element | None = None,
) -> Any:
    token = compile_expression(expression)
    variables = {name.replace(".", "_"): _value(value) for name, value in values.items()}
    if node is not None:
        context = XPathContext(node, fragment=True, variables=variables)
    else:
        context = XPathContext(_ROOT, item=_value(current), variables=variables)
    return token.evaluate(context)


def is_true(
    expression: str,
    values: Mapping[str, Any],
    current: Any = None,
    *,
    default: bool = True,
    node: ElementTree.Element | None = None,
) -> bool:
    """Evaluate a condition; an empty expression is ``default``, a failing one is false
    (as in ODK, where comparing an empty answer with a number is false)."""
    if not expression.strip():
        return default
    if expression.strip() in {"yes", "true()"}:
        return True
    if expression.strip() in {"no", "false()"}:
        return False
    try:
        result = evaluate(expression, values, current, node=node)
    except (ElementPathError, ValueError, TypeError, ZeroDivisionError):
        return False
    if isinstance(result, list):
        return bool(result)
    if isinstance(result, str):
        return result != ""
    if isinstance(result, float):
        return result == result and result != 0  # NaN is false
    return bool(result)
