"""Mapping rounds as the county boards ran them in 1999 (issue 22, item 10), with the counts
Integrationsverket's report gives; city districts as respondents; nothing the report does not
name is made up, and an unknown count stays empty."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from samverkan.actors.models import Organisation, OrganisationKind
from samverkan.core.models import Visibility
from samverkan.projects.models import MappingRound
from samverkan.surveys.selectors import organisations_by_rule


@pytest.fixture
def demo(db, settings):
    from samverkan.core.setup import setup_run

    settings.RATE_LIMITS = {}
    setup_run()


def _round(county: str) -> MappingRound:
    return MappingRound.objects.get(county__code=county)


def test_skane_1999_municipalities_and_city_districts(demo):
    # "Enkäter skickades ut till samtliga av länets 33 kommuner samt tio stadsdelar i Malmö
    # Stad. 31 kommuner har svarat (ej Staffanstorps respektive Kristianstads kommun) liksom nio
    # stadsdelar i Malmö (ej Limhamn-Bunkeflo)."
    municipalities, districts = _round("12").groups.order_by("position")
    assert (municipalities.asked, municipalities.answered) == (33, 31)
    assert sorted(municipalities.non_respondents.values_list("municipality__name", flat=True)) == [
        "Kristianstad",
        "Staffanstorp",
    ]
    assert (districts.asked, districts.answered) == (10, 9)
    assert districts.respondent_kind == OrganisationKind.CITY_DISTRICT
    limhamn = districts.non_respondents.get()
    assert limhamn.kind == OrganisationKind.CITY_DISTRICT
    assert limhamn.municipality.name == "Malmö"
    # the nine districts that answered are not named in the report, so none is made up
    assert Organisation.objects.filter(kind=OrganisationKind.CITY_DISTRICT).count() == 1
    assert _round("12").projects_reported is None


def test_vastra_gotaland_share_only(demo):
    # "Av totalt 64 tillfrågade aktörer har cirka 60 procent kommit in med redovisningar."
    group = _round("14").groups.get()
    assert (group.asked, group.answered, group.answered_percent, group.approximate) == (
        64,
        None,
        60,
        True,
    )


def test_stockholm_knowledge_bank(demo):
    # "23 av länets 26 kommuner skickade in uppgifter om 123 projekt. Tolv projekt … valdes ut
    # för fördjupning."
    stockholm = _round("01")
    group = stockholm.groups.get()
    assert (group.asked, group.answered) == (26, 23)
    assert not group.non_respondents.exists()  # the report does not name them
    assert (stockholm.projects_reported, stockholm.projects_selected) == (123, 12)
    assert not stockholm.projects.exists()  # no project the report does not name
    assert "U Nr 17" in stockholm.result


def test_page_and_export(demo, client, tmp_path):
    html = client.get(reverse("projects:mapping_rounds")).content.decode()
    assert "31 av 33 svarade" in html and "9 av 10 svarade" in html
    assert "Limhamn-Bunkeflo" in html and "Staffanstorps kommun" in html
    assert "cirka 60 % av 64 svarade" in html
    assert "123" in html
    assert (
        reverse("projects:mapping_rounds") in client.get(reverse("projects:list")).content.decode()
    )
    target = tmp_path / "rounds.csv"
    call_command("export", "mapping-rounds", "--format", "csv", "-o", str(target))
    rows = {
        r["county_code"]: r
        for r in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")))
    }
    assert rows["12"]["asked"] == "43" and rows["12"]["answered"] == "40"
    assert "stadsdel-malmo-limhamn-bunkeflo" in rows["12"]["non_respondents"]
    assert rows["14"]["answered"] == ""  # the number is not given, so it is not 0
    assert rows["12"]["projects_reported"] == ""
    assert rows["01"]["projects_reported"] == "123"


def test_city_districts_can_be_survey_respondents(db, skane):
    from samverkan.geo.models import Municipality

    malmo = Municipality.objects.get(code="1280")
    district = Organisation.objects.create(
        name="Stadsdel Test",
        code="stadsdel-test",
        kind=OrganisationKind.CITY_DISTRICT,
        sector="public",
        county=malmo.county,
        municipality=malmo,
        verified=True,
    )
    found = organisations_by_rule(rule="municipalities_and_city_districts", county_code="12")
    assert district in found
    assert district not in organisations_by_rule(rule="municipalities", county_code="12")


def test_a_private_round_is_read_by_its_organisation_only(
    organisation, owner_client, outsider_client
):
    MappingRound.objects.create(
        owner=organisation, title="Intern kartläggning", visibility=Visibility.PRIVATE
    )
    url = reverse("projects:mapping_rounds")
    assert "Intern kartläggning" in owner_client.get(url).content.decode()
    assert "Intern kartläggning" not in outsider_client.get(url).content.decode()


def test_json_export_gives_unknown_counts_as_null(demo, tmp_path):
    import json

    target = tmp_path / "rounds.json"
    call_command("export", "mapping-rounds", "--format", "json", "-o", str(target))
    rows = {r["county_code"]: r for r in json.loads(target.read_text(encoding="utf-8"))}
    assert rows["14"]["answered"] is None and rows["12"]["projects_reported"] is None
    assert rows["01"]["projects_selected"] == 12


def test_county_report_shows_the_mapping_round(demo):
    from samverkan.core import tenancy
    from samverkan.core.reporting.registry import COUNTY, Period, Scope, section_build
    from samverkan.geo.models import County

    section = section_build(
        "surveys",
        Scope(COUNTY, county=County.objects.get(code="12")),
        Period(1999, 1999),
        tenancy.SYSTEM,
    )
    table = next(
        b for b in section.blocks if getattr(b, "caption", "") == "Kartläggningar under perioden"
    )
    (row,) = table.rows
    assert "31 av 33 svarade" in row[2] and "Limhamn-Bunkeflo" in row[2]
    assert row[3] == "okänt"
