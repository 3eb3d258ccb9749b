"""Mapping rounds: all-or-nothing import in the Swedish template, and export."""

import csv
import io
import json

import pytest

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected, data_export, data_import
from samverkan.projects.models import Project
from samverkan.projects.selectors import SearchFilters, project_search

HEADER = (
    "titel;ägare;län;kommuner;teman;målgrupper;start;slut;status;budget;finansiärer;partner;"
    "sammanfattning\n"
)


def import_csv(text, *, user, acting_for=None):
    return data_import(
        kind="projects",
        data=text.encode("utf-8"),
        filename="kartlaggning.csv",
        user=user,
        acting_for=acting_for,
    )


def test_import_parses_swedish_template(owner, organisation):
    result = import_csv(
        HEADER
        + f"Språkvän Malmö;{organisation.code};12;Malmö;Boende;nyanlända;2019-01-01;2020;pågående;"
        '1 200 000 kr;"ESF: 800 000 kr; Malmö stad: 400 000";'
        f"{organisation.name}: ansvarig;Nyanlända familjer får en språkvän.\n"
        + "Andra projektet;;;1280, 1281;work-skills;academics;;;avslutat;2,5 mkr;;;\n",
        user=owner,
        acting_for=organisation,
    )
    assert result.created == 2
    project = Project.objects.get(title="Språkvän Malmö")
    assert project.budget == 1_200_000 and project.status == "ongoing"
    assert str(project.end_date) == "2020-12-31"
    assert [m.code for m in project.municipalities.all()] == ["1280"]
    assert [t.code for t in project.themes.all()] == ["housing"]
    assert sorted((f.funder, f.amount) for f in project.fundings.all()) == [
        ("ESF", 800_000),
        ("Malmö stad", 400_000),
    ]
    assert project.participants.get().role == "accountable"
    other = Project.objects.get(title="Andra projektet")
    assert other.owner == organisation and other.county.code == "12" and other.budget == 2_500_000
    hits = project_search(user=owner, filters=SearchFilters(query="språkvännen")).hits
    assert [h.project.title for h in hits] == ["Språkvän Malmö"]


def test_import_refuses_bad_rows_and_writes_nothing(owner, organisation):
    rows = (
        HEADER
        + "Bra rad;;12;;;;;;;100 kr;;;\n"
        + "Budget fel;;12;;;;;;;lots;;;\n"
        + "Datum fel;;12;;;;2020-05-01;2019-01-01;;;;;\n"
        + "Kommun fel;;12;Atlantis;;;;;;;;;\n"
        + "Kommun i annat län;;12;0580;;;;;;;;;\n"
        + "Tema fel;;;;Rymdfart;;;;;;;;\n"
        + ("x" * 10_000)
        + ";;;;;;;;;;;;\n"
        + "Okänd ägare;finns-inte;;;;;;;;;;;\n"
        + "Roll fel;;;;;;;;;;;Malmö stad: chef;\n"
        + "Status fel;;;;;;;;kanske;;;;\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_csv(rows, user=owner, acting_for=organisation)
    errors = [str(e) for e in rejected.value.errors]
    assert "rad 3, kolumn budget: ogiltigt belopp ”lots” (skriv t.ex. 1 200 000 kr)" in errors
    assert "rad 4, kolumn slut: slutdatum 2019-01-01 ligger före startdatum 2020-05-01" in errors
    assert "rad 5, kolumn kommuner: okänd kommun ”Atlantis”" in errors
    assert any(e.startswith("rad 6, kolumn kommuner:") and "ligger inte i" in e for e in errors)
    assert "rad 7, kolumn teman: okänt tema ”Rymdfart”" in errors
    assert "rad 8, kolumn titel: titeln är längre än 300 tecken (10000)" in errors
    assert "rad 9, kolumn ägare: okänd organisation ”finns-inte”" in errors
    assert any(e.startswith("rad 10, kolumn partner: okänd roll ”chef”") for e in errors)
    assert any(e.startswith("rad 11, kolumn status:") for e in errors)
    assert not Project.objects.exists()


def test_import_asks_instead_of_merging_duplicates(owner, organisation, make):
    existing = make(organisation, "Lugna Gatan")
    with pytest.raises(ImportRejected) as rejected:
        import_csv(
            HEADER + "lugna  gatan;;;;;;;;;;;;\nNytt;;;;;;;;;;;;\nNytt;;;;;;;;;;;;\n",
            user=owner,
            acting_for=organisation,
        )
    errors = [str(e) for e in rejected.value.errors]
    assert errors[0].startswith(
        f"rad 2, kolumn titel: {organisation.name} har redan ett projekt "
        f"som heter ”lugna  gatan” (id {existing.pk}). Välj under Projekt → Importera"
    )
    assert errors[1] == "rad 4, kolumn titel: samma ägare och titel som rad 3"
    assert Project.objects.count() == 1


def test_outsider_cannot_import_for_another_organisation(outsider, organisation):
    with pytest.raises(ImportRejected) as rejected:
        import_csv(HEADER + f"Intrång;{organisation.code};;;;;;;;;;;\n", user=outsider)
    assert [str(e) for e in rejected.value.errors] == [
        f"rad 2, kolumn ägare: du kan inte registrera projekt för {organisation.name}"
    ]
    assert not Project.objects.exists()


def test_broken_files_are_refused(owner, organisation):
    with pytest.raises(ImportRejected):
        data_import(
            kind="projects",
            data=b"PK\x03\x04broken",
            filename="x.xlsx",
            user=owner,
            acting_for=organisation,
        )
    with pytest.raises(ImportRejected) as rejected:
        data_import(
            kind="projects",
            data="titel\nÅr\n".encode("latin-1"),
            filename="x.csv",
            user=owner,
            acting_for=organisation,
        )
    assert "UTF-8" in str(rejected.value.errors[0])


def test_export_neutralises_formulas_and_round_trips(owner, organisation, other_organisation, make):
    make(organisation, '=HYPERLINK("http://evil","klicka")', summary="+1+2", budget=5)
    content = data_export(kind="projects", fmt="csv", user=owner).decode()
    row = next(csv.DictReader(io.StringIO(content)))
    assert row["titel"].startswith("'=HYPERLINK") and row["sammanfattning"] == "'+1+2"
    records = json.loads(data_export(kind="projects", fmt="json", user=owner))
    assert records[0]["budget"] == 5 and records[0]["ägare"] == organisation.code
    xlsx = data_export(kind="projects", fmt="xlsx", user=tenancy.SYSTEM)
    with pytest.raises(ImportRejected) as rejected:  # the same rows again: duplicates, asked
        data_import(kind="projects", data=xlsx, filename="export.xlsx", user=tenancy.SYSTEM)
    assert "har redan ett projekt" in str(rejected.value.errors[0])


def test_export_command_and_county_filter(owner, organisation, make, skane):
    from django.core.management import call_command

    make(organisation, "I Skåne", municipalities=["1280"])
    make(organisation, "Nationellt")
    out = io.StringIO()
    records = json.loads(
        data_export(kind="projects", fmt="json", user=owner, options={"county": "12"})
    )
    assert [r["titel"] for r in records] == ["I Skåne"]
    call_command("search", "skåne", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["results"][0]["title"] == "I Skåne"
