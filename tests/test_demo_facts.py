"""The demo's facts match the reports they come from (issue 22, "Wrong facts to correct" 1–5).

Each assertion quotes the line of the report that settles it. The whole demo is loaded the way
``samverkan setup`` loads it.
"""

import datetime

import pytest

from samverkan.actors.models import Meeting, Network, NetworkMembership
from samverkan.funding.models import Call, Outcome
from samverkan.indicators.models import Observation
from samverkan.plans.models import Consultation
from samverkan.projects.models import DatePrecision, Project, ProjectStatus


@pytest.fixture
def demo(db, settings):
    from samverkan.core.setup import setup_run

    settings.RATE_LIMITS = {}
    setup_run()


def _conference(place: str) -> Meeting:
    return Meeting.objects.get(
        network__slug="overenskommelsen-integration", place__startswith=place
    )


def test_conference_dates_counts_and_arrangers(demo):
    # "Fredag 25 november", "den 1 december, 2011", "Tisdag den 6 december", "Torsdag 15
    # december 2011", "Konferens 19 November 2012", "Måndagen den 10 december" (2012),
    # "Måndag den 21 oktober, 2013"
    dates = {
        "Stockholm": datetime.date(2011, 11, 25),
        "Göteborg": datetime.date(2011, 12, 1),
        "Boden": datetime.date(2011, 12, 6),
        "Sundsvall": datetime.date(2011, 12, 15),
        "Malmö": datetime.date(2012, 11, 19),
        "Köping": datetime.date(2012, 12, 10),
        "Ronneby": datetime.date(2013, 10, 21),
    }
    assert Meeting.objects.filter(network__slug="overenskommelsen-integration").count() == 7
    for place, day in dates.items():
        meeting = _conference(place)
        assert meeting.date == day, place
        assert "dag anges inte" not in meeting.source
        assert meeting.arrangers, place
    # "På konferensen i Stockholm deltog ca 120 personer, ca 80 … idéburna …, ca 30 offentlig
    # sektor … och ca 10 näringsliv eller övriga aktörer."
    stockholm = _conference("Stockholm")
    assert (
        stockholm.attendance_public,
        stockholm.attendance_civil_society,
        stockholm.attendance_private,
        stockholm.attendance,
        stockholm.attendance_approximate,
    ) == (30, 80, 10, 120, True)
    # "I konferenserna har sammanlagt drygt 200 personer deltagit": a joint figure, not split
    for place in ("Malmö", "Köping"):
        meeting = _conference(place)
        assert meeting.attendance is None
        assert meeting.attendance_public is None and meeting.attendance_civil_society is None
        note = meeting.attendance_note.lower()
        assert "drygt 200" in note and "tillsammans" in note
    # "I Malmö av ABF, Folksam, Kommunförbundet Skåne, Länsstyrelsen Skåne, Malmö stad, Region
    # Skåne, Regional SIOS Syd och Social Ekonomi Skåne. I Köping av Bilda, …"
    assert "Social Ekonomi Skåne" in _conference("Malmö").arrangers
    assert "Hyresgästföreningen" in _conference("Köping").arrangers
    assert "Länsbygderåden" in _conference("Ronneby").arrangers
    # "med omkring 180 deltagare"; the sectors are not counted
    ronneby = _conference("Ronneby")
    assert ronneby.attendance == 180 and ronneby.attendance_public is None
    # STIG's meeting "i november månad": no day given, so no date
    stig_meeting = Meeting.objects.get(network__slug="stig")
    assert stig_meeting.date is None and stig_meeting.attendance is None


def test_meeting_page_shows_unknown_counts(demo, client):
    response = client.get("/natverk/overenskommelsen-integration/")
    if response.status_code == 404:  # the route name is the stable thing
        from django.urls import reverse

        response = client.get(reverse("actors:network", args=["overenskommelsen-integration"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "okänt" in html and "drygt 200" in html.lower()
    assert "25 november 2011" in html or "2011-11-25" in html or "25 nov 2011" in html


def test_project_periods(demo):
    # "Projekt pågår under tiden 1 september 1999-30 juni 2000."
    mangfald = Project.objects.get(title="Mångfald hemma")
    assert (mangfald.start_date, mangfald.end_date) == (
        datetime.date(1999, 9, 1),
        datetime.date(2000, 6, 30),
    )
    assert mangfald.status == ProjectStatus.FINISHED
    # "Projektet startades i november 1999 och kommer att pågå 6-9 månader."
    lambohov = Project.objects.get(title__startswith="Lambohov")
    assert lambohov.start_label == "november 1999"
    assert lambohov.start_precision == DatePrecision.MONTH
    assert lambohov.end_label == "2000" and lambohov.end_precision == DatePrecision.YEAR
    # Continuing work, no dates given
    lugna = Project.objects.get(title="Lugna Gatan junior")
    assert lugna.status == ProjectStatus.ONGOING
    assert lugna.start_date is None and lugna.end_date is None
    assert lugna.start_label == "okänt" and lugna.end_label == "okänt"
    # "… har under verksamhetsåret bistått förprojekteringsfasen med ekonomiskt stöd"
    islam = Project.objects.get(title="Skriftserien om islam")
    assert islam.status == ProjectStatus.ONGOING
    assert islam.end_date is None and islam.start_label == "1999"
    # None of the 1999 projects shows as running in 2015 unless its end is unknown
    running_2015 = Project.objects.filter(
        title__in=["Mångfald hemma", "Lambohov – en stadsdel för alla"],
        end_date__gte=datetime.date(2015, 1, 1),
    )
    assert not running_2015.exists()


def test_network_owners_counts_and_funding_round(demo):
    # "STIG … bildades, där också Integrationsverket inbjuds till vissa möten"
    stig = Network.objects.get(slug="stig")
    assert stig.owner.code != "integrationsverket"
    assert stig.convener is None
    assert stig.start_date is None
    iv = NetworkMembership.objects.get(network=stig, organisation__code="integrationsverket")
    assert set(iv.roles.values_list("code", flat=True)) == {"consultation-partner"}
    # "Partnerskapet består av fyrtio självständiga aktörer"
    skane = Network.objects.get(slug="partnerskap-skane")
    assert "fyrtio" in skane.purpose and "drygt" not in skane.purpose
    # SFX: the Stockholm account is the county board's
    assert Project.objects.get(title__startswith="SFX").owner.code == "lst-01"
    # "Totalt har åtta ansökningar om projektstöd inkommit varav sex har fått bifall"
    call = Call.objects.get(title="Ekonomiskt stöd till integrationsfrämjande projekt 1999")
    outcomes = [a.decision.outcome for a in call.applications.all()]
    assert len(outcomes) == 8
    assert outcomes.count(Outcome.GRANTED) == 6 and Outcome.PARTLY not in outcomes
    urban = call.applications.get(title="Urban Malmö")
    assert urban.decision.outcome == Outcome.GRANTED
    # "700 000 SEK avsedda att användas för bedrivandet av verksamheten"
    assert call.budget == 700_000 and "bedrivandet av verksamheten" in call.purpose


def test_gislaved_consultation_as_recorded(demo):
    # "gick ut på remiss till cirka 150 olika organisationer, däribland … Länsstyrelsen i
    # Jönköpings län och kommunens nio nämnder"
    consultation = Consultation.objects.get(strategy__owner__code="kommun-0662")
    assert consultation.recipients_count == 150 and consultation.recipients_approximate
    assert "nio nämnder" in consultation.recipients_description
    assert consultation.deadline is None  # not given, and never in 2026
    assert "oktober 2014" in consultation.period_note
    assert list(consultation.invites.values_list("organisation__code", flat=True)) == ["lst-06"]


def test_agreement_membership_and_observation_sources(demo):
    # "staten tecknade en överenskommelse … i april 2010"; the steering group began in
    # September 2011 — not the agreement's start
    agreement = Network.objects.get(slug="overenskommelsen-integration")
    assert agreement.start_date != datetime.date(2011, 9, 1)
    assert agreement.start_date is None and "april 2010" in agreement.purpose
    # Röda Korset attended conferences; it is not a member of the agreement
    assert not NetworkMembership.objects.filter(
        network=agreement, organisation__code="svenska-roda-korset"
    ).exists()
    # "Den kommunala statistiken kommer från Ekonomifakta och den regionala statistiken från
    # Regionfakta"
    for code in ("arbetsloshet", "folkmangd"):
        gislaved = Observation.objects.get(indicator__code=code, area_code="0662")
        assert gislaved.source.startswith("Ekonomifakta")
        jamtland = Observation.objects.get(indicator__code=code, area_code="23")
        assert jamtland.source.startswith("Regionfakta")
    assert Observation.objects.get(indicator__code="arbetsloshet", area_code="0662").value == 8.3


def test_demo_loads_twice_without_changes(demo):
    from samverkan.core.setup import setup_run

    counts = (Meeting.objects.count(), Project.objects.count(), Consultation.objects.count())
    setup_run()
    assert (
        Meeting.objects.count(),
        Project.objects.count(),
        Consultation.objects.count(),
    ) == counts
