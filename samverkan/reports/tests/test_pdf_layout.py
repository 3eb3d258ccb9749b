"""The county report as a document a county board could send on (issue 20): measured on
WeasyPrint's own page layout of Skåne's report with the demo data."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from weasyprint.formatting_structure import boxes

from samverkan.actors.models import TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.projects.models import Project
from samverkan.reports import services
from samverkan.reports.render import pdf_layout

FILE_NAME = re.compile(r"00\d_[0-9a-f]{16}|\.txt\b|\bseeds?\b|samverkan/\w+|shared/", re.I)
HYPHENS = "\u2010\u00ad"  # WeasyPrint's hyphenate-character; a written "-" stays


@pytest.fixture
def skane_report(db, settings):
    from samverkan.core.setup import setup_steps

    settings.RATE_LIMITS = {}
    for step in setup_steps():
        step.load()()
    scope = services.scope_resolve(user=tenancy.SYSTEM, kind="county", county="12")
    period = services.period_resolve(year_start=1999, year_end=2026)
    report = services.report_build(
        scope=scope,
        period=period,
        sections=services.sections_resolve(kind="county", codes=None),
        user=tenancy.SYSTEM,
    )
    projects = list(Project.objects.filter(county__code="12").values_list("title", flat=True))
    themes = list(Theme.objects.values_list("name", flat=True))
    groups = list(TargetGroup.objects.values_list("name", flat=True))
    return report, pdf_layout(report), projects, themes, groups


def _keep_pages(document, name: str = "report-skane") -> None:
    """The pages as PNG test artefacts (var/e2e/<name>-N.png), when pdftoppm is here."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return
    out = Path(settings.BASE_DIR) / "var" / "e2e"
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / f"{name}.pdf"
    pdf.write_bytes(document.write_pdf())
    subprocess.run(  # noqa: S603 (fixed arguments)
        [pdftoppm, "-r", "60", "-png", str(pdf), str(out / name)], check=True
    )


def _content_boxes(page):
    """Every box on the page except the running header and footer (margin boxes)."""
    stack = list(reversed(page._page_box.children))
    while stack:  # depth first, in document order
        box = stack.pop()
        if isinstance(box, boxes.MarginBox):
            continue
        yield box
        stack.extend(reversed(getattr(box, "children", None) or []))


def _text(page) -> str:
    """The page's text with words that were hyphenated at a line end joined again."""
    text = ""
    for piece in (b.text for b in _content_boxes(page) if isinstance(b, boxes.TextBox)):
        text += piece[:-1] if piece and piece[-1] in HYPHENS else piece + " "
    return " ".join(text.split())


def test_skanes_report_fits_its_pages_and_leaves_none_nearly_empty(skane_report):
    """No box past the page's content area (right or bottom edge); no page with less than a
    fifth of a page of content except where a chapter ends. The pages are kept as PNGs."""
    _report, document, *_ = skane_report
    _keep_pages(document)
    _no_box_past_the_content_area(document)
    _no_page_nearly_empty(document)


def test_national_report_opens_with_every_county_and_fits_its_pages(skane_report):
    """The national report of the same data: the summary's table has a row per county (in
    its column groups), every page's boxes stay inside the content area; kept as PNGs."""
    from samverkan.geo.models import County

    scope = services.scope_resolve(user=tenancy.SYSTEM, kind="national")
    report = services.report_build(
        scope=scope,
        period=services.period_resolve(year_start=1999, year_end=2026),
        sections=services.sections_resolve(kind="national", codes=None),
        user=tenancy.SYSTEM,
    )
    document = pdf_layout(report)
    _keep_pages(document, "report-national")
    _no_box_past_the_content_area(document)
    text = " ".join(_text(page) for page in document.pages)
    summary = text[text.index("1. Sammanfattning") : text.index("2. Aktörer")]
    for name in County.objects.values_list("name", flat=True):
        assert name in summary, name
    assert "Nyckeltal per län (del 1 av" in summary  # wide: printed in column groups


def _no_box_past_the_content_area(document) -> None:
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left, top = page_box.content_box_x(), page_box.content_box_y()
        right, bottom = left + page_box.width, top + page_box.height
        for box in _content_boxes(page):
            assert box.border_box_x() + box.border_width() <= right + 0.5, (number, box)
            assert box.border_box_y() + box.border_height() <= bottom + 0.5, (number, box)


def test_skanes_report_holds_what_a_county_board_reports(skane_report):
    """Every theme and target group in the matrix pages, the county's projects named, a value
    in the indicator section, and sources as numbered citations without file names."""
    report, document, projects, themes, groups = skane_report
    text = " ".join(_text(page) for page in document.pages)
    matrix = text[text.index("Ansvarsmatris") : text.index("Projekt per tema och målgrupp")]
    coverage = text[text.index("Projekt per tema och målgrupp") :]
    for name in themes:
        assert name in matrix, name
        assert name in coverage, name
    for name in groups:
        assert name in coverage, name
    assert projects
    section = text[text.index("4. Projekt") : text.index("5. ")]
    for title in projects:
        assert " ".join(title.split()) in section, title
    # Skåne's 1999 funding round as the county board's report gives it: 8 applications, 6 granted
    funding = text[text.index("Finansiering") :]
    assert "6 av 8 beslutade ansökningar beviljades" in funding
    (indicators,) = [s for s in report.sections if s.code == "indicators"]
    values = [
        value
        for block in indicators.blocks
        if block.kind == "table"
        for row in block.rows
        for value in row[1:]
        if isinstance(value, int | float)
    ]
    assert values
    _sources_numbered_once_without_file_names(report, document)


def _no_page_nearly_empty(document) -> None:
    pages = document.pages
    # The cover, the table of contents and the page before the sources end a chapter.
    chapter_ends = {0, 1, len(pages) - 1}
    for number, page in enumerate(pages):
        if _text(page).startswith("Källor"):
            chapter_ends.add(number - 1)
    for number, page in enumerate(pages):
        if number in chapter_ends:
            continue
        page_box = page._page_box
        top = page_box.content_box_y()
        lowest = max(
            (
                b.border_box_y() + b.border_height()
                for b in _content_boxes(page)
                if isinstance(b, boxes.LineBox | boxes.TableRowBox)
            ),
            default=top,
        )
        assert lowest - top >= page_box.height / 5, f"page {number + 1} is nearly empty"


def _sources_numbered_once_without_file_names(report, document) -> None:
    entries = report.source_list
    assert len({e.origin for e in entries}) == len(entries)
    assert [e.number for e in entries] == list(range(1, len(entries) + 1))
    for entry in entries:
        assert not FILE_NAME.search(entry.origin), entry.origin
    last_pages = " ".join(_text(page) for page in document.pages[-3:])
    assert "[1]" in last_pages
