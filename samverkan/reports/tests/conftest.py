"""A small county (Skåne) with something in every section, including non-Latin names."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from samverkan.actors.models import ResponsibilityClaim, Theme
from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.indicators.models import AreaType, Breakdown, Indicator, Observation, Target
from samverkan.plans import services as plan_services
from samverkan.projects.tests.conftest import make_project
from samverkan.surveys import services as survey_services
from tests.factories import NetworkFactory, OrganisationFactory

YEAR = 2024
ARABIC = "جمعية الصداقة السويدية العربية في مالمو"
SOMALI = "Ururka Haweenka Soomaaliyeed ee Skåne"
TIGRINYA = "ማሕበር ኤርትራውያን ኣብ ሽወደን"
LONG = ("Föreningen för " + "mycket långa namn och ännu längre beskrivningar " * 5)[:199] + "x"


def _xlsform() -> bytes:
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    rows: list[tuple[str, ...]] = [
        ("type", "name", "label", "required"),
        ("select_one janej", "samverkan", "Deltar ni i regional samverkan?", "yes"),
        ("text", "hinder", "Vilka är hindren?", ""),
    ]
    for row in rows:
        survey.append(list(row))
    choices = workbook.create_sheet("choices")
    for row in [("list_name", "name", "label"), ("janej", "ja", "Ja"), ("janej", "nej", "Nej")]:
        choices.append(list(row))
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Rapportenkät", "rapportenkat"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def county_data(organisation, skane):
    """Organisations (Arabic, Somali, Tigrinya and very long names), a network, claims, a
    strategy with a plan, a survey with one answer, and an indicator with a target."""
    organisation.source = "Integrationsverket 2000, Bilaga 1"
    organisation.save()
    names = [ARABIC, SOMALI, TIGRINYA, LONG]
    others = [
        OrganisationFactory(name=name, code=f"rapport-org-{i}", county=skane)
        for i, name in enumerate(names)
    ]
    network = NetworkFactory(
        name="Integrationsrådet i Skåne",
        slug="integrationsradet-skane",
        scope="county",
        county=skane,
        owner=organisation,
        convener=organisation,
        source="Integrationsverket 2000, avsnitt 3",
    )
    network.memberships.create(owner=organisation, organisation=others[0])
    themes = list(Theme.objects.order_by("position")[:2])
    ResponsibilityClaim.objects.create(
        owner=organisation,
        organisation=organisation,
        theme=themes[0],
        county=skane,
        responsibility="leads",
    )
    ResponsibilityClaim.objects.create(
        owner=organisation,
        organisation=others[2],
        theme=themes[0],
        county=skane,
        responsibility="leads",
    )
    strategy = plan_services.strategy_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Regional integrationsstrategi",
        level="regional",
        county=skane,
        period_start=2023,
        period_end=2026,
        source="KSL 2016",
    )
    plan = plan_services.plan_create(
        strategy=strategy, user=tenancy.SYSTEM, title="Handlingsplan 2024", year_start=YEAR
    )
    plan_services.activity_create(
        plan=plan,
        user=tenancy.SYSTEM,
        title="Kartlägg aktörerna",
        start_date=datetime.date(YEAR, 1, 1),
        end_date=datetime.date(YEAR, 6, 30),
        status="started",
    )
    questionnaire = survey_services.questionnaire_import_xlsform(
        data=_xlsform(), owner=organisation, user=tenancy.SYSTEM
    )
    campaign = survey_services.campaign_create(
        user=tenancy.SYSTEM,
        questionnaire=questionnaire,
        owner=organisation,
        title="Kartläggning 2024",
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        organisations=others[:2],
    )
    recipient = campaign.recipients.get(organisation=others[0])
    survey_services.response_save(
        recipient=recipient,
        raw={"samverkan": "ja", "hinder": "Språket"},
        base_version=0,
        submit=True,
    )
    # The round ran in the report's year: answered while open, closed since.
    type(campaign).objects.filter(pk=campaign.pk).update(deadline=datetime.date(YEAR, 5, 1))
    indicator = Indicator.objects.create(
        code="rapport-sysselsattning",
        title="Förvärvsarbetande utrikes födda",
        definition="Andel förvärvsarbetande.",
        unit="procent",
        source_kind="scb",
        source_note="SCB, tabell AM0207",
    )
    total, _created = Breakdown.objects.get_or_create(sex="T")
    for year, county_value, nation in [(2022, 55.0, 60.0), (2023, 56.5, 61.0), (2024, 58.25, 62)]:
        for code, area_type, value in [
            ("12", AreaType.COUNTY, county_value),
            ("01", AreaType.COUNTY, county_value + 5),
            ("0000", AreaType.NATION, nation),
        ]:
            Observation.objects.create(
                indicator=indicator,
                area_type=area_type,
                area_code=code,
                period=year * 100,
                breakdown=total,
                value=value,
            )
    Target.objects.create(
        owner=organisation,
        visibility=Visibility.INTERNAL,
        indicator=indicator,
        title="Höj sysselsättningen",
        area_code="12",
        breakdown=total,
        baseline_year=2022,
        baseline_value=55.0,
        target_year=2026,
        target_value=65.0,
    )
    project = make_project(
        organisation,
        "Språkcafé i Malmö",
        summary="Samtal på svenska för nyanlända.",
        themes=["education-language"],
        groups=["newly-arrived"],
        municipalities=["1280"],
        budget=300_000,
        start_date=datetime.date(YEAR, 1, 1),
        end_date=datetime.date(YEAR, 12, 31),
    )
    return {
        "organisations": others,
        "network": network,
        "campaign": campaign,
        "project": project,
    }
