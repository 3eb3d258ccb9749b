"""Shared survey fixtures: an XLSForm builder, a small questionnaire and a campaign."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import Workbook

from samverkan.core import tenancy
from samverkan.surveys import services
from tests.factories import MembershipFactory, OrganisationFactory

SURVEY = [
    ("type", "name", "label", "required", "relevant", "constraint", "choice_filter"),
    ("select_one janej", "samverkan", "Deltar ni i regional samverkan?", "yes", "", "", ""),
    (
        "select_multiple partner or_other",
        "partner",
        "Med vilka?",
        "",
        "${samverkan} = 'ja'",
        "",
        "",
    ),
    ("integer", "antal", "Hur många möten?", "", "${samverkan} = 'ja'", ". >= 0 and . < 1000", ""),
    ("select_one janej", "mangfald", "Arbetar ni med mångfaldsplaner?", "yes", "", "", ""),
    (
        "text",
        "hinder",
        "Vilka är hindren?",
        "",
        "${samverkan} = 'nej' and ${mangfald} = 'nej'",
        "",
        "",
    ),
    ("decimal", "budget", "Budget (mnkr)", "", "", "", ""),
    ("date", "startdatum", "Startdatum", "", "", "", ""),
]
CHOICES = [
    ("list_name", "name", "label"),
    ("janej", "ja", "Ja"),
    ("janej", "nej", "Nej"),
    ("partner", "kommuner", "Kommunerna"),
    ("partner", "lan", "Länsarbetsnämnden"),
    ("partner", "landsting", "Landstinget"),
]


def make_xlsform(
    survey: list[tuple[Any, ...]] | None = None,
    choices: list[tuple[Any, ...]] | None = None,
    extra_sheets: dict[str, list[tuple[Any, ...]]] | None = None,
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey if survey is not None else SURVEY:
        sheet.append(list(row))
    choice_sheet = workbook.create_sheet("choices")
    for row in choices if choices is not None else CHOICES:
        choice_sheet.append(list(row))
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Testenkät", "testenkat"])
    for title, rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(title)
        for row in rows:
            extra.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def questionnaire(organisation):
    return services.questionnaire_import_xlsform(
        data=make_xlsform(), owner=organisation, user=tenancy.SYSTEM
    )


@pytest.fixture
def respondents(db):
    orgs = [
        OrganisationFactory(name=name, code=f"kommun-{code}", kind="municipality", sector="public")
        for code, name in (
            ("1", "Staffanstorps kommun"),
            ("2", "Kristianstads kommun"),
            ("3", "Lunds kommun"),
        )
    ]
    MembershipFactory(organisation=orgs[0], role="editor", user__email="staffanstorp@example.se")
    return orgs


@pytest.fixture
def campaign(questionnaire, organisation, respondents):
    return services.campaign_create(
        user=tenancy.SYSTEM,
        questionnaire=questionnaire,
        owner=organisation,
        title="Enkät om samverkan",
        deadline=date.today() + timedelta(days=14),
        organisations=respondents,
        rule="för hand",
    )


@pytest.fixture
def recipient(campaign):
    return campaign.recipients.get(organisation__code="kommun-1")
