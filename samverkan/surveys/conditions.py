"""Conditions as people say them: built from a question, an operator and a value, and read back
in Swedish words ("Visas om fråga 2 (Har länet en strategi?) är Ja").

The builder writes ordinary XLSForm expressions (``${q1} = 'ja'``), so a questionnaire built in
the web round-trips through an XLSForm file unchanged. Reading back understands the shapes the
builder writes and the common hand-written ones joined by ``and``/``or``; anything else is shown
as the expression itself, marked as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.surveys.definition import Definition
from samverkan.surveys.models import ANSWERABLE_TYPES, SELECT_TYPES, Question, QuestionType
from samverkan.surveys.xlsform import checked_text_kind

OPERATORS = [
    ("eq", gettext_lazy("är")),
    ("ne", gettext_lazy("är inte")),
    ("selected", gettext_lazy("har valt")),
    ("not_selected", gettext_lazy("har inte valt")),
    ("gt", gettext_lazy("är större än")),
    ("ge", gettext_lazy("är minst")),
    ("lt", gettext_lazy("är mindre än")),
    ("le", gettext_lazy("är högst")),
    ("answered", gettext_lazy("är besvarad")),
    ("unanswered", gettext_lazy("är obesvarad")),
]
OPERATOR_WORDS = dict(OPERATORS)
NUMERIC = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
SYMBOL_TO_OPERATOR = {"=": "eq", "!=": "ne", **{v: k for k, v in NUMERIC.items()}}
WITHOUT_VALUE = {"answered", "unanswered"}
NUMBER_TYPES = {QuestionType.INTEGER, QuestionType.DECIMAL}

_LITERAL = r"(?:'(?P<sq>[^']*)'|\"(?P<dq>[^\"]*)\"|(?P<num>-?\d+(?:\.\d+)?))"
_NAME = r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\}"
_COMPARISON = re.compile(rf"^{_NAME}\s*(?P<op>!=|>=|<=|=|>|<)\s*{_LITERAL}$")
_SELECTED = re.compile(
    rf"^(?P<neg>not\s*\(\s*)?selected\(\s*{_NAME}\s*,\s*{_LITERAL}\s*\)(?(neg)\s*\))$"
)
_CHECK = re.compile(rf"^\.\s*(?P<op>!=|>=|<=|=|>|<)\s*{_LITERAL}$")


@dataclass(frozen=True)
class Condition:
    """One comparison: question ``name``, operator key from ``OPERATORS``, the value as written
    in the expression (a choice name, a number or a text)."""

    name: str
    operator: str
    value: str = ""


def _literal(match: re.Match[str]) -> str:
    for group in ("sq", "dq", "num"):
        if match.group(group) is not None:
            return match.group(group)
    return ""


def condition_parse(expression: str) -> Condition | None:
    """The single comparison an expression is, or None when it is anything more."""
    text = expression.strip()
    found = _COMPARISON.match(text)
    if found:
        operator, value = SYMBOL_TO_OPERATOR[found.group("op")], _literal(found)
        if value == "" and operator in {"eq", "ne"} and found.group("num") is None:
            operator = "unanswered" if operator == "eq" else "answered"
        return Condition(found.group("name"), operator, value)
    found = _SELECTED.match(text)
    if found:
        operator = "not_selected" if found.group("neg") else "selected"
        return Condition(found.group("name"), operator, _literal(found))
    return None


def _split_top_level(text: str, word: str) -> list[str]:
    """``text`` split at `` and ``/`` or `` outside parentheses and string literals."""
    parts, depth, quote, start, i = [], 0, "", 0, 0
    token = f" {word} "
    while i < len(text):
        char = text[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and text.startswith(token, i):
            parts.append(text[start:i])
            i += len(token)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _quoted(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise ValidationError({"condition_value": _("Värdet kan inte innehålla både ' och \".")})


def _number(value: str) -> str:
    try:
        number = Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError({"condition_value": _("Ange ett tal att jämföra med.")})
    return format(number.normalize(), "f")


def condition_build(
    *, definition: Definition, question_name: str, operator: str, value: str
) -> str:
    """The XLSForm expression for "question operator value"; the value of a choice question may
    be given as the choice's name or its label. Raises ValidationError naming the field."""
    question = definition.by_name().get(question_name)
    if question is None or question.type not in ANSWERABLE_TYPES:
        raise ValidationError({"condition_question": _("Välj en fråga som går att besvara.")})
    if operator not in OPERATOR_WORDS:
        raise ValidationError({"condition_operator": _("Välj hur svaret ska jämföras.")})
    reference = f"${{{question.name}}}"
    if operator in WITHOUT_VALUE:
        return f"{reference} {'!=' if operator == 'answered' else '='} ''"
    value = value.strip()
    if not value:
        raise ValidationError({"condition_value": _("Ange värdet att jämföra med.")})
    if question.type in SELECT_TYPES:
        if operator in NUMERIC:
            raise ValidationError(
                {"condition_operator": _("Ett val kan inte vara större eller mindre.")}
            )
        value = _choice_name(definition, question, value)
        if question.type == QuestionType.SELECT_MULTIPLE or operator in {
            "selected",
            "not_selected",
        }:
            test = f"selected({reference}, {_quoted(value)})"
            return test if operator in {"eq", "selected"} else f"not({test})"
        return f"{reference} {'=' if operator == 'eq' else '!='} {_quoted(value)}"
    if operator in {"selected", "not_selected"}:
        raise ValidationError({"condition_operator": _("”Har valt” gäller bara val-frågor.")})
    if operator in NUMERIC or question.type in NUMBER_TYPES:
        symbol = NUMERIC.get(operator) or ("=" if operator == "eq" else "!=")
        return f"{reference} {symbol} {_number(value)}"
    return f"{reference} {'=' if operator == 'eq' else '!='} {_quoted(value)}"


def _choice_name(definition: Definition, question: Question, value: str) -> str:
    choices = definition.choices.get(question.list_name, [])
    for choice in choices:
        if value == choice.name or value.casefold() == choice.label.casefold():
            return choice.name
    raise ValidationError(
        {
            "condition_value": _("Välj ett av frågans svarsalternativ: %s.")
            % ", ".join(choice.label for choice in choices)
        }
    )


def _question_words(question: Question | None, name: str, numbers: dict[str, int]) -> str:
    if question is None:
        return _("frågan %s") % name
    label = Truncator(question.label or question.name).chars(60)
    return _("fråga %(number)d (%(label)s)") % {"number": numbers[question.name], "label": label}


def _value_words(definition: Definition, question: Question | None, value: str) -> str:
    if question is not None and question.type in SELECT_TYPES:
        return definition.choice_label(question, value)
    return value if re.fullmatch(r"-?\d+(?:\.\d+)?", value) else f"”{value}”"


def question_numbers(definition: Definition) -> dict[str, int]:
    """The number each question (and group heading) carries on the questionnaire page: its
    place in the form, not counting the rows that close groups."""
    shown = [q for q in definition.questions if q.type != QuestionType.END_GROUP]
    return {question.name: number for number, question in enumerate(shown, start=1)}


def condition_words(
    expression: str, definition: Definition, numbers: dict[str, int] | None = None
) -> str:
    """The condition in Swedish words, without the leading "Visas om"."""
    numbers = numbers if numbers is not None else question_numbers(definition)
    text = expression.strip()
    for word, joined in (("or", _(" eller ")), ("and", _(" och "))):
        parts = _split_top_level(text, word)
        if len(parts) > 1:
            return joined.join(condition_words(part, definition, numbers) for part in parts)
    if text.startswith("(") and text.endswith(")") and len(_split_top_level(text, "or")) == 1:
        inner = text[1:-1]
        if inner.count("(") == inner.count(")"):
            return condition_words(inner, definition, numbers)
    condition = condition_parse(text)
    if condition is None:
        return _("villkoret %s är uppfyllt") % text
    question = definition.by_name().get(condition.name)
    subject = _question_words(question, condition.name, numbers)
    verb = str(OPERATOR_WORDS[condition.operator])
    if condition.operator in WITHOUT_VALUE:
        return f"{subject} {verb}"
    return f"{subject} {verb} {_value_words(definition, question, condition.value)}"


def relevant_words(question: Question, definition: Definition, numbers: dict[str, int]) -> str:
    if not question.relevant.strip():
        return ""
    return _("Visas om %s") % condition_words(question.relevant, definition, numbers)


def required_words(question: Question, definition: Definition, numbers: dict[str, int]) -> str:
    required = question.required.strip()
    if required in {"", "no", "false()"}:
        return ""
    if required in {"yes", "true()"}:
        return _("Obligatorisk")
    return _("Obligatorisk om %s") % condition_words(required, definition, numbers)


def constraint_words(question: Question) -> str:
    """A check on the answer itself (``. >= 0 and . <= 100``) in words."""
    text = question.constraint.strip()
    if not text:
        return ""
    kind = checked_text_kind(text)
    if kind:
        return (
            _("Svaret ska vara en e-postadress")
            if kind == "email"
            else _("Svaret ska vara ett telefonnummer")
        )
    words = {
        ">": _("större än %s"),
        ">=": _("minst %s"),
        "<": _("mindre än %s"),
        "<=": _("högst %s"),
        "=": _("lika med %s"),
        "!=": _("inte %s"),
    }
    parts = []
    for part in _split_top_level(text, "and"):
        found = _CHECK.match(part)
        if found is None:
            return _("Kontroll: %s") % text
        parts.append(words[found.group("op")] % _literal(found))
    return _("Svaret ska vara %s") % _(" och ").join(parts)
