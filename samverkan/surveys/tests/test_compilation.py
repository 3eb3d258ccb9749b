"""Compilation in the form of the 1999 report, exports, CSV response import and the CLI."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from samverkan.actors.reference import organisations_load_reference
from samverkan.core import tenancy
from samverkan.surveys import selectors, services
from samverkan.surveys.demo import ANSWERS_FILE, surveys_demo_load
from samverkan.surveys.models import Campaign, Questionnaire, Response
from samverkan.surveys.tests.conftest import make_xlsform


@pytest.fixture
def demo(db):
    organisations_load_reference()
    return surveys_demo_load()


def test_demo_reproduces_the_1999_report_lists(demo):
    """seeds/000_…, Bilaga 2: the JA/NEJ lists and counts for questions 1 and 2."""
    markdown = selectors.compilation_markdown(selectors.campaign_compile(campaign=demo))
    assert (
        "- **Ja**: Gotland, Halland, Jönköping, Kronoberg, Norrbotten, Södermanland, "
        "Uppsala, Värmland, Västmanland, Örebro, Östergötland (11)"
    ) in markdown
    assert (
        "- **Nej**: Blekinge, Dalarna, Gävleborg, Jämtland, Kalmar, Västerbotten, "
        "Västernorrland (7)"
    ) in markdown
    assert (
        "- **Ja**: Dalarna, Gävleborg, Jönköping, Kalmar, Norrbotten, Södermanland, "
        "Uppsala, Västerbotten, Västernorrland, Västmanland, Örebro, Östergötland (12)"
    ) in markdown
    assert "- **Nej**: Blekinge, Gotland, Halland, Jämtland, Kronoberg, Värmland (6)" in markdown
    assert "18 av 18 har svarat." in markdown


def test_demo_is_idempotent(demo):
    assert surveys_demo_load().pk == demo.pk
    assert Campaign.objects.count() == 1
    assert Questionnaire.objects.count() == 1


def test_cli_compile_json_shape(demo, capsys):
    call_command("survey", "compile", str(demo.pk), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["respondents_total"] == 18
    assert data["responded"] == 18
    assert data["missing"] == []
    first = data["questions"][0]
    assert first["name"] == "q1_samverkan"
    assert first["type"] == "select_one"
    assert first["answered"] == 18
    assert first["counts"] == {"ja": 11, "nej": 7}
    # each respondent by code and full name: "Gotland" alone is also a municipality
    assert first["respondents"]["nej"][0] == {
        "code": "lst-10",
        "name": "Länsstyrelsen i Blekinge län",
    }
    assert {"code": "lst-09", "name": "Länsstyrelsen i Gotlands län"} in first["respondents"]["ja"]
    comment = next(q for q in data["questions"] if q["name"] == "q1_kommentar")
    assert comment["answers"] == [
        {"code": "lst-10", "name": "Länsstyrelsen i Blekinge län", "answer": "ska börja"}
    ]


def test_cli_compile_markdown_and_xlsx(demo, capsys, tmp_path):
    call_command("survey", "compile", str(demo.pk), "--format", "md")
    assert "(11)" in capsys.readouterr().out
    out = tmp_path / "s.xlsx"
    call_command("survey", "compile", str(demo.pk), "--format", "xlsx", "--output", str(out))
    workbook = load_workbook(out)
    rows = list(workbook["Sammanställning"].iter_rows(values_only=True))
    assert ("q1_samverkan", rows[1][1], "Ja", 11, 0.611) == rows[1][:5]
    assert workbook["Svar"].max_row == 19


def test_cli_import_xlsform_prints_the_id(tmp_path, capsys, db):
    organisations_load_reference()
    path = tmp_path / "form.xlsx"
    path.write_bytes(make_xlsform())
    call_command("survey", "import-xlsform", str(path))
    assert Questionnaire.objects.get().pk == int(capsys.readouterr().out.strip())
    path.write_bytes(make_xlsform([("type", "name"), ("geopoint", "plats")]))
    with pytest.raises(CommandError, match="Nothing imported: 1 error"):
        call_command("survey", "import-xlsform", str(path))


def test_csv_export_is_kobo_style(campaign):
    recipient = campaign.recipients.get(organisation__code="kommun-1")
    services.recipient_open(recipient=recipient)
    services.response_save(
        recipient=recipient,
        base_version=0,
        submit=True,
        raw={"samverkan": "ja", "mangfald": "nej", "partner": ["lan", "kommuner"]},
    )
    rows = list(csv.DictReader(io.StringIO(selectors.responses_csv(campaign=campaign).decode())))
    assert rows[0]["respondent"] == "Staffanstorps kommun"
    assert rows[0]["partner"] == "kommuner lan"
    assert rows[0]["_status"] == "submitted"
    assert list(rows[0])[:4] == ["respondent", "respondent_code", "samverkan", "partner"]


def test_import_responses_warns_about_answers_that_do_not_apply(campaign, tmp_path, capsys):
    path = tmp_path / "svar.csv"
    path.write_text(
        "respondent,samverkan,partner,mangfald,hinder\n"
        "Staffanstorps kommun,ja,kommuner lan,ja,Resurser\n"
        "kommun-2,nej,,nej,Tid\n",
        encoding="utf-8",
    )
    call_command("survey", "import-responses", str(campaign.pk), str(path))
    captured = capsys.readouterr()
    assert "Stored 2 responses" in captured.out
    assert (
        "Rad 2, kolumn hinder: frågan gäller inte utifrån de andra svaren; svaret sparas inte."
    ) in captured.err
    staffanstorp = Response.objects.get(recipient__organisation__code="kommun-1")
    assert staffanstorp.answers == {
        "samverkan": "ja",
        "partner": ["kommuner", "lan"],
        "mangfald": "ja",
    }
    compilation = selectors.campaign_compile(campaign=campaign)
    assert compilation["missing"] == ["Lunds kommun"]
    partner = next(q for q in compilation["questions"] if q["name"] == "partner")
    assert partner["respondents"]["lan"] == ["Staffanstorps kommun"]


def test_import_responses_rejects_unknown_organisations_and_choices(campaign):
    data = ("respondent,samverkan,okand\nOkänd kommun,ja,\nkommun-1,kanske,\n").encode()
    with pytest.raises(ValidationError) as info:
        services.responses_import_csv(
            campaign=campaign, data=data, filename="svar.csv", user=tenancy.SYSTEM
        )
    assert info.value.messages == [
        "svar.csv: kolumnen okand är ingen fråga i enkäten.",
        "Rad 2: Okänd kommun är inte mottagare i utskicket.",
        "Rad 3, kolumn samverkan: Okänt val: kanske.",
    ]
    assert not Response.objects.exists()


def test_compilation_page_and_filters(owner_client, demo):
    from samverkan.core.models import Visibility

    page = owner_client.get(f"/enkater/utskick/{demo.pk}/sammanstallning/").content.decode()
    assert "Gotland, Halland, Jönköping" in page
    assert "<svg" in page
    page = owner_client.get(f"/enkater/utskick/{demo.pk}/sammanstallning/?county=09")
    assert "1 av 1 har svarat." in page.content.decode()
    assert demo.visibility == Visibility.PUBLIC
    assert ANSWERS_FILE.exists()


def test_json_download_names_each_respondent_the_markdown_keeps_short_names(client, demo):
    data = client.get(f"/enkater/utskick/{demo.pk}/sammanstallning.json?county=09").json()
    first = data["questions"][0]
    assert first["respondents"]["ja"] == [
        {"code": "lst-09", "name": "Länsstyrelsen i Gotlands län"}
    ]
    markdown = client.get(f"/enkater/utskick/{demo.pk}/sammanstallning.md?county=09")
    assert "- **Ja**: Gotland (1)" in markdown.content.decode()
