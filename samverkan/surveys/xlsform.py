"""Reading and writing XLSForm workbooks (the ODK/KoboToolbox standard).

The reader refuses what the platform does not support, naming sheet, row and feature, and
guards against hostile files before openpyxl sees them: file size, zip bombs (uncompressed
size and ratio), row counts, unknown functions and circular references between questions.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook

from samverkan.core.tables import safe_cell
from samverkan.core.zipcheck import ZipBomb, zip_check
from samverkan.surveys.expressions import ExpressionError, compile_expression, references

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ROWS = 2000
# Groups inside groups: forms from the field nest a few levels; 50 is a mistake or an attack.
MAX_GROUP_DEPTH = 20

SUPPORTED_TYPES = {
    "text",
    "integer",
    "decimal",
    "date",
    "note",
    "begin_group",
    "end_group",
    "select_one",
    "select_multiple",
}
IGNORED_TYPES = {"start", "end", "today", "deviceid", "username", "audit"}
SURVEY_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "choice_filter",
    "required_message",
    "appearance",
}
UNSUPPORTED_COLUMNS = {
    "calculation",
    "repeat_count",
    "default",
    "trigger",
    "readonly",
    "image",
    "audio",
    "video",
    "parameters",
    "media::image",
}
KNOWN_SHEETS = {"survey", "choices", "settings"}
# form_id names the downloaded file and the XForm: a slug, as the model's field says.
FORM_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")


class XLSFormError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class QuestionSpec:
    row: int
    type: str
    name: str
    label: str = ""
    hint: str = ""
    list_name: str = ""
    or_other: bool = False
    required: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    choice_filter: str = ""
    group: str = ""


@dataclass
class ChoiceSpec:
    row: int
    list_name: str
    name: str
    label: str
    filters: dict[str, str] = field(default_factory=dict)


@dataclass
class FormSpec:
    title: str
    form_id: str
    questions: list[QuestionSpec]
    choices: list[ChoiceSpec]


def _guard_zip(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise XLSFormError(
            [
                f"Filen är för stor ({len(data) // 1024} kB; högst "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB)."
            ]
        )
    try:
        zip_check(data, unpacked_limit=MAX_UNCOMPRESSED_BYTES, ratio_limit=MAX_COMPRESSION_RATIO)
    except zipfile.BadZipFile as exc:
        raise XLSFormError(["Filen är inte en XLSX-arbetsbok (XLSForm)."]) from exc
    except ZipBomb as exc:
        raise XLSFormError(
            ["Filen packas upp till orimligt mycket data (möjlig zip-bomb) och läses inte."]
        ) from exc


def _sheet_rows(workbook: Any, name: str) -> list[tuple[int, dict[str, str]]]:
    sheet = next((ws for ws in workbook.worksheets if ws.title.strip().lower() == name), None)
    if sheet is None:
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS + 1:
            raise XLSFormError([f"Blad {name}: fler än {MAX_ROWS} rader stöds inte."])
        cells = ["" if value is None else str(value).strip() for value in values]
        if not header:
            header = [cell.lower() for cell in cells]
            continue
        if not any(cells):
            continue
        rows.append(
            (
                number,
                {header[i]: cells[i] for i in range(min(len(header), len(cells))) if header[i]},
            )
        )
    return rows


def _label(row: dict[str, str], base: str = "label") -> str:
    if row.get(base):
        return row[base]
    return next((value for key, value in row.items() if key.startswith(base + "::") and value), "")


def xlsform_read(data: bytes) -> FormSpec:
    """Parse an XLSForm; raises XLSFormError listing every problem found."""
    _guard_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise XLSFormError([f"Arbetsboken kan inte läsas: {exc}"]) from exc
    errors: list[str] = []
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() not in KNOWN_SHEETS:
            errors.append(f"Blad {sheet.title}: bladet stöds inte.")
    survey = _sheet_rows(workbook, "survey")
    if not survey:
        raise XLSFormError(["Arbetsboken saknar bladet survey (eller det är tomt)."])
    settings_rows = _sheet_rows(workbook, "settings")
    settings = settings_rows[0][1] if settings_rows else {}
    form_id = settings.get("form_id", "") or "enkat"
    if not FORM_ID.fullmatch(form_id):
        errors.append(
            f"Blad settings: form_id ”{form_id[:100]}” stöds inte (bara a–z, A–Z, 0–9, - och _, "
            "högst 100 tecken)."
        )
    questions = _read_questions(survey, errors)
    choices = _read_choices(_sheet_rows(workbook, "choices"), errors)
    _check_lists(questions, choices, errors)
    _check_expressions(questions, errors)
    if errors:
        raise XLSFormError(errors)
    return FormSpec(
        title=settings.get("form_title", "") or "Namnlös enkät",
        form_id=form_id,
        questions=questions,
        choices=choices,
    )


def _read_questions(
    rows: list[tuple[int, dict[str, str]]], errors: list[str]
) -> list[QuestionSpec]:
    questions: list[QuestionSpec] = []
    groups: list[str] = []
    names: set[str] = set()
    for number, row in rows:
        where = f"Blad survey, rad {number}"
        for column in row:
            base = column.split("::")[0]
            if row[column] and (
                base in UNSUPPORTED_COLUMNS
                or column.startswith("bind::")
                or column.startswith("instance::")
            ):
                errors.append(f"{where}: kolumnen {column} stöds inte.")
        parts = row.get("type", "").split()
        if not parts:
            errors.append(f"{where}: typ saknas.")
            continue
        kind = parts[0].replace(" ", "_")
        if kind in {"begin", "end"} and len(parts) > 1:
            kind, parts = f"{kind}_{parts[1]}", [f"{kind}_{parts[1]}", *parts[2:]]
        if kind in IGNORED_TYPES:
            continue
        if kind not in SUPPORTED_TYPES:
            errors.append(f"{where}: typen {kind} stöds inte.")
            continue
        spec = QuestionSpec(
            row=number,
            type=kind,
            name=row.get("name", ""),
            label=_label(row),
            hint=_label(row, "hint"),
            required=row.get("required", ""),
            relevant=row.get("relevant", ""),
            constraint=row.get("constraint", ""),
            constraint_message=_label(row, "constraint_message"),
            choice_filter=row.get("choice_filter", ""),
        )
        if spec.required.lower() in {"true", "true()", "yes"}:
            spec.required = "yes"
        elif spec.required.lower() in {"false", "false()", "no"}:
            spec.required = ""
        if kind in {"select_one", "select_multiple"}:
            if len(parts) < 2:
                errors.append(f"{where}: {kind} saknar svarslista.")
                continue
            spec.list_name = parts[1]
            spec.or_other = parts[2:] == ["or_other"]
            if parts[2:] and not spec.or_other:
                errors.append(f"{where}: tillägget {' '.join(parts[2:])} stöds inte.")
        if kind == "end_group":
            if not groups:
                errors.append(f"{where}: end group utan begin group.")
                continue
            spec.name = spec.name or groups[-1]
            groups.pop()
            spec.group = groups[-1] if groups else ""
            questions.append(spec)
            continue
        if not spec.name:
            errors.append(f"{where}: namn saknas.")
            continue
        if spec.name in names:
            errors.append(f"{where}: namnet {spec.name} används redan.")
        names.add(spec.name)
        spec.group = groups[-1] if groups else ""
        if kind == "begin_group":
            if len(groups) >= MAX_GROUP_DEPTH:
                errors.append(
                    f"{where}: grupper i fler än {MAX_GROUP_DEPTH} nivåer stöds inte "
                    f"(gruppen {spec.name})."
                )
                return questions
            groups.append(spec.name)
        questions.append(spec)
    if groups:
        errors.append(f"Blad survey: gruppen {groups[-1]} avslutas aldrig (end group saknas).")
    return questions


def _read_choices(rows: list[tuple[int, dict[str, str]]], errors: list[str]) -> list[ChoiceSpec]:
    choices: list[ChoiceSpec] = []
    seen: set[tuple[str, str]] = set()
    standard = {"list_name", "list name", "name", "label"}
    for number, row in rows:
        list_name = row.get("list_name") or row.get("list name", "")
        name = row.get("name", "")
        if not list_name or not name:
            errors.append(f"Blad choices, rad {number}: list_name och name krävs.")
            continue
        if (list_name, name) in seen:
            errors.append(f"Blad choices, rad {number}: valet {name} finns redan i {list_name}.")
        seen.add((list_name, name))
        filters = {
            key: value
            for key, value in row.items()
            if key not in standard and not key.startswith("label::") and value
        }
        choices.append(
            ChoiceSpec(
                row=number,
                list_name=list_name,
                name=name,
                label=_label(row) or name,
                filters=filters,
            )
        )
    return choices


def _check_lists(
    questions: list[QuestionSpec], choices: list[ChoiceSpec], errors: list[str]
) -> None:
    lists = {choice.list_name for choice in choices}
    for question in questions:
        if question.list_name and question.list_name not in lists:
            errors.append(
                f"Blad survey, rad {question.row}: svarslistan {question.list_name} "
                "finns inte på bladet choices."
            )


def _check_expressions(questions: list[QuestionSpec], errors: list[str]) -> None:
    names = {question.name for question in questions}
    graph: dict[str, set[str]] = {}
    for question in questions:
        for column in ("relevant", "required", "constraint", "choice_filter"):
            expression = getattr(question, column)
            if not expression or (column == "required" and expression == "yes"):
                continue
            where = f"Blad survey, rad {question.row}, kolumn {column}"
            try:
                compile_expression(expression)
            except ExpressionError as exc:
                errors.append(f"{where}: uttrycket kan inte tolkas ({exc}).")
                continue
            for name in sorted(references(expression) - names):
                errors.append(f"{where}: okänd fråga ${{{name}}}.")
            if column == "relevant":
                graph[question.name] = references(expression) & names
    cycle = _find_cycle(graph)
    if cycle:
        errors.append("Blad survey, kolumn relevant: cirkulära villkor " + " → ".join(cycle) + ".")


def _find_cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(graph.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, pending = stack[-1]
            if not pending:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            nxt = pending.pop()
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(graph.get(nxt, ()))))
    return []


def xlsform_write(
    *, title: str, form_id: str, questions: list[dict[str, Any]], choices: list[dict[str, Any]]
) -> bytes:
    """Write a questionnaire as an XLSForm workbook (survey, choices, settings).

    Texts go through ``safe_cell`` as in every export: a label ``=HYPERLINK(…)`` would otherwise
    become a formula cell. Expressions are written as they are (they were parsed as XPath, which
    never starts with ``=``, the one prefix openpyxl turns into a formula, while a leading ``-``
    is valid XPath that an apostrophe would break)."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            "label",
            "hint",
            "required",
            "relevant",
            "constraint",
            "constraint_message",
            "choice_filter",
        ]
    )
    for question in questions:
        kind = question["type"].replace("_group", " group")
        if question["list_name"]:
            kind = f"{kind} {question['list_name']}" + (" or_other" if question["or_other"] else "")
        survey.append(
            [
                safe_cell(kind),
                safe_cell(question["name"]),
                safe_cell(question["label"]),
                safe_cell(question["hint"]),
                _expression_cell(question["required"]),
                _expression_cell(question["relevant"]),
                _expression_cell(question["constraint"]),
                safe_cell(question["constraint_message"]),
                _expression_cell(question["choice_filter"]),
            ]
        )
    sheet = workbook.create_sheet("choices")
    filter_columns = sorted({key for choice in choices for key in choice["filters"]})
    sheet.append(["list_name", "name", "label", *map(safe_cell, filter_columns)])
    for choice in choices:
        sheet.append(
            [
                safe_cell(choice["list_name"]),
                safe_cell(choice["name"]),
                safe_cell(choice["label"]),
                *(safe_cell(choice["filters"].get(column, "")) for column in filter_columns),
            ]
        )
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append([safe_cell(title), safe_cell(form_id)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _expression_cell(expression: str) -> str:
    return str(safe_cell(expression)) if expression.startswith("=") else expression
