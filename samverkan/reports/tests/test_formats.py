"""Each format gives a valid file with the sections' content; the same inputs give the same file."""

from __future__ import annotations

import datetime
import io

import docx
import openpyxl
import pytest

from samverkan.core import tenancy
from samverkan.core.reporting.document import Report
from samverkan.reports.services import content_hash, report_file
from samverkan.reports.tests.conftest import ARABIC, LONG, SOMALI, TIGRINYA, YEAR

SNAPSHOT = datetime.datetime(2025, 1, 31, 12, 0, tzinfo=datetime.UTC)


def _file(fmt, user=tenancy.SYSTEM, **kwargs):
    kwargs.setdefault("kind", "county")
    kwargs.setdefault("county", "12")
    return report_file(
        user=user, fmt=fmt, year_start=YEAR, year_end=YEAR, snapshot_at=SNAPSHOT, **kwargs
    )


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_county_sections_have_content(county_data):
    report, _data = _file("html")
    codes = [s.code for s in report.sections]
    assert codes == [
        "summary",
        "organisations",
        "networks",
        "projects",
        "surveys",
        "plans",
        "funding",
        "indicators",
    ]
    # the small county has no funding decisions: that section alone says so
    assert [s.code for s in report.sections if s.is_empty] == ["funding"]


def test_html_contains_non_latin_names_and_gaps(county_data):
    _report, data = _file("html")
    html = data.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    for name in (ARABIC, SOMALI, TIGRINYA, LONG):
        assert name in html
    assert "Luckor – ingen organisation leder eller samordnar" in html
    assert "Överlapp – flera organisationer leder" in html
    assert "1 av 2 har svarat." in html
    assert "<svg" in html and "Källor" in html
    assert "KSL 2016" in html


def test_docx_has_real_headings_and_tables(county_data):
    _report, data = _file("docx")
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Sammanfattning" in headings and "2. Aktörer" in headings and "Källor" in headings
    assert len(document.tables) >= 5
    assert document.tables[0].rows[0].cells[0].text == "Nyckeltal"
    assert document.tables[1].rows[0].cells[0].text == "Sektor"
    assert document.core_properties.language == "sv-SE"
    text = _docx_text(data)
    assert ARABIC in text and TIGRINYA in text


def test_docx_puts_a_wide_table_on_landscape_pages_and_returns_to_portrait():
    """A table wider than a portrait page is laid on landscape pages whole (up to twelve
    columns), or split into parts that repeat the row header past that; nothing is lost."""
    from docx.enum.section import WD_ORIENT

    from samverkan.core.reporting.document import Section
    from samverkan.reports.render import render_docx

    section = Section("matrix", "Ansvarsfördelning")
    section.paragraph("Före tabellen.")
    themes = [f"Tema {n}" for n in range(1, 11)]  # the row header and 10 more: 11 columns
    section.table("Matris", ["Organisation", *themes], [["Länsstyrelsen", *range(10)]])
    section.table(
        "Bred matris",
        ["Organisation", *[f"T{n}" for n in range(1, 16)]],  # 16 columns: two parts
        [["Region Skåne", *range(15)]],
    )
    section.paragraph("Efter tabellen.")
    report = Report(
        title="Test",
        subtitle="",
        scope_label="Riket",
        period_label="2024",
        snapshot_at=SNAPSHOT,
        sections=[section],
    )
    document = docx.Document(io.BytesIO(render_docx(report)))
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = document.sections[1]
    assert landscape.page_width > landscape.page_height
    widths = [len(t.columns) for t in document.tables]
    assert widths == [11, 9, 8]  # whole, then 15 data columns in two parts with the header
    assert all(t.rows[0].cells[0].text == "Organisation" for t in document.tables)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {f"T{n}" for n in range(1, 16)} <= cells and {f"Tema {n}" for n in range(1, 11)} <= cells


def test_xlsx_one_sheet_per_section(county_data):
    _report, data = _file("xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [
        "Om rapporten",
        "Sammanfattning",
        "Aktörer",
        "Nätverk och ansvarsfördelning",
        "Projekt",
        "Enkäter och kartläggningar",
        "Strategier och handlingsplaner",
        "Finansiering",
        "Indikatorer och mål",
        "Källor",
    ]
    values = [c for row in workbook["Aktörer"].iter_rows(values_only=True) for c in row]
    assert SOMALI in values
    indicator_values = [
        c for row in workbook["Indikatorer och mål"].iter_rows(values_only=True) for c in row
    ]
    assert 58.25 in indicator_values


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "html"])
def test_same_inputs_give_the_same_file(county_data, fmt):
    _r1, first = _file(fmt)
    _r2, second = _file(fmt)
    assert content_hash(first) == content_hash(second)


def pdf_page_count(data: bytes) -> int:
    """The /Count of the page tree, looking inside compressed object streams too."""
    import re
    import zlib

    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    counts = [
        int(n)
        for chunk in chunks
        for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", chunk)
    ]
    counts += [
        int(n)
        for chunk in chunks
        for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", chunk)
    ]
    return max(counts, default=0)


def test_pdf_is_a_pdf_with_pages_and_language(county_data):
    _report, data = _file("pdf")
    assert data.startswith(b"%PDF")
    assert pdf_page_count(data) >= 7  # cover, contents, five sections, sources


def test_network_report_lists_members_and_meetings(county_data):
    network = county_data["network"]
    network.meetings.create(date=datetime.date(YEAR, 3, 1), topic="Årsmöte", attendance_public=12)
    report, data = _file("html", kind="network", county=None, network=network.slug)
    html = data.decode()
    assert report.title == "Nätverksrapport: Integrationsrådet i Skåne"
    assert ARABIC in html and "Årsmöte" in html
    assert "1 organisationer var medlemmar i nätverket under perioden." in html


def test_pdf_declares_swedish_and_has_an_outline(county_data):
    import re
    import zlib

    _report, data = _file("pdf")
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    text = b"".join(chunks)
    assert b"/Lang (sv)" in text
    assert b"/Outlines" in text and b"/StructTreeRoot" in text
