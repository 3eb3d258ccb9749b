"""Checking one calls file before anything is written: the nested values, the row and field
path of each error, and the prepared (unsaved) objects; used by ``importing`` and
``import_applications``."""

from __future__ import annotations

import ast
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.exchange import RowError
from samverkan.core.jsonbounds import json_loads
from samverkan.core.tables import Table
from samverkan.funding.models import (
    Application,
    ApplicationPartner,
    BudgetLine,
    Call,
    CoFinancing,
    Criterion,
    Decision,
    FundingReport,
    PromisedIndicator,
    Score,
)
from samverkan.geo.models import County
from samverkan.projects.exchange import project_title_key
from samverkan.projects.models import Project

SHEETS = {
    "criteria": "Kriterier",
    "applications": "Ansökningar",
    "scores": "Bedömningar",
    "decision": "Beslut",
    "reports": "Återrapporter",
}


def literal(value: Any) -> Any:
    """A nested value: already parsed (JSON file), JSON text (XLSX cell) or the Python literal
    text the JSON reader makes of nested lists; ``a; b`` lists as a fallback."""
    if not isinstance(value, str):
        return value
    if value in ("", "[]"):
        return []
    for parse in (_json_cell, ast.literal_eval):
        try:
            return parse(value)
        # MemoryError and RecursionError: Python's parser on deeply nested text (a cell is at
        # most a few kB), not the heap
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return [part.strip() for part in value.split(";") if part.strip()]


def _json_cell(text: str) -> Any:
    """JSON in a cell, bounded like every JSON from outside (``core.jsonbounds``)."""
    return json_loads(text, source=_("cellen"), max_values=len(text) + 1)


def text_of(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class Where:
    """Row number and the path to a field, for the error messages."""

    row: int
    prefix: str

    def at(self, name: str) -> str:
        return f"{self.prefix}{name}"


@dataclass
class PreparedApplication:
    application: Application
    partners: list[ApplicationPartner] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    co_financing: list[CoFinancing] = field(default_factory=list)
    indicators: list[tuple[str, PromisedIndicator]] = field(default_factory=list)
    scores: list[tuple[str, Score]] = field(default_factory=list)  # (criterion title, score)
    decision: Decision | None = None
    reports: list[FundingReport] = field(default_factory=list)
    project: Project | None = None  # the linked project, found and readable
    new_project: tuple[str, str] | None = None  # (owner code, title key) of one to create


@dataclass
class PreparedCall:
    call: Call
    counties: list[County] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    applications: list[PreparedApplication] = field(default_factory=list)


class Checker:
    """Validation of one file: collects ``RowError`` s, returns cleaned values or None."""

    def __init__(self, importer: Any) -> None:
        self.importer = importer
        self.errors: list[RowError] = []
        self.counties = {c.code: c for c in County.objects.all()}
        self.organisations: dict[str, Organisation | None] = {}
        self.users: dict[str, User | None] = {}
        self.projects: dict[str, dict[str, list[Project]]] = {}

    def fail(self, where: Where, name: str, message: str) -> None:
        self.errors.append(RowError(where.row, where.at(name), message))

    def integer(self, where: Where, name: str, value: Any, *, blank: int | None = 0) -> int | None:
        text = text_of(value).replace(" ", "").replace("\u00a0", "")
        if not text:
            return blank
        if not text.isdigit():
            self.fail(where, name, _("”%s” är inget heltal ≥ 0") % value)
            return None
        return int(text)

    def date(self, where: Where, name: str, value: Any) -> datetime.date | None:
        text = text_of(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            self.fail(where, name, _("ogiltigt datum ”%s” (skriv ÅÅÅÅ-MM-DD)") % text)
            return None

    def moment(self, where: Where, name: str, value: Any) -> datetime.datetime | None:
        text = text_of(value)
        if not text:
            return None
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            self.fail(where, name, _("ogiltig tidpunkt ”%s”") % text)
            return None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def organisation(self, where: Where, name: str, code: Any) -> Organisation | None:
        code = text_of(code)
        if code not in self.organisations:
            self.organisations[code] = Organisation.objects.filter(code=code).first()
        found = self.organisations[code]
        if found is None:
            self.fail(where, name, _("okänd organisation ”%s”") % code)
        return found

    def user(self, where: Where, name: str, email: Any) -> User | None:
        email = text_of(email).lower()
        if email not in self.users:
            self.users[email] = User.objects.filter(email__iexact=email).first()
        found = self.users[email]
        if found is None:
            self.fail(where, name, _("ingen användare med e-postadressen ”%s”") % email)
        return found

    def readable_projects(self, owner_code: str) -> dict[str, list[Project]]:
        """The projects of the organisation ``owner_code`` that the importer may read, by
        normalised title (the project exchange's key); none if there is no such organisation."""
        if owner_code not in self.projects:
            by_title: dict[str, list[Project]] = {}
            owner = Organisation.objects.filter(code=owner_code).first()
            if owner is not None:
                projects = tenancy.readable(Project.objects.filter(owner=owner), self.importer)
                for project in projects.only("pk", "title", "owner_id").order_by("pk"):
                    by_title.setdefault(project_title_key(project.title), []).append(project)
            self.projects[owner_code] = by_title
        return self.projects[owner_code]

    def objects(self, where: Where, name: str, value: Any) -> list[dict[str, Any]]:
        items = literal(value) if value not in (None, "") else []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(where, name, _("ska vara en lista av objekt"))
            return []
        return items


def from_sheets(table: Table) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """XLSX: the children of each call (by exported call id), each child row with a ``_where``
    naming its sheet and row; applications carry their scores, decision and reports."""

    def rows(level: str) -> list[dict[str, Any]]:
        sheet = table.sheets.get(SHEETS[level])
        if sheet is None:
            return []
        return [
            {**values, "_where": f"{SHEETS[level]} " + _("rad %(row)d") % {"row": number}}
            for number, values in sheet.rows
        ]

    per_application: dict[str, dict[str, Any]] = {}
    for level in ("scores", "decision", "reports"):
        for row in rows(level):
            children = per_application.setdefault(row.get("application_id", ""), {})
            if level == "decision":
                children["decision"] = row
            else:
                children.setdefault(level, []).append(row)
    per_call: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in rows("criteria"):
        per_call.setdefault(row.get("call_id", ""), {}).setdefault("criteria", []).append(row)
    for row in rows("applications"):
        children = per_application.get(row.get("id", ""), {})
        row = {"scores": [], "decision": None, "reports": [], **row, **children}
        per_call.setdefault(row.get("call_id", ""), {}).setdefault("applications", []).append(row)
    return per_call


def child_where(parent: Where, item: dict[str, Any], path: str) -> Where:
    if item.get("_where"):
        return Where(parent.row, f"{item['_where']}: ")
    return Where(parent.row, f"{parent.prefix}{path}.")
