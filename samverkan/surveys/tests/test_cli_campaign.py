"""`samverkan survey campaign`: the 1999 questionnaire run from the command line alone, and the
refusals, each naming the argument at fault."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from samverkan.actors.reference import organisations_load_reference
from samverkan.surveys.demo import ANSWERS_FILE, FORM_FILE
from samverkan.surveys.models import Campaign


@pytest.fixture
def reference(db):
    organisations_load_reference()


def _run(capsys, *args):
    call_command("survey", *args)
    return capsys.readouterr().out


def _in_a_month():
    return (timezone.localdate() + timedelta(days=30)).isoformat()


@pytest.fixture
def questionnaire_id(reference, capsys):
    return _run(capsys, "import-xlsform", str(FORM_FILE)).strip()


def test_the_1999_survey_from_the_command_line_alone(questionnaire_id, capsys):
    """Bilaga 1 imported, sent to the 18 county boards the report covers, Bilaga 2's answers
    imported, and compiled as JSON with the counts and every respondent named."""
    deadline = _in_a_month()
    campaign_id = _run(
        capsys,
        "campaign",
        questionnaire_id,
        "--to",
        "county-boards-outside-metropolitan",
        "--deadline",
        deadline,
        "--title",
        "Enkät till länsstyrelserna hösten 1999",
    ).strip()
    campaign = Campaign.objects.get(pk=int(campaign_id))
    assert campaign.questionnaire_id == int(questionnaire_id)
    assert campaign.owner.code == "integrationsverket"  # the questionnaire's owner
    assert campaign.deadline.isoformat() == deadline
    assert campaign.rule == "Alla länsstyrelser utom storstadslänen"
    codes = set(campaign.recipients.values_list("organisation__code", flat=True))
    assert len(codes) == 18
    assert not codes & {"lst-01", "lst-12", "lst-14"}

    stored = _run(capsys, "import-responses", campaign_id, str(ANSWERS_FILE))
    assert "Stored 18 responses" in stored

    data = json.loads(_run(capsys, "compile", campaign_id, "--format", "json"))
    assert (data["respondents_total"], data["responded"], data["missing"]) == (18, 18, [])
    q1 = next(q for q in data["questions"] if q["name"] == "q1_samverkan")
    q2 = next(q for q in data["questions"] if q["name"] == "q2_mangfald")
    assert q1["counts"] == {"ja": 11, "nej": 7}
    assert q2["counts"] == {"ja": 12, "nej": 6}
    assert q1["respondents"]["ja"][0] == {"code": "lst-09", "name": "Länsstyrelsen i Gotlands län"}
    assert [r["name"] for r in q1["respondents"]["nej"]] == [
        "Länsstyrelsen i Blekinge län",
        "Länsstyrelsen i Dalarnas län",
        "Länsstyrelsen i Gävleborgs län",
        "Länsstyrelsen i Jämtlands län",
        "Länsstyrelsen i Kalmar län",
        "Länsstyrelsen i Västerbottens län",
        "Länsstyrelsen i Västernorrlands län",
    ]
    assert all(
        set(r) == {"code", "name"} for q in (q1, q2) for v in q["respondents"].values() for r in v
    )

    # the Markdown form keeps the report's short names
    markdown = _run(capsys, "compile", campaign_id, "--format", "md")
    assert (
        "- **Nej**: Blekinge, Dalarna, Gävleborg, Jämtland, Kalmar, Västerbotten, "
        "Västernorrland (7)"
    ) in markdown


@pytest.mark.parametrize(
    ("to", "count"),
    [
        ("county-boards", 21),
        ("regions", 21),
        ("municipalities:12", 33),
        ("municipalities", 290),
        ("lst-10, kommun-1214,lst-10", 2),
    ],
)
def test_campaign_recipients_by_rule_or_codes(questionnaire_id, capsys, to, count):
    campaign_id = _run(
        capsys, "campaign", questionnaire_id, "--to", to, "--deadline", _in_a_month()
    ).strip()
    campaign = Campaign.objects.get(pk=int(campaign_id))
    assert campaign.recipients.count() == count
    assert campaign.title == campaign.questionnaire.title


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--to", "lst-10,lst-99,kommun-0000"],
            "--to: no organisation with the code(s) lst-99, kommun-0000",
        ),
        (["--to", "municipalities:99"], "--to: no county with code '99'"),
        (["--to", "alla kommuner"], "--to: 'alla kommuner' is neither a rule nor a list of codes"),
        (
            ["--deadline", "2030-02-30"],
            "--deadline: '2030-02-30' is not a date in the form YYYY-MM-DD",
        ),
        (
            ["--deadline", "30/11/2030"],
            "--deadline: '30/11/2030' is not a date in the form YYYY-MM-DD",
        ),
        (["--deadline", "1999-11-30"], "--deadline: 1999-11-30 is in the past (today is "),
        (["--owner", "ingen-sadan"], "--owner: no organisation with code 'ingen-sadan'"),
        (["--title", "Rad ett\nRad två"], "--title: Texten får inte innehålla radbrytningar."),
        (["--grace-days", "400"], "--grace-days: Ange mellan 0 och 365 extra dagar."),
    ],
)
def test_campaign_refusals_name_the_argument(questionnaire_id, args, message):
    options = {"--to": "county-boards", "--deadline": _in_a_month()}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        options[flag] = value
    argv = [item for pair in options.items() for item in pair]
    with pytest.raises(CommandError) as info:
        call_command("survey", "campaign", questionnaire_id, *argv)
    assert message in str(info.value)
    assert not Campaign.objects.exists()


def test_unknown_ids_are_named(questionnaire_id):
    with pytest.raises(CommandError, match="QUESTIONNAIRE_ID: no questionnaire with id '999'"):
        call_command("survey", "campaign", "999", "--to", "regions", "--deadline", _in_a_month())
    # a questionnaire id where a campaign id belongs says what to do
    with pytest.raises(
        CommandError, match=r"CAMPAIGN_ID: .* is a questionnaire: create a campaign"
    ):
        call_command("survey", "compile", questionnaire_id)


def test_the_deadline_may_be_today(questionnaire_id, capsys):
    today = timezone.localdate().isoformat()
    campaign_id = _run(capsys, "campaign", questionnaire_id, "--to", "lst-10", "--deadline", today)
    assert Campaign.objects.get(pk=int(campaign_id)).deadline.isoformat() == today
