"""The front door: "Min översikt" lists what waits for the signed-in user in each of their
organisations, and only theirs; the county and municipality hubs gather every area's work,
through tenancy like every other read."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.funding.models import Application, ApplicationStatus, Call, CallStatus
from samverkan.plans.models import (
    ActionPlan,
    Activity,
    Consultation,
    ConsultationInvite,
    ConsultationStatus,
    Strategy,
)
from samverkan.projects.models import ProjectStatus
from samverkan.projects.services import project_create
from samverkan.surveys import services as survey_services
from samverkan.surveys.tests.conftest import make_xlsform
from tests.factories import MembershipFactory, OrganisationFactory

TODAY = datetime.date(2027, 3, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2027, 3, 10, 9, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def malmo(skane):
    return OrganisationFactory(
        name="Malmö stad", code="kommun-1280", kind="municipality", sector="public", county=skane
    )


@pytest.fixture
def coordinator(malmo):
    return MembershipFactory(
        organisation=malmo, role="editor", user__email="samordnare@malmo.example.se"
    ).user


def _home(client):
    return client.get("/").content.decode()


def test_survey_and_consultation_invitations_wait_for_the_respondent_only(
    frozen, client, organisation, malmo, coordinator, outsider_client
):
    questionnaire = survey_services.questionnaire_import_xlsform(
        data=make_xlsform(), owner=organisation, user=tenancy.SYSTEM
    )
    campaign = survey_services.campaign_create(
        user=tenancy.SYSTEM,
        questionnaire=questionnaire,
        owner=organisation,
        title="Kartläggning av integrationsarbetet 2027",
        deadline=TODAY + datetime.timedelta(days=10),
        organisations=[malmo],
    )
    strategy = Strategy.objects.create(owner=organisation, title="Regional strategi")
    consultation = Consultation.objects.create(
        strategy=strategy,
        title="Remiss: regional integrationsstrategi",
        status=ConsultationStatus.OPEN,
        deadline=timezone.now() - datetime.timedelta(days=2),
    )
    ConsultationInvite.objects.create(consultation=consultation, organisation=malmo, token="t" * 40)
    client.force_login(coordinator)
    page = _home(client)
    assert "Min översikt" in page
    recipient = campaign.recipients.get()
    assert f'href="{recipient.get_answer_url()}"' in page
    assert "Kartläggning av integrationsarbetet 2027" in page
    assert "Senast 20 mars 2027" in page
    assert "Remiss: regional integrationsstrategi" in page
    assert "Försenad: 8 mars 2027" in page  # the consultation's deadline has passed
    # another organisation's member sees neither
    other = _home(outsider_client)
    assert "Kartläggning av integrationsarbetet 2027" not in other
    assert "Remiss: regional integrationsstrategi" not in other
    assert "Inga enkäter väntar på svar från dina organisationer." in other


def test_own_activities_due_within_30_days_or_late_are_listed(
    frozen, client, organisation, malmo, coordinator
):
    strategy = Strategy.objects.create(owner=malmo, title="Malmös integrationsprogram")
    plan = ActionPlan.objects.create(
        strategy=strategy, title="Handlingsplan 2027", year_start=2027, year_end=2027
    )
    due = Activity.objects.create(
        plan=plan,
        title="Samrådsmöte med föreningarna",
        responsible_organisation=malmo,
        end_date=TODAY + datetime.timedelta(days=20),
    )
    Activity.objects.create(
        plan=plan,
        title="Utvärdering i höst",
        responsible_organisation=malmo,
        end_date=TODAY + datetime.timedelta(days=200),
    )
    Activity.objects.create(
        plan=plan,
        title="Kartläggning av språkstöd",
        responsible_organisation=malmo,
        end_date=TODAY - datetime.timedelta(days=5),
    )
    client.force_login(coordinator)
    page = _home(client)
    assert f'href="{due.get_absolute_url()}"' in page
    assert "Kartläggning av språkstöd" in page and "Försenad: 5 mars 2027" in page
    assert "Utvärdering i höst" not in page


def test_applications_wait_for_the_funders_assessors_until_they_score(
    frozen, client, organisation, owner, malmo, coordinator
):
    call = Call.objects.create(
        owner=organisation,
        title="Utlysning 2027",
        budget=1_000_000,
        deadline=timezone.now() + datetime.timedelta(days=30),
        status=CallStatus.OPEN,
        visibility=Visibility.PUBLIC,
    )
    application = Application.objects.create(
        owner=malmo, call=call, title="Språkcafé i Rosengård", status=ApplicationStatus.SUBMITTED
    )
    client.force_login(owner)
    assert f'href="{application.get_absolute_url()}"' in _home(client)
    client.force_login(coordinator)  # the applicant does not assess
    assert "Språkcafé i Rosengård" not in _home(client)


def test_the_county_hub_shows_every_area_with_its_figures(client, owner, organisation, skane):
    project_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Validering i Skåne",
        county=skane,
        status=ProjectStatus.ONGOING,
        visibility=Visibility.PUBLIC,
    )
    client.force_login(owner)
    page = client.get("/lan/12/").content.decode()
    for heading in (
        "Aktörer och nätverk",
        "Projekt",
        "Enkäter och kartläggningar",
        "Strategier och handlingsplaner",
        "Indikatorer",
        "Finansiering",
    ):
        assert f">{heading}</h2>" in page
    assert '<span class="hub-figure-value">1</span> <span class="hub-figure-label">pågående' in page
    assert "Validering i Skåne" in page


def test_the_hub_counts_only_what_the_visitor_may_read(client, skane, other_organisation):
    project_create(
        user=tenancy.SYSTEM,
        owner=other_organisation,
        title="Internt projekt",
        county=skane,
        status=ProjectStatus.ONGOING,
        visibility=Visibility.PRIVATE,
    )
    page = client.get("/lan/12/").content.decode()
    assert "Internt projekt" not in page
    assert '<span class="hub-figure-value">0</span> <span class="hub-figure-label">pågående' in page


def test_the_municipality_hub_renders_its_sections(client, malmo):
    page = client.get("/kommun/1280/")
    assert page.status_code == 200
    assert ">Projekt</h2>" in page.content.decode()


def test_news_in_the_county_counts_from_the_previous_sign_in(client, skane, organisation, malmo):
    user = MembershipFactory(
        organisation=malmo, role="viewer", user__email="nyfiken@malmo.example.se"
    ).user
    with time_machine.travel(datetime.datetime(2027, 3, 1, 8, 0, tzinfo=datetime.UTC)):
        project_create(
            user=tenancy.SYSTEM,
            owner=organisation,
            title="Gammalt projekt",
            county=skane,
            visibility=Visibility.PUBLIC,
        )
    user.last_login = datetime.datetime(2027, 3, 5, 8, 0, tzinfo=datetime.UTC)
    user.save(update_fields=["last_login"])
    with time_machine.travel(datetime.datetime(2027, 3, 8, 8, 0, tzinfo=datetime.UTC)):
        new = project_create(
            user=tenancy.SYSTEM,
            owner=organisation,
            title="Nytt projekt om språkstöd",
            county=skane,
            visibility=Visibility.PUBLIC,
        )
    with time_machine.travel(datetime.datetime(2027, 3, 10, 9, 0, tzinfo=datetime.UTC)):
        response = client.post(
            "/konto/logga-in/",
            {"username": "nyfiken@malmo.example.se", "password": "test-password-123"},
        )
        assert response.status_code == 302
        page = _home(client)
    assert "Nya projekt i ditt län sedan förra besöket" in page
    assert f'href="{new.get_absolute_url()}"' in page
    assert "Gammalt projekt" not in page  # registered before the previous visit
    assert "5 mars 2027" in page
    user.refresh_from_db()
    assert user.last_login.date() == datetime.date(2027, 3, 10)  # Django's update still runs


def test_the_public_front_page_shows_what_the_platform_holds(client, organisation, skane):
    project_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Öppet projekt i Skåne",
        county=skane,
        visibility=Visibility.PUBLIC,
    )
    project_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Internt arbetsprojekt",
        county=skane,
        visibility=Visibility.PRIVATE,
    )
    page = client.get("/").content.decode()
    assert "Senast registrerade projekt" in page
    assert "Öppet projekt i Skåne" in page
    assert "Internt arbetsprojekt" not in page
    assert "33 kommuner · 1 projekt" in page  # Skåne's card counts only what is public


def test_the_public_front_page_lists_published_reports_only(client, organisation, skane):
    from samverkan.reports.models import GeneratedReport

    def report(title: str, visibility: str, content_hash: str = "a" * 64) -> None:
        GeneratedReport.objects.create(
            owner=organisation,
            title=title,
            kind="county",
            county=skane,
            year_start=2025,
            year_end=2026,
            format="pdf",
            snapshot_at=timezone.now(),
            visibility=visibility,
            content_hash=content_hash,
        )

    report("Lägesbild Skåne 2026", Visibility.PUBLIC)
    report("Utkast till lägesbild", Visibility.PRIVATE)
    report("Rapport som byggs", Visibility.PUBLIC, content_hash="")
    page = client.get("/").content.decode()
    assert "Senaste rapporterna" in page
    assert "Lägesbild Skåne 2026" in page
    assert "Utkast till lägesbild" not in page
    assert "Rapport som byggs" not in page


def test_the_county_hub_lists_the_countys_finished_reports(client, organisation, skane):
    from samverkan.reports.models import GeneratedReport

    GeneratedReport.objects.create(
        owner=organisation,
        title="Länsrapport: Skåne län",
        kind="county",
        county=skane,
        year_start=2026,
        year_end=2026,
        format="pdf",
        snapshot_at=timezone.now(),
        visibility=Visibility.PUBLIC,
        content_hash="b" * 64,
    )
    page = client.get("/lan/12/").content.decode()
    section = page[page.index('id="reports"') :]
    assert "Länsrapport: Skåne län" in section
    assert "Inga rapporter om länet" not in section
    empty = client.get("/lan/01/").content.decode()
    assert "Inga rapporter om länet är byggda än." in empty
