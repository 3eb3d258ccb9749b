"""Agreements as records of their own (issue 22, item 6): the national agreement with its six
principles and three parties, the regional and local agreements the reports describe, the
conferences held under the national agreement with attendance by sector, the exports, and who
may read an agreement."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from samverkan.actors.models import Agreement, AgreementKind, AgreementParty
from samverkan.core.models import Visibility

# "Den nationella Överenskommelsen inom Integrationsområdet består bland annat av följande sex
# principer: Självständighet och oberoende, Dialog, Kvalitet, Långsiktighet, Öppenhet och
# insyn, Mångfald" (Styrgruppen för uppföljningen av Överenskommelsen 2014, Hösten 2011).
SIX = [
    "Självständighet och oberoende",
    "Dialog",
    "Kvalitet",
    "Långsiktighet",
    "Öppenhet och insyn",
    "Mångfald",
]


@pytest.fixture
def demo(db, settings):
    from samverkan.core.setup import setup_run

    settings.RATE_LIMITS = {}
    setup_run()


def test_national_agreement_principles_parties_and_period(demo):
    agreement = Agreement.objects.get(slug="overenskommelsen-integration")
    assert agreement.kind == AgreementKind.NATIONAL
    assert list(agreement.principles.values_list("name", flat=True)) == SIX
    # "regeringen, Sveriges Kommuner och Landsting och idéburna organisationer inom
    # integrationsområdet" — the steering group "bestående av de tre parterna"
    parties = [p.display_name for p in agreement.parties.filter(role="party")]
    assert parties == [
        "Regeringskansliet",
        "Sveriges Kommuner och Regioner",
        "Idéburna organisationer inom integrationsområdet",
    ]
    # "Som projektledare för genomförandet av konferenserna utsågs SIOS"
    assert agreement.parties.get(organisation__code="sios").role == "coordinator"
    # "tecknade … i april 2010": the month, not an invented day; no end is given
    assert agreement.start_label == "april 2010"
    assert agreement.end_date is None
    assert "Styrgruppen" in agreement.responsible_note
    # the seven conferences are the agreement's network's meetings, recorded once
    assert agreement.network.slug == "overenskommelsen-integration"
    assert agreement.network.meetings.count() == 7
    assert "seed" not in agreement.source.lower() and ".txt" not in agreement.source


def test_regional_and_local_agreements_as_the_reports_give_them(demo):
    kinds = dict(Agreement.objects.values_list("slug", "kind"))
    assert kinds["rok-skane"] == kinds["rok-norrbotten"] == AgreementKind.REGIONAL
    assert kinds["rok-vasternorrland"] == kinds["rok-jamtland-harjedalen"] == "rok"
    assert kinds["lok-goteborg"] == AgreementKind.LOCAL
    # KSL 2016, fotnot 8: "Den regionala överenskommelsen gäller asylsökande och nyanlända inkl.
    # ensamkommande barn. Länsstyrelsen är ansvarig." Parties: "Regionen, Arbetsförmedlingen,
    # Försäkringskassan, Länsstyrelsen och Migrationsverket".
    jamtland = Agreement.objects.get(slug="rok-jamtland-harjedalen")
    assert jamtland.responsible.code == "lst-23"
    assert set(jamtland.parties.values_list("organisation__code", flat=True)) == {
        "region-23",
        "arbetsformedlingen",
        "forsakringskassan",
        "lst-23",
        "migrationsverket",
    }
    # Unknown periods stay empty; the collaboration agreement's three years are a note
    assert not Agreement.objects.filter(slug__startswith="rok-", start_date__isnull=False)
    health = Agreement.objects.get(slug="region-skane-samarbetsavtal-halsa")
    assert health.period_note.startswith("Tre år") and health.start_date is None
    # "sju organisationer, däribland Stadsmissionen och Röda Korset": only those two are named
    assert health.parties.count() == 3


def test_agreement_pages(demo, client):
    html = client.get(reverse("actors:agreements")).content.decode()
    assert "Överenskommelsen inom integrationsområdet" in html
    assert "Regional överenskommelse (RÖK)" in html
    page = client.get(reverse("actors:agreement", args=["overenskommelsen-integration"]))
    html = page.content.decode()
    for principle in SIX:
        assert principle in html
    assert "Regeringskansliet" in html and "Idéburna organisationer inom" in html
    # attendance by sector; Malmö and Köping's joint figure is a note, their counts "okänt"
    assert "Drygt 200 deltagare tillsammans för Malmö och Köping" in html
    assert "okänt" in html and "Civilsamhälle" in html
    assert "april 2010" in html
    # found from the networks, the network and the county page
    assert reverse("actors:agreements") in client.get(reverse("actors:networks")).content.decode()
    network = client.get(reverse("actors:network", args=["overenskommelsen-integration"]))
    assert reverse("actors:agreement", args=["overenskommelsen-integration"]) in (
        network.content.decode()
    )
    county = client.get(reverse("geo:county", args=["12"])).content.decode()
    assert reverse("actors:agreement", args=["rok-skane"]) in county


def test_export_agreements_and_meetings(demo, tmp_path):
    target = tmp_path / "agreements.json"
    call_command("export", "agreements", "--format", "json", "-o", str(target))
    records = {r["slug"]: r for r in json.loads(target.read_text(encoding="utf-8"))}
    national = records["overenskommelsen-integration"]
    assert national["principles"] == SIX
    assert [p["name"] for p in national["parties"] if p["role"] == "party"][2] == (
        "Idéburna organisationer inom integrationsområdet"
    )
    assert len(national["meetings"]) == 7
    target = tmp_path / "meetings.csv"
    call_command("export", "meetings", "--format", "csv", "-o", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    by_place = {r["place"].split(" ")[0]: r for r in rows if r["agreement_slug"]}
    assert by_place["Stockholm"]["attendance_civil_society"] == "80"
    # an unknown count is empty, never 0
    assert by_place["Malmö"]["attendance_total"] == ""
    assert by_place["Köping"]["attendance_public"] == ""
    assert by_place["Ronneby"]["attendance_total"] == "180"


@pytest.fixture
def private_agreement(organisation):
    agreement = Agreement.objects.create(
        owner=organisation,
        name="IOP om läxhjälp",
        slug="iop-laxhjalp",
        kind=AgreementKind.IOP,
        visibility=Visibility.PRIVATE,
    )
    AgreementParty.objects.create(agreement=agreement, name="Föreningen", role="party")
    return agreement


def test_a_private_agreement_is_read_by_its_organisation_only(
    private_agreement, owner_client, viewer_client, outsider_client, client
):
    url = reverse("actors:agreement", args=["iop-laxhjalp"])
    assert owner_client.get(url).status_code == 200
    assert viewer_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404
    assert client.get(url).status_code == 404
    assert "IOP om läxhjälp" in owner_client.get(reverse("actors:agreements")).content.decode()
    assert "IOP om läxhjälp" not in (
        outsider_client.get(reverse("actors:agreements")).content.decode()
    )


def test_export_leaves_out_what_the_user_may_not_read(private_agreement, owner, outsider):
    from samverkan.core.exchange import data_export

    def slugs(user):
        content = data_export(kind="agreements", fmt="json", user=user, options={})
        return {r["slug"] for r in json.loads(content)}

    assert "iop-laxhjalp" in slugs(owner)
    assert "iop-laxhjalp" not in slugs(outsider)


def test_an_organisation_registers_its_agreement_with_parties_and_principles(
    organisation, other_organisation, owner_client, outsider_client
):
    response = owner_client.post(
        reverse("actors:agreement_create"),
        {
            "owner": organisation.pk,
            "name": "IOP om språkvänner",
            "kind": "iop",
            "start_precision": "month",
            "start_date": "2024-03-01",
            "end_precision": "day",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(name="IOP om språkvänner")
    assert agreement.owner == organisation and agreement.start_label == "mars 2024"
    url = reverse("actors:agreement_party_add", args=[agreement.slug])
    owner_client.post(url, {"organisation": organisation.pk, "role": "party"})
    owner_client.post(url, {"name": "Föreningen Språkvän", "role": "party"})
    owner_client.post(
        reverse("actors:agreement_principle_add", args=[agreement.slug]), {"name": "Dialog"}
    )
    assert agreement.parties.count() == 2
    assert list(agreement.principles.values_list("name", flat=True)) == ["Dialog"]
    # another organisation can read the public agreement but not change it
    assert outsider_client.get(agreement.get_absolute_url()).status_code == 200
    outsider_client.post(url, {"name": "Inkräktare", "role": "party"})
    assert (
        outsider_client.get(reverse("actors:agreement_edit", args=[agreement.slug])).status_code
        == 403
    )
    party = agreement.parties.first()
    outsider_client.post(reverse("actors:agreement_party_delete", args=[agreement.slug, party.pk]))
    assert agreement.parties.count() == 2
    # a party needs an organisation or a name
    owner_client.post(url, {"role": "party"})
    assert agreement.parties.count() == 2
    # the owner edits it
    edit = reverse("actors:agreement_edit", args=[agreement.slug])
    assert owner_client.get(edit).status_code == 200
    response = owner_client.post(
        edit,
        {
            "name": "IOP om språkvänner i Malmö",
            "kind": "iop",
            "start_precision": "month",
            "start_date": "2024-03-01",
            "end_precision": "day",
            "visibility": "public",
            "version": agreement.version,
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.name == "IOP om språkvänner i Malmö" and agreement.version == 2


def test_api_lists_agreements_with_parties_principles_and_meetings(demo, client):
    body = client.get("/api/agreements/overenskommelsen-integration/").json()
    assert body["principles"] == SIX and len(body["meetings"]) == 7
    listed = client.get("/api/agreements/?kind=rok").json()
    results = listed["results"] if isinstance(listed, dict) else listed
    assert {r["slug"] for r in results} >= {"rok-skane", "rok-jamtland-harjedalen"}
    assert all(r["kind"] == "rok" for r in results)


def test_api_hides_a_private_agreement(private_agreement, outsider_client, owner_client):
    assert owner_client.get("/api/agreements/iop-laxhjalp/").status_code == 200
    assert outsider_client.get("/api/agreements/iop-laxhjalp/").status_code == 404


def test_county_report_lists_the_agreements_with_meetings_in_the_period(demo):
    from samverkan.core import tenancy
    from samverkan.core.reporting.registry import COUNTY, SECTIONS, Period, Scope
    from samverkan.geo.models import County

    section = SECTIONS["networks"].func(
        Scope(COUNTY, county=County.objects.get(code="12")), Period(2012, 2012), tenancy.SYSTEM
    )
    table = next(
        b for b in section.blocks if getattr(b, "caption", "").startswith("Överenskommelser")
    )
    rows = {row[0]: row for row in table.rows}
    national = rows["Överenskommelsen inom integrationsområdet"]
    assert national[3] == "april 2010" and national[4] == 2  # Malmö and Köping in 2012
    assert "Överenskommelsen om samverkan mellan Region Skåne" in " ".join(rows)
