"""Render a ``Report`` as HTML, PDF, DOCX or XLSX.

Every timestamp written into a file is the report's snapshot time and zip members get fixed
dates, so the same report gives byte-identical DOCX and XLSX files (and the same hash).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from samverkan.core.reporting.document import (
    PRINT_MAX_COLUMNS,
    Chart,
    Heading,
    Paragraph,
    Report,
    Table,
)
from samverkan.core.tables import safe_cell

XLSX_MAX_ROWS = 1_000_000


def cell_text(value: Any) -> str:
    """A table cell as Swedish text: decimal comma, ISO dates, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        text = f"{value:,.1f}" if value != int(value) or abs(value) >= 1e15 else f"{value:,.0f}"
        return text.replace(",", "\u202f").replace(".", ",")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def snapshot_label(report: Report) -> str:
    return timezone.localtime(report.snapshot_at).strftime("%Y-%m-%d %H:%M")


# --- HTML and PDF -------------------------------------------------------------------------------


def render_html(report: Report, *, standalone: bool = True) -> str:
    """The report as HTML: a whole document (download, PDF) or a fragment (the app page)."""
    context = {
        "report": report,
        "snapshot": snapshot_label(report),
        "standalone": standalone,
        "pdf": False,
    }
    template = "reports/document.html" if standalone else "reports/_document.html"
    return render_to_string(template, context)


def pdf_layout(report: Report) -> Any:
    """The report laid out in pages by WeasyPrint (a ``weasyprint.Document``): what
    ``render_pdf`` writes, and what the tests measure (no box past the page's content area)."""
    import logging

    import weasyprint

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    html = render_to_string(
        "reports/document.html",
        {"report": report, "snapshot": snapshot_label(report), "standalone": True, "pdf": True},
    )
    return weasyprint.HTML(string=html, base_url=None).render(pdf_variant="pdf/ua-1")


def render_pdf(report: Report) -> bytes:
    """The report as PDF through WeasyPrint: page numbers, a table of contents with page
    references, tagged headings (PDF/UA), document language sv, charts as vector graphics."""
    return pdf_layout(report).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)  # type: ignore[no-any-return]


# --- DOCX ---------------------------------------------------------------------------------------


def render_docx(report: Report) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    _docx_language(document, OxmlElement, qn)
    properties = document.core_properties
    properties.title = report.title
    properties.subject = f"{report.scope_label}, {report.period_label}"
    properties.author = "Samverkan"
    properties.last_modified_by = "Samverkan"
    properties.language = "sv-SE"
    properties.created = properties.modified = _naive_utc(report.snapshot_at)
    properties.revision = 1
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    document.add_paragraph(f"Dataläge: {snapshot_label(report)}")
    document.add_heading("Innehåll", level=1)
    for number, section in enumerate(report.sections, start=1):
        document.add_paragraph(f"{number}. {section.title}", style="List Number")
    landscape = False  # wide tables go on landscape pages; consecutive ones share them
    for number, section in enumerate(report.sections, start=1):
        if landscape:
            landscape = _docx_orientation(document, landscape=False)
        document.add_heading(f"{number}. {section.title}", level=1)
        for block in section.blocks:
            wide = (
                isinstance(block, Table)
                and bool(block.rows)
                and (len(block.columns) > PRINT_MAX_COLUMNS)
            )
            if wide != landscape:
                landscape = _docx_orientation(document, landscape=wide)
            if isinstance(block, Heading):
                document.add_heading(block.text, level=min(block.level - 1, 4))
            elif isinstance(block, Paragraph):
                paragraph = document.add_paragraph(block.text)
                if block.note:
                    for run in paragraph.runs:
                        run.italic = True
            elif isinstance(block, Table):
                if not block.rows:
                    document.add_paragraph(block.caption, style="Caption")
                    document.add_paragraph(block.empty_text).runs[0].italic = True
                    continue
                if not wide:
                    _docx_table(document, block, OxmlElement, qn)
                    continue
                # wider than a portrait page: whole on a landscape page, split only past
                # what a landscape page holds
                for part in block.column_groups(LANDSCAPE_MAX_COLUMNS):
                    _docx_table(document, part, OxmlElement, qn, font=Pt(8))
            elif isinstance(block, Chart):
                paragraph = document.add_paragraph()
                paragraph.add_run(f"Diagram: {block.title}. ").bold = True
                paragraph.add_run(block.alt).font.size = Pt(9)
    if landscape:
        _docx_orientation(document, landscape=False)
    document.add_heading("Källor", level=1)
    if not report.sources:
        document.add_paragraph("Inga källor angivna.")
    for section, source in report.sources:
        document.add_paragraph(
            f"{section.title} – {source.label}: {source.origin}", style="List Bullet"
        )
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue(), report.snapshot_at)


# A landscape A4 page holds the row header and eleven more columns at 8 pt.
LANDSCAPE_MAX_COLUMNS = 12


def _docx_orientation(document: Any, *, landscape: bool) -> bool:
    """Start a new section (on a new page) in landscape or portrait orientation; returns
    ``landscape``."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    previous = document.sections[-1]
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = previous.page_width, previous.page_height
    if landscape != (width > height):
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    return landscape


def _docx_table(
    document: Any, table_block: Table, oxml_element: Any, qn: Any, font: Any = None
) -> None:
    document.add_paragraph(table_block.caption, style="Caption")
    table = document.add_table(rows=1, cols=len(table_block.columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, table_block.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        if font is not None:
            run.font.size = font
    _docx_repeat_header(table.rows[0], oxml_element, qn)
    for row in table_block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = ""
            run = cell.paragraphs[0].add_run(cell_text(value))
            if font is not None:
                run.font.size = font


def _docx_language(document: Any, oxml_element: Any, qn: Any) -> None:
    """Swedish as the proofing language of the whole document."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = oxml_element("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "sv-SE")


def _docx_repeat_header(row: Any, oxml_element: Any, qn: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = oxml_element("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# --- XLSX ---------------------------------------------------------------------------------------


def render_xlsx(report: Report) -> bytes:
    """One sheet per section (tables one under the other, each with a caption), plus a first
    sheet describing the report and a last sheet with the sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)
    about = workbook.active
    about.title = "Om rapporten"
    for label, value in [
        ("Rapport", report.title),
        ("Område", report.scope_label),
        ("Period", report.period_label),
        ("Dataläge", snapshot_label(report)),
        ("Avsnitt", ", ".join(s.title for s in report.sections)),
    ]:
        about.append([label, safe_cell(value)])
        about.cell(about.max_row, 1).font = bold
    used = {"Om rapporten", "Källor"}
    for section in report.sections:
        sheet = workbook.create_sheet(_sheet_name(section.title, used))
        sheet.append([section.title])
        sheet.cell(1, 1).font = Font(bold=True, size=14)
        for block in section.blocks:
            if isinstance(block, Heading):
                sheet.append([])
                sheet.append([block.text])
                sheet.cell(sheet.max_row, 1).font = bold
            elif isinstance(block, Paragraph):
                sheet.append([safe_cell(block.text)])
            elif isinstance(block, Table):
                sheet.append([])
                sheet.append([safe_cell(block.caption)])
                sheet.cell(sheet.max_row, 1).font = Font(italic=True)
                sheet.append([safe_cell(c) for c in block.columns])
                for column in range(1, len(block.columns) + 1):
                    sheet.cell(sheet.max_row, column).font = bold
                if sheet.freeze_panes is None:  # the first table's header stays in view
                    sheet.freeze_panes = sheet.cell(
                        sheet.max_row + 1, 2 if len(block.columns) > 2 else 1
                    )
                if not block.rows:
                    sheet.append([block.empty_text])
                for row in block.rows[:XLSX_MAX_ROWS]:
                    sheet.append([_xlsx_value(v) for v in row])
            elif isinstance(block, Chart):
                sheet.append([f"Diagram: {block.title} ({block.alt})"])
    for sheet in workbook.worksheets:
        _xlsx_widths(sheet)
    sources = workbook.create_sheet("Källor")
    sources.append(["Avsnitt", "Uppgift", "Källa"])
    for column in range(1, 4):
        sources.cell(1, column).font = bold
    for section, source in report.sources:
        sources.append([section.title, safe_cell(source.label), safe_cell(source.origin)])
    stamp = _naive_utc(report.snapshot_at)
    workbook.properties.title = report.title
    workbook.properties.creator = "Samverkan"
    workbook.properties.language = "sv-SE"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    out = io.BytesIO()
    workbook.save(out)
    return _fixed_zip(out.getvalue(), report.snapshot_at, xlsx_modified=stamp)


XLSX_WIDTH = (10, 60)  # narrowest and widest column, in characters


def _xlsx_widths(sheet: Any) -> None:
    """Columns as wide as their longest value (the caption and title rows aside), within
    ``XLSX_WIDTH``, so that a sheet is readable when opened."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=2):
        cells = [c for c in row if c.value is not None]
        if len(cells) < 2:  # a heading, caption or paragraph spans the sheet
            continue
        for c in cells:
            widths[c.column] = max(widths.get(c.column, 0), len(str(c.value)))
    low, high = XLSX_WIDTH
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(high, max(low, width + 2))


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | datetime.date) or value is None:
        return value
    return safe_cell(str(value))


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "Avsnitt"
    name, number = base, 2
    while name in used:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name)
    return name


# --- Reproducible zip containers ----------------------------------------------------------------


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(moment):
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _fixed_zip(
    data: bytes, moment: datetime.datetime, *, xlsx_modified: datetime.datetime | None = None
) -> bytes:
    """Rewrite a zip (DOCX, XLSX) with every member dated ``moment``; openpyxl stamps the
    modification time at save, so core.xml gets the snapshot time back."""
    stamp = _naive_utc(moment)
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if xlsx_modified is not None and info.filename == "docProps/core.xml":
                content = _core_modified(content, xlsx_modified)
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, content)
    return out.getvalue()


def _core_modified(content: bytes, stamp: datetime.datetime) -> bytes:
    import re

    text = content.decode("utf-8")
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{iso}\g<2>", text)
    return text.encode("utf-8")


RENDERERS = {
    "html": lambda report: render_html(report).encode("utf-8"),
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
}


def render(report: Report, fmt: str) -> bytes:
    return RENDERERS[fmt](report)
