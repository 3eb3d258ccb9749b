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
    "calculate",
    "acknowledge",
}
# Spellings pyxform accepts for the same type (documented XLSForm aliases and the older
# "add … prompt" forms); the stored questionnaire uses the name on the right.
TYPE_ALIASES = {
    "string": "text",
    "add_text_prompt": "text",
    "int": "integer",
    "add_integer_prompt": "integer",
    "add_decimal_prompt": "decimal",
    "add_date_prompt": "date",
    "add_note_prompt": "note",
    "q_acknowledge": "acknowledge",
}
SELECT_ALIASES = {
    "select_one": "select_one",
    "select one": "select_one",
    "select one from": "select_one",
    "select1": "select_one",
    "add select one prompt using": "select_one",
    "select_multiple": "select_multiple",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "select all that apply from": "select_multiple",
    "select multiple from": "select_multiple",
    "add select multiple prompt using": "select_multiple",
}
OR_OTHER = {"or_other", "or other", "or specify other"}
# Text questions with a check: pyxform reads phonenumber/email as metadata the device fills in;
# a row with a label is a question people answer here, so it becomes text with a bounded check
# (RE2, linear time; see expressions.py). A row without a label is ignored as metadata.
CHECKED_TEXT = {
    "phone": ("regex(., '^[+]?[0-9 ()-]{5,25}$')", "Ange ett telefonnummer."),
    "phonenumber": ("regex(., '^[+]?[0-9 ()-]{5,25}$')", "Ange ett telefonnummer."),
    "phone_number": ("regex(., '^[+]?[0-9 ()-]{5,25}$')", "Ange ett telefonnummer."),
    "email": (
        "regex(., '^[^@ ]{1,64}@[^@ ]{1,255}[.][^@ .]{2,63}$')",
        "Ange en e-postadress.",
    ),
}
# The kind of input a text question with one of these checks is typed in (tel, email).
CHECKED_INPUT = {
    check: "email" if kind == "email" else "tel" for kind, (check, _m) in CHECKED_TEXT.items()
}


def checked_text_kind(constraint: str) -> str:
    """ "tel" or "email" for a text question whose check is the one a phone or e-mail row got
    at import, else ""."""
    return CHECKED_INPUT.get(constraint.strip(), "")


# Filled in by a device, not answered by an organisation: ignored with a warning.
IGNORED_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "audit",
    "simserial",
    "subscriberid",
    "hidden",
    "start-geopoint",
    "start_geopoint",
    "background-audio",
    "background_audio",
    "background-geopoint",
    "background_geopoint",
}
FROM_FILE = "svarslistor från externa filer stöds inte (lägg valen på bladet choices)"
# Types that cannot apply to a survey answered by organisations on the web, with the reason.
REFUSED_TYPES = {
    "geopoint": "platser (GPS) samlas inte in i enkäter till organisationer",
    "geotrace": "platser (GPS) samlas inte in i enkäter till organisationer",
    "geoshape": "platser (GPS) samlas inte in i enkäter till organisationer",
    "osm": "OpenStreetMap-kartor stöds inte",
    "image": "bilder tas emot som bilaga till svaret, inte per fråga",
    "photo": "bilder tas emot som bilaga till svaret, inte per fråga",
    "audio": "ljud spelas inte in i enkäter till organisationer",
    "video": "video spelas inte in i enkäter till organisationer",
    "file": "filer tas emot som bilaga till svaret, inte per fråga",
    "barcode": "streckkoder läses inte in i webbläsaren",
    "rank": "rangordning stöds inte ännu",
    "datetime": "tidpunkter lagras inte ännu (använd date)",
    "time": "klockslag lagras inte ännu (använd text med kontroll)",
    "trigger": "trigger är en fältfunktion i ODK Collect",
    "select_one_from_file": FROM_FILE,
    "select_multiple_from_file": FROM_FILE,
    "select_one_external": "externa svarslistor stöds inte (lägg valen på bladet choices)",
    "xml-external": "externa datafiler stöds inte",
    "csv-external": "externa datafiler stöds inte",
    "begin_repeat": "upprepade grupper (repeat) stöds inte ännu",
    "end_repeat": "upprepade grupper (repeat) stöds inte ännu",
    "begin_loop": "loopar stöds inte",
    "end_loop": "loopar stöds inte",
}
# Select types whose choices live outside the workbook (refused below, in REFUSED_TYPES).
EXTERNAL_SELECTS = {
    "select_one_from_file": "select_one_from_file",
    "select one from file": "select_one_from_file",
    "select_multiple_from_file": "select_multiple_from_file",
    "select multiple from file": "select_multiple_from_file",
    "select all that apply from file": "select_multiple_from_file",
    "select_one_external": "select_one_external",
    "select one external": "select_one_external",
    "rank": "rank",
}
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
    "calculation",
    "parameters",
}
# Columns read as their pyxform alias (the left one is the one pyxform documents as an alias).
COLUMN_ALIASES = {"list name": "list_name", "caption": "label"}
MEDIA_COLUMNS = {"image", "audio", "video", "big-image", "media::image", "media::audio"}
KNOWN_SHEETS = {"survey", "choices", "settings"}
# form_id names the downloaded file and the XForm: a slug, as the model's field says.
UNKNOWN_FUNCTION = re.compile(r"unknown function '([^']+)'")
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
    calculation: str = ""


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
    # what was left out of the form: ignored columns, sheets and metadata types (Swedish)
    warnings: list[str] = field(default_factory=list)


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


def _header(cell: str) -> str:
    """A column name as read: lower case, and ``list name``/``constraint message`` spelled with
    an underscore in the part before any ``::language`` (which keeps its spaces)."""
    base, sep, rest = cell.strip().partition("::")
    base = base.lower()
    base = COLUMN_ALIASES.get(base, base.replace(" ", "_"))
    return base + sep + rest


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
            header = [_header(cell) for cell in cells]
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


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:10])
    return shown + (f" och {len(rows) - 10} till" if len(rows) > 10 else "")


def _column_warnings(sheet: str, ignored: dict[str, list[int]]) -> list[str]:
    """One warning per ignored column, naming the rows where it had a value."""
    warnings = []
    for column, rows in ignored.items():
        kind = "mediakolumnen" if _is_media(column) else "kolumnen"
        warnings.append(f"Blad {sheet}: {kind} {column} ignoreras (rad {_rows_text(rows)}).")
    return warnings


def _is_media(column: str) -> bool:
    return column.split("::")[0] in MEDIA_COLUMNS or column.startswith("media::")


def xlsform_read(data: bytes) -> FormSpec:
    """Parse an XLSForm; raises XLSFormError listing every problem found.

    What a form from the field holds that a survey to organisations has no use for (media
    columns, unknown columns and sheets, device metadata such as ``start`` or ``deviceid``) is
    left out and listed in ``FormSpec.warnings``; types that cannot apply are refused."""
    _guard_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise XLSFormError([f"Arbetsboken kan inte läsas: {exc}"]) from exc
    errors: list[str] = []
    warnings: list[str] = []
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() not in KNOWN_SHEETS:
            warnings.append(f"Blad {sheet.title}: bladet ignoreras.")
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
    questions = _read_questions(survey, errors, warnings)
    choices = _read_choices(_sheet_rows(workbook, "choices"), errors, warnings)
    _check_lists(questions, choices, errors)
    _check_expressions(questions, errors)
    if errors:
        raise XLSFormError(errors)
    return FormSpec(
        title=settings.get("form_title", "") or "Namnlös enkät",
        form_id=form_id,
        questions=questions,
        choices=choices,
        warnings=warnings,
    )


def _type_of(text: str) -> tuple[str, str, bool, str]:
    """(type, list name, or_other, problem) for a ``type`` cell in any spelling pyxform accepts:
    ``select one from yes_no``, ``select all that apply list or specify other``, ``begin group``."""
    words = text.split()
    lowered = [word.lower() for word in words]
    joined = " ".join(lowered)
    for external in EXTERNAL_SELECTS:
        if joined == external or joined.startswith(external + " "):
            return EXTERNAL_SELECTS[external], "", False, ""
    for length in (5, 4, 3, 2, 1):
        head = " ".join(lowered[:length])
        if head not in SELECT_ALIASES or len(words) < length:
            continue
        rest = words[length:]
        if not rest:
            return SELECT_ALIASES[head], "", False, ""
        tail = " ".join(rest[1:])
        if tail and tail.lower() not in OR_OTHER:
            return SELECT_ALIASES[head], rest[0], False, f"tillägget {tail}"
        return SELECT_ALIASES[head], rest[0], bool(tail), ""
    kind = "_".join(lowered)
    kind = {"begin_lgroup": "begin_repeat", "begin_looped_group": "begin_repeat"}.get(kind, kind)
    return TYPE_ALIASES.get(kind, kind), "", False, ""


def _parse_range(text: str) -> tuple[str, str] | None:
    """``start=1 end=10 step=1`` as (constraint, integer|decimal), or None when unusable."""
    values: dict[str, str] = {}
    for part in text.replace(";", " ").replace(",", " ").split():
        key, _sep, value = part.partition("=")
        values[key.strip().lower()] = value.strip()
    start, end, step = values.get("start", ""), values.get("end", ""), values.get("step", "1")
    number = re.compile(r"-?\d{1,15}(\.\d{1,10})?")
    if not (number.fullmatch(start) and number.fullmatch(end) and number.fullmatch(step)):
        return None
    if float(start) > float(end):
        start, end = end, start
    kind = "integer" if all("." not in v for v in (start, end, step)) else "decimal"
    return f". >= {start} and . <= {end}", kind


def _read_questions(
    rows: list[tuple[int, dict[str, str]]], errors: list[str], warnings: list[str]
) -> list[QuestionSpec]:
    questions: list[QuestionSpec] = []
    groups: list[str] = []
    names: set[str] = set()
    ignored: dict[str, list[int]] = {}
    for number, row in rows:
        where = f"Blad survey, rad {number}"
        for column, value in row.items():
            base = column.split("::")[0]
            if value and base not in SURVEY_COLUMNS:
                ignored.setdefault(column, []).append(number)
        if not row.get("type", "").strip():
            errors.append(f"{where}, kolumn type: typ saknas.")
            continue
        kind, list_name, or_other, problem = _type_of(row["type"])
        if kind in IGNORED_TYPES or (kind in CHECKED_TEXT and not _label(row)):
            warnings.append(f"{where}: typen {row['type']} ignoreras (fylls i av en mobil enhet).")
            continue
        if kind in {"begin_repeat", "end_repeat"}:
            errors.append(
                f"{where}, kolumn type: upprepade grupper ({row['type']}) stöds inte ännu; "
                "gör om dem till vanliga frågor eller grupper."
            )
            continue
        constraint, constraint_message = row.get("constraint", ""), ""
        if kind in CHECKED_TEXT:
            check, message = CHECKED_TEXT[kind]
            if not constraint:
                constraint, constraint_message = check, message
            kind = "text"
        if kind == "range":
            parsed = _parse_range(row.get("parameters", ""))
            if parsed is None:
                errors.append(
                    f"{where}, kolumn parameters: range behöver start= och end= som tal "
                    f"(t.ex. start=0 end=10), fick ”{row.get('parameters', '')[:100]}”."
                )
                continue
            check, kind = parsed
            constraint = f"({constraint}) and {check}" if constraint else check
        elif row.get("parameters"):
            ignored.setdefault("parameters", []).append(number)
        if kind in REFUSED_TYPES:
            errors.append(
                f"{where}, kolumn type: typen {row['type']} stöds inte: {REFUSED_TYPES[kind]}."
            )
            continue
        if kind not in SUPPORTED_TYPES:
            errors.append(f"{where}, kolumn type: typen {row['type']} är okänd.")
            continue
        spec = QuestionSpec(
            row=number,
            type=kind,
            name=row.get("name", ""),
            label=_label(row),
            hint=_label(row, "hint"),
            required=row.get("required", ""),
            relevant=row.get("relevant", ""),
            constraint=constraint,
            constraint_message=_label(row, "constraint_message") or constraint_message,
            choice_filter=row.get("choice_filter", ""),
            calculation=row.get("calculation", "") if kind == "calculate" else "",
        )
        if row.get("calculation") and kind != "calculate":
            ignored.setdefault("calculation", []).append(number)
        if kind == "calculate" and not spec.calculation:
            errors.append(f"{where}, kolumn calculation: calculate saknar uttryck.")
            continue
        if spec.required.lower() in {"true", "true()", "yes"}:
            spec.required = "yes"
        elif spec.required.lower() in {"false", "false()", "no"}:
            spec.required = ""
        if kind in {"select_one", "select_multiple"}:
            if problem:
                errors.append(f"{where}, kolumn type: {problem} stöds inte.")
                continue
            if not list_name:
                errors.append(f"{where}, kolumn type: {kind} saknar svarslista.")
                continue
            spec.list_name, spec.or_other = list_name, or_other
        if kind == "end_group":
            if not groups:
                errors.append(f"{where}, kolumn type: end group utan begin group.")
                continue
            spec.name = spec.name or groups[-1]
            groups.pop()
            spec.group = groups[-1] if groups else ""
            questions.append(spec)
            continue
        if not spec.name:
            errors.append(f"{where}, kolumn name: namn saknas.")
            continue
        if spec.name in names:
            errors.append(f"{where}, kolumn name: namnet {spec.name} används redan.")
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
    warnings.extend(_column_warnings("survey", ignored))
    return questions


def _read_choices(
    rows: list[tuple[int, dict[str, str]]], errors: list[str], warnings: list[str]
) -> list[ChoiceSpec]:
    """Choices; the same name may appear more than once in a list when the filter columns
    (used by ``choice_filter``) differ, as XLSForm allows."""
    choices: list[ChoiceSpec] = []
    seen: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()
    standard = {"list_name", "name", "label"}
    ignored: dict[str, list[int]] = {}
    for number, row in rows:
        list_name = row.get("list_name", "")
        name = row.get("name", "")
        if not list_name or not name:
            errors.append(f"Blad choices, rad {number}: list_name och name krävs.")
            continue
        filters = {}
        for key, value in row.items():
            if key in standard or key.startswith("label::") or not value:
                continue
            if _is_media(key) or "::" in key:
                ignored.setdefault(key, []).append(number)
                continue
            filters[key] = value
        identity = (list_name, name, tuple(sorted(filters.items())))
        if identity in seen:
            where = f"Blad choices, rad {number}, kolumn name"
            errors.append(
                f"{where}: valet {name} finns redan i {list_name}"
                + (" med samma filtervärden." if filters else ".")
            )
        seen.add(identity)
        choices.append(
            ChoiceSpec(
                row=number,
                list_name=list_name,
                name=name,
                label=_label(row) or name,
                filters=filters,
            )
        )
    warnings.extend(_column_warnings("choices", ignored))
    return choices


def _check_lists(
    questions: list[QuestionSpec], choices: list[ChoiceSpec], errors: list[str]
) -> None:
    lists = {choice.list_name for choice in choices}
    for question in questions:
        if question.list_name and question.list_name not in lists:
            errors.append(
                f"Blad survey, rad {question.row}, kolumn type: svarslistan {question.list_name} "
                "finns inte på bladet choices."
            )


def _check_expressions(questions: list[QuestionSpec], errors: list[str]) -> None:
    names = {question.name for question in questions}
    graph: dict[str, set[str]] = {}
    for question in questions:
        for column in ("relevant", "required", "constraint", "choice_filter", "calculation"):
            expression = getattr(question, column)
            if not expression or (column == "required" and expression == "yes"):
                continue
            where = f"Blad survey, rad {question.row}, kolumn {column}"
            try:
                compile_expression(expression)
            except ExpressionError as exc:
                found = UNKNOWN_FUNCTION.search(str(exc))
                if found:
                    errors.append(
                        f"{where}: funktionen {found.group(1)}() kan inte beräknas här "
                        "(XPath 1.0 och ODK:s vanligaste funktioner går)."
                    )
                else:
                    errors.append(f"{where}: uttrycket kan inte tolkas ({exc}).")
                continue
            for name in sorted(references(expression) - names):
                errors.append(f"{where}: okänd fråga ${{{name}}}.")
            if column in {"relevant", "calculation"}:
                graph.setdefault(question.name, set()).update(references(expression) & names)
    cycle = _find_cycle(graph)
    if cycle:
        errors.append(
            "Blad survey, kolumn relevant/calculation: cirkulära villkor " + " → ".join(cycle) + "."
        )


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
            "calculation",
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
                _expression_cell(question.get("calculation", "")),
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
