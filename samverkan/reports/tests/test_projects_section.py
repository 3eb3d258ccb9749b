"""The "Projekt" section: counts, budget, the theme × target group gaps and good examples."""

from __future__ import annotations

import datetime

import pytest

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.core.reporting.document import Paragraph, Section, Table
from samverkan.core.reporting.registry import COUNTY, NETWORK, SECTIONS, Period, Scope, sections_for
from samverkan.geo.models import County
from samverkan.projects.models import Project
from samverkan.projects.tests.conftest import make_project
from samverkan.reports.tests.conftest import YEAR


def _good_example(project):
    """Mark as reviewed good example (set directly; the review flow is tested in projects)."""
    Project.objects.filter(pk=project.pk).update(good_example=True)
    return project


def _build(user, county) -> Section:
    return SECTIONS["projects"].func(Scope(COUNTY, county=county), Period(YEAR, YEAR), user)


def _text(section: Section) -> str:
    parts = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.append(block.caption)
            parts.extend(" | ".join(str(c) for c in row) for row in block.rows)
    return "\n".join(parts)


def _table(section: Section, caption: str) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table) and b.caption == caption)


@pytest.fixture
def two_projects(organisation):
    running = {"start_date": datetime.date(YEAR - 1, 1, 1), "end_date": None}
    return [
        _good_example(
            make_project(
                organisation,
                "Validering i Malmö",
                summary="Snabbare validering av yrkeskunskaper.",
                themes=["work-skills"],
                groups=["newly-arrived"],
                municipalities=["1280"],
                budget=1_000_000,
                **running,
            )
        ),
        make_project(
            organisation,
            "Lugna Gatan junior",
            summary="Värdar stöttar ungdomar.",
            themes=["children-youth"],
            groups=["young-people"],
            municipalities=["1280"],
            budget=250_000,
            **running,
        ),
        make_project(
            organisation,
            "Avslutat för länge sedan",
            themes=["work-skills"],
            groups=["young-people"],
            municipalities=["1280"],
            start_date=datetime.date(2010, 1, 1),
            end_date=datetime.date(2011, 12, 31),
        ),
    ]


def test_section_is_registered_after_networks():
    codes = [s.code for s in sections_for(COUNTY)]
    assert codes.index("networks") < codes.index("projects") < codes.index("surveys")
    assert SECTIONS["projects"].position == 25


def test_county_with_two_projects(two_projects, viewer, skane):
    section = _build(viewer, skane)
    text = _text(section)
    assert "2 projekt pågick under perioden" in text
    assert "1\u00a0250\u00a0000\u00a0kr" in text
    assert "Avslutat för länge sedan" not in text
    coverage = _table(section, "Antal projekt per tema och målgrupp")
    header = coverage.columns
    rows = {row[0]: row for row in coverage.rows}
    work = rows["Arbete och kompetensförsörjning"]
    assert work[header.index("Nyanlända")] == 1
    assert work[header.index("Unga")] == "–"
    assert "luckor" in text
    examples = _table(section, "Lärande exempel")
    assert examples.rows == [
        ["Validering i Malmö", "Länsstyrelsen Testlän", "Snabbare validering av yrkeskunskaper."]
    ]
    assert "Källor:" in text
    assert {s.label for s in section.sources} == {"Validering i Malmö", "Lugna Gatan junior"}


def test_empty_county_says_so(two_projects, viewer):
    section = _build(viewer, County.objects.get(code="01"))
    assert section.is_empty
    assert "Inga projekt är registrerade för området under perioden." in _text(section)


def test_outsider_does_not_see_a_private_project(organisation, outsider, skane):
    _good_example(
        make_project(
            organisation,
            "Hemligt projekt",
            themes=["work-skills"],
            groups=["newly-arrived"],
            municipalities=["1280"],
            budget=500_000,
            visibility=Visibility.PRIVATE,
        )
    )
    assert "Hemligt projekt" in _text(_build(tenancy.SYSTEM, skane))
    section = _build(outsider, skane)
    text = _text(section)
    assert "Hemligt projekt" not in text
    assert "Inga projekt är registrerade" in text


def test_network_lists_its_members_projects(county_data, viewer):
    member = county_data["organisations"][0]
    make_project(member, "Medlemmens projekt", municipalities=["1280"])
    scope = Scope(NETWORK, network=county_data["network"])
    section = SECTIONS["projects"].func(scope, Period(YEAR, YEAR), viewer)
    assert "1 projekt pågick under perioden" in _text(section)
    # the county board's own project is left out: it is not a member of the network
    assert [s.label for s in section.sources] == ["Medlemmens projekt"]


def test_reach_by_sex_and_background(two_projects, owner, skane):
    first, second = two_projects[:2]
    Project.objects.filter(pk=first.pk).update(
        participants_total=20, participants_women=12, participants_men=8, money_women=300_000
    )
    Project.objects.filter(pk=second.pk).update(participants_women=5)
    table = _table(_build(owner, skane), "Deltagare och medel per grupp")
    rows = {row[0]: row for row in table.rows}
    assert rows["Kvinnor"][1:3] == [17, 2]
    assert rows["Män"][1:3] == [8, 1]
    assert rows["Utrikes födda"][1] == "okänt"  # no project gave it: unknown, not 0
    assert rows["Kvinnor"][3].startswith("300")
