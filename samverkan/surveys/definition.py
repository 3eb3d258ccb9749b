"""A questionnaire loaded for answering, validating and compiling: one query per table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from samverkan.surveys import expressions
from samverkan.surveys.models import ANSWERABLE_TYPES, Choice, Question, Questionnaire, QuestionType

OTHER = "other"


@dataclass
class Definition:
    questionnaire: Questionnaire
    questions: list[Question]
    choices: dict[str, list[Choice]]

    @classmethod
    def load(cls, questionnaire: Questionnaire) -> Definition:
        choices: dict[str, list[Choice]] = {}
        for choice in questionnaire.choices.all():
            choices.setdefault(choice.list_name, []).append(choice)
        return cls(questionnaire, list(questionnaire.questions.all()), choices)

    @property
    def answerable(self) -> list[Question]:
        return [q for q in self.questions if q.type in ANSWERABLE_TYPES]

    def by_name(self) -> dict[str, Question]:
        return {q.name: q for q in self.questions}

    def choice_names(self, question: Question) -> list[str]:
        names = [choice.name for choice in self.choices.get(question.list_name, [])]
        return [*names, OTHER] if question.or_other else names

    def choice_label(self, question: Question, name: str) -> str:
        for choice in self.choices.get(question.list_name, []):
            if choice.name == name:
                return choice.label
        return _("Annat") if name == OTHER else name

    def visible_choices(self, question: Question, answers: dict[str, Any]) -> list[Choice]:
        options = self.choices.get(question.list_name, [])
        if not question.choice_filter:
            return options
        return [
            c
            for c in options
            if expressions.is_true(question.choice_filter, {**answers, **c.filters}, c.name)
        ]

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
        return {k: v for k, v in answers.items() if k.removesuffix("_other") in relevant}, errors

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
