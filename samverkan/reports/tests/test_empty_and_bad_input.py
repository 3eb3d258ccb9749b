"""Empty sections say so; a failing section or chart does not stop the report."""

from __future__ import annotations

import datetime

from samverkan.core import tenancy
from samverkan.core.reporting import registry as sections
from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import Period, Scope
from samverkan.reports.services import report_build, report_file


def test_empty_county_says_what_is_missing(db):
    report, data = report_file(
        user=tenancy.SYSTEM, kind="county", county="25", fmt="html", year_start=2024
    )
    html = data.decode("utf-8")
    assert "Inga aktörer är registrerade för området." in html
    assert "Inga nätverk är registrerade för området under perioden." in html
    assert "Inga enkäter med svarande i området avslutades under perioden." in html
    assert "Inga strategier gäller för området under perioden." in html
    assert "Inga indikatorvärden finns för området under perioden." in html
    assert "Inga organisationer har angett ansvar för något tema." in html
    # with no claims every theme is a gap: a finding, so the networks section is not empty
    assert "Luckor – ingen organisation leder eller samordnar" in html
    # the summary's key figures (zeros) and the gaps are findings; nothing else has content
    assert [s.code for s in report.sections if not s.is_empty] == ["summary", "networks"]


def test_empty_county_builds_in_every_format(db):
    for fmt in ("docx", "xlsx", "pdf"):
        _report, data = report_file(
            user=tenancy.SYSTEM, kind="county", county="25", fmt=fmt, year_start=2024
        )
        assert data


def test_failing_section_is_reported_not_raised(db, monkeypatch):
    def broken(scope, period, user):
        raise RuntimeError("boom")

    monkeypatch.setitem(
        sections.SECTIONS,
        "broken",
        sections.SectionType("broken", "Trasigt avsnitt", broken, ("county",), 99),
    )
    report = report_build(
        scope=Scope("county", county=None),
        period=Period(2024, 2024),
        sections=["broken"],
        user=tenancy.SYSTEM,
        snapshot_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    assert report.sections[0].blocks[0].text == "Avsnittet kunde inte sammanställas (RuntimeError)."


def test_failing_chart_says_the_chart_is_missing():
    section = Section("x", "X")

    def draw():
        raise ValueError("no glyph")

    sections.add_chart(section, "Framsteg", draw, "alt")
    assert section.blocks[0].text == "Diagrammet ”Framsteg” kunde inte ritas; se tabellen."


def test_registering_a_new_section(db, monkeypatch):
    monkeypatch.setattr(sections, "SECTIONS", dict(sections.SECTIONS))

    @sections.register_section("projects", "Projekt", position=25)
    def projects(scope, period, user):
        section = Section("projects", "Projekt")
        section.paragraph("Inga projekt.", note=True)
        return section

    codes = [s.code for s in sections.sections_for("county")]
    assert codes.index("projects") == 3  # summary, organisations, networks, projects
    report, data = report_file(
        user=tenancy.SYSTEM, kind="county", county="25", fmt="html", year_start=2024
    )
    assert "Inga projekt." in data.decode()
