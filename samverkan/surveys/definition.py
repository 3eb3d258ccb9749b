"""A questionnaire loaded for answering, validating and compiling: one query per table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from elementpath.exceptions import ElementPathError

from samverkan.surveys import expressions
from samverkan.surveys.models import (
    ANSWERABLE_TYPES,
    STORED_TYPES,
    Choice,
    Question,
    Questionnaire,
    QuestionType,
)

OTHER = "other"
# What an acknowledge question stores when the box is checked (as ODK Collect does).
ACKNOWLEDGED = "OK"


@dataclass
class Definition:
    questionnaire: Questionnaire
    questions: list[Question]
    choices: dict[str, list[Choice]]
    # each choice as the element its list's choice_filter is evaluated on, built when needed
    _nodes: dict[int, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, questionnaire: Questionnaire) -> Definition:
        choices: dict[str, list[Choice]] = {}
        for choice in questionnaire.choices.all():
            choices.setdefault(choice.list_name, []).append(choice)
        return cls(questionnaire, list(questionnaire.questions.all()), choices)

    @property
    def answerable(self) -> list[Question]:
        return [q for q in self.questions if q.type in ANSWERABLE_TYPES]

    @property
    def stored(self) -> list[Question]:
        """Questions whose values are stored with the answers: answered and calculated."""
        return [q for q in self.questions if q.type in STORED_TYPES]

    def by_name(self) -> dict[str, Question]:
        return {q.name: q for q in self.questions}

    def choice_names(self, question: Question) -> list[str]:
        """The names a question can store, once each: a list filtered by ``choice_filter`` may
        hold a name several times, once per filter value (the answer stores the name)."""
        names = list(dict.fromkeys(c.name for c in self.choices.get(question.list_name, [])))
        return [*names, OTHER] if question.or_other else names

    def choice_label(
        self, question: Question, name: str, answers: dict[str, Any] | None = None
    ) -> str:
        """The label of a stored choice name. When the name appears more than once in a
        filtered list, the choice the filter shows for ``answers`` gives the label; without
        answers (a compilation over many responses) the distinct labels are joined."""
        matching = [c for c in self.choices.get(question.list_name, []) if c.name == name]
        if not matching:
            return _("Annat") if name == OTHER else name
        if len(matching) > 1 and answers is not None and question.choice_filter:
            shown = [c for c in self.visible_choices(question, answers) if c.name == name]
            matching = shown or matching
        return " / ".join(dict.fromkeys(c.label for c in matching))

    def visible_choices(self, question: Question, answers: dict[str, Any]) -> list[Choice]:
        options = self.choices.get(question.list_name, [])
        if not question.choice_filter:
            return options
        return [
            c
            for c in options
            if expressions.is_true(question.choice_filter, answers, node=self._node(c))
        ]

    def _node(self, choice: Choice) -> Any:
        key = id(choice)
        if key not in self._nodes:
            self._nodes[key] = expressions.choice_node(choice.name, choice.label, choice.filters)
        return self._nodes[key]

    def relevant_names(self, answers: dict[str, Any]) -> set[str]:
        """Names of questions (and groups) that apply given ``answers``, in form order."""
        relevant: set[str] = set()
        for question in self.questions:
            if question.type == QuestionType.END_GROUP:
                continue
            if question.group and question.group not in relevant:
                continue
            if expressions.is_true(question.relevant, answers):
                relevant.add(question.name)
        return relevant

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Typed answers from form input; errors per question name for values of the wrong type.
        Answers to questions that do not apply are dropped."""
        answers: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for question in self.answerable:
            value = raw.get(question.name)
            try:
                typed = self._typed(question, value)
            except ValueError as exc:
                errors[question.name] = str(exc)
                continue
            if typed not in (None, "", []):
                answers[question.name] = typed
            other = str(raw.get(f"{question.name}_other") or "").strip()
            if question.or_other and other:
                answers[f"{question.name}_other"] = other
        relevant = self.relevant_names(answers)
        kept = {k: v for k, v in answers.items() if k.removesuffix("_other") in relevant}
        self._drop_filtered_out(kept)
        calculated = self.calculate(kept, relevant)
        if calculated.keys() == kept.keys():
            return calculated, errors
        # a condition may depend on a calculation: apply the conditions once more
        relevant = self.relevant_names(calculated)
        kept = {k: v for k, v in calculated.items() if k.removesuffix("_other") in relevant}
        return kept, errors

    def _drop_filtered_out(self, answers: dict[str, Any]) -> None:
        """Drop choices a choice_filter no longer shows (the answer it depends on changed), as
        ODK clears them; answers to other questions are kept."""
        for question in self.answerable:
            value = answers.get(question.name)
            if not question.choice_filter or value in (None, "", []):
                continue
            allowed = {c.name for c in self.visible_choices(question, answers)}
            if question.or_other:
                allowed.add(OTHER)
            items = value if isinstance(value, list) else [value]
            kept = [item for item in items if item in allowed]
            if not kept:
                del answers[question.name]
            elif isinstance(value, list):
                answers[question.name] = kept

    def calculate(self, answers: dict[str, Any], relevant: set[str]) -> dict[str, Any]:
        """``answers`` with the value of each relevant ``calculate`` question added, in form
        order (a calculation sees the ones above it), evaluated by the bounded expression
        engine; one that fails (a division by zero, text in a sum) is left empty."""
        result = {k: v for k, v in answers.items() if k not in self._calculated_names}
        for question in self.questions:
            if question.type != QuestionType.CALCULATE or question.name not in relevant:
                continue
            try:
                value = expressions.evaluate(question.calculation, result)
            except (ElementPathError, ValueError, TypeError, ArithmeticError):
                continue
            value = _stored_value(value)
            if value not in (None, ""):
                result[question.name] = value
        return result

    @property
    def _calculated_names(self) -> set[str]:
        return {q.name for q in self.questions if q.type == QuestionType.CALCULATE}

    def _typed(self, question: Question, value: Any) -> Any:
        if value is None:
            return None
        if question.type == QuestionType.SELECT_MULTIPLE:
            items = value if isinstance(value, list) else str(value).split()
            allowed = self.choice_names(question)
            unknown = [item for item in items if item not in allowed]
            if unknown:
                raise ValueError(_("Okänt val: %s.") % ", ".join(unknown))
            return [name for name in allowed if name in items]
        text = str(value).strip()
        if not text:
            return None
        if question.type == QuestionType.ACKNOWLEDGE:
            if text not in {ACKNOWLEDGED, "on", "1", "true"}:
                raise ValueError(_("Kryssa i rutan eller lämna den tom."))
            return ACKNOWLEDGED
        if question.type == QuestionType.SELECT_ONE:
            if text not in self.choice_names(question):
                raise ValueError(_("Okänt val: %s.") % text)
            return text
        if question.type == QuestionType.INTEGER:
            if not re.fullmatch(r"-?\d{1,15}", text):
                raise ValueError(_("Ange ett heltal."))
            return int(text)
        if question.type == QuestionType.DECIMAL:
            try:
                number = Decimal(text.replace(",", ".").replace(" ", ""))
            except InvalidOperation as exc:
                raise ValueError(_("Ange ett tal.")) from exc
            if not number.is_finite():
                raise ValueError(_("Ange ett tal."))
            return str(number)
        if question.type == QuestionType.DATE:
            try:
                return date.fromisoformat(text).isoformat()
            except ValueError as exc:
                raise ValueError(_("Ange ett datum som ÅÅÅÅ-MM-DD.")) from exc
        return text[:20000]

    def submit_errors(self, answers: dict[str, Any]) -> dict[str, str]:
        """Required answers missing and constraints broken, among the questions that apply."""
        errors: dict[str, str] = {}
        relevant = self.relevant_names(answers)
        for question in self.answerable:
            if question.name not in relevant:
                continue
            value = answers.get(question.name)
            if value in (None, "", []):
                if question.required and expressions.is_true(
                    question.required, answers, default=False
                ):
                    errors[question.name] = _("Frågan måste besvaras.")
                continue
            if question.constraint and not expressions.is_true(
                question.constraint, answers, self._number(question, value)
            ):
                errors[question.name] = question.constraint_message or _(
                    "Svaret uppfyller inte villkoret."
                )
        return errors

    @staticmethod
    def _number(question: Question, value: Any) -> Any:
        if question.type == QuestionType.DECIMAL:
            return float(value)
        return value


def _stored_value(value: Any) -> Any:
    """A calculation's result as JSON stores it: whole numbers as int, other numbers rounded,
    booleans as they are, node lists and the rest as text (at most 20,000 characters)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            return None
        if number.is_integer() and abs(number) < 1e15:
            return int(number)
        return round(number, 10)
    if isinstance(value, list):
        return " ".join(str(item) for item in value)[:20000]
    return str(value)[:20000]
