"""Campaign creation by rule or by hand, tracking, and cross-organisation denial."""

from datetime import date, timedelta

import pytest

from samverkan.actors.models import Organisation
from samverkan.actors.reference import organisations_load_reference
from samverkan.surveys.models import Campaign, Question, Recipient, Response
from samverkan.surveys.selectors import campaign_tracking, organisations_by_rule


@pytest.fixture
def reference_organisations(db):
    organisations_load_reference()


def test_rules_pick_county_boards_and_municipalities(reference_organisations):
    outside = organisations_by_rule(rule="county_boards_outside_metropolitan")
    assert len(outside) == 18
    assert "Länsstyrelsen i Skåne län" not in {o.name for o in outside}
    assert len(organisations_by_rule(rule="county_boards")) == 21
    assert len(organisations_by_rule(rule="municipalities", county_code="12")) == 33
    assert organisations_by_rule(rule="okänd") == []


def test_owner_creates_a_campaign_to_all_municipalities_in_skane(
    owner_client, organisation, questionnaire, reference_organisations
):
    page = owner_client.post(
        f"/enkater/{questionnaire.pk}/utskick/nytt/",
        {
            "owner": organisation.pk,
            "title": "Kartläggning 2025",
            "deadline": "2025-10-31",
            "rule": "municipalities",
            "county": "12",
        },
    )
    assert page.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.recipients.count() == 33
    assert campaign.visibility == "private"
    assert len(set(campaign.recipients.values_list("token", flat=True))) == 33
    assert all(len(token) >= 43 for token in campaign.recipients.values_list("token", flat=True))


def test_campaign_by_hand_refuses_unknown_codes(
    owner_client, organisation, questionnaire, respondents
):
    page = owner_client.post(
        f"/enkater/{questionnaire.pk}/utskick/nytt/",
        {
            "owner": organisation.pk,
            "title": "Tre kommuner",
            "deadline": "2025-10-31",
            "rule": "manual",
            "organisations": "kommun-1\nkommun-3\nfinns-inte",
        },
    )
    assert "Okända koder: finns-inte." in page.content.decode()
    assert not Campaign.objects.exists()


def test_outsider_cannot_create_a_campaign_for_another_organisation(
    outsider_client, organisation, questionnaire, respondents
):
    page = outsider_client.post(
        f"/enkater/{questionnaire.pk}/utskick/nytt/",
        {
            "owner": organisation.pk,
            "title": "X",
            "deadline": "2025-10-31",
            "rule": "manual",
            "organisations": "kommun-1",
        },
    )
    assert page.status_code == 200  # the owner is not among the outsider's choices
    assert not Campaign.objects.exists()


def test_tracking_names_the_missing(campaign, owner_client):
    submitted = campaign.recipients.get(organisation__code="kommun-3")
    Response.objects.create(recipient=submitted, status=Response.Status.SUBMITTED, version=1)
    tracking = campaign_tracking(campaign=campaign)
    assert (
        tracking.summary == "1 av 3 har svarat; saknas: Kristianstads kommun, Staffanstorps kommun"
    )
    page = owner_client.get(f"/enkater/utskick/{campaign.pk}/").content.decode()
    assert "1 av 3 har svarat; saknas: Kristianstads kommun, Staffanstorps kommun" in page
    assert "Påminn dem som saknas (2)" in page


def test_tracking_marks_overdue(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(deadline=date.today() - timedelta(days=1))
    campaign.refresh_from_db()
    assert campaign_tracking(campaign=campaign).overdue


@pytest.mark.parametrize(
    "path",
    [
        "",
        "sammanstallning/",
        "sammanstallning.json",
        "sammanstallning.csv",
        "sammanstallning.xlsx",
        "sammanstallning.md",
    ],
)
def test_outsider_cannot_see_tracking_or_answers(outsider_client, campaign, path):
    assert outsider_client.get(f"/enkater/utskick/{campaign.pk}/{path}").status_code == 404


def test_members_of_the_owner_see_the_compilation(viewer_client, campaign):
    assert viewer_client.get(f"/enkater/utskick/{campaign.pk}/sammanstallning/").status_code == 200


@pytest.mark.parametrize("path", ["stang/", "skicka/"])
def test_outsider_and_viewer_cannot_change_a_campaign(
    outsider_client, viewer_client, campaign, path
):
    assert outsider_client.post(f"/enkater/utskick/{campaign.pk}/{path}").status_code == 404
    assert viewer_client.post(f"/enkater/utskick/{campaign.pk}/{path}").status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == "open"


def test_owner_closes_a_campaign(owner_client, campaign):
    owner_client.post(f"/enkater/utskick/{campaign.pk}/stang/")
    campaign.refresh_from_db()
    assert campaign.status == "closed"


def test_builder_adds_questions_and_refuses_bad_conditions(owner_client, questionnaire):
    url = f"/enkater/{questionnaire.pk}/fragor/"
    owner_client.post(
        url,
        {
            "type": "select_one",
            "name": "ny",
            "label": "Ny fråga?",
            "choices": "ja Ja\nnej Nej",
            "relevant": "${samverkan} = 'ja'",
        },
    )
    question = Question.objects.get(questionnaire=questionnaire, name="ny")
    assert question.position == 8
    assert list(questionnaire.choices.filter(list_name="ny").values_list("name", flat=True)) == [
        "ja",
        "nej",
    ]
    page = owner_client.post(
        url,
        {"type": "text", "name": "fel", "label": "Fel", "relevant": "${saknas} = 1"},
        follow=True,
    )
    assert "Okänd fråga: ${saknas}." in page.content.decode()
    assert not Question.objects.filter(name="fel").exists()


def test_outsider_cannot_add_questions(outsider_client, questionnaire):
    response = outsider_client.post(
        f"/enkater/{questionnaire.pk}/fragor/",
        {"type": "text", "name": "intrang", "label": "Intrång"},
    )
    assert response.status_code == 403
    assert not Question.objects.filter(name="intrang").exists()


def test_list_page_and_questionnaire_page_render(owner_client, campaign, questionnaire):
    assert campaign.title in owner_client.get("/enkater/").content.decode()
    page = owner_client.get(f"/enkater/{questionnaire.pk}/").content.decode()
    # conditions in words, not XPath
    assert "Visas om fråga 1 (Deltar ni i regional samverkan?) är Ja" in page
    assert "Svaret ska vara minst 0 och mindre än 1000" in page
    assert "${samverkan}" not in page


def test_recipients_are_unique_per_campaign(campaign):
    from samverkan.core import tenancy
    from samverkan.surveys.services import recipients_add

    again = list(Organisation.objects.filter(code__startswith="kommun-"))
    assert recipients_add(campaign=campaign, organisations=again, user=tenancy.SYSTEM) == 0
    assert Recipient.objects.filter(campaign=campaign).count() == 3


def test_private_questionnaire_is_hidden_from_outsiders(
    outsider_client, owner_client, questionnaire
):
    from samverkan.surveys.models import Questionnaire

    Questionnaire.objects.filter(pk=questionnaire.pk).update(visibility="private")
    assert outsider_client.get(f"/enkater/{questionnaire.pk}/").status_code == 404
    assert outsider_client.get(f"/enkater/{questionnaire.pk}/xlsform/").status_code == 404
    assert owner_client.get(f"/enkater/{questionnaire.pk}/xlsform/").status_code == 200


def test_owner_sets_invitation_addresses_all_checked_first(owner_client, campaign):
    url = f"/enkater/utskick/{campaign.pk}/adresser/"
    assert "kommun-1 staffanstorp@example.se" in owner_client.get(url).content.decode()
    page = owner_client.post(
        url, {"lines": "kommun-2 registrator@kristianstad.se\nkommun-3 inte-en-adress"}
    )
    assert "Rad 2: inte-en-adress är ingen giltig e-postadress." in page.content.decode()
    assert campaign.recipients.get(organisation__code="kommun-2").email == ""
    owner_client.post(url, {"lines": "kommun-2 Registrator@Kristianstad.se"})
    assert (
        campaign.recipients.get(organisation__code="kommun-2").email
        == "registrator@kristianstad.se"
    )


def test_outsider_cannot_set_addresses(outsider_client, viewer_client, campaign):
    url = f"/enkater/utskick/{campaign.pk}/adresser/"
    assert outsider_client.post(url, {"lines": "kommun-2 x@example.se"}).status_code == 404
    assert viewer_client.post(url, {"lines": "kommun-2 x@example.se"}).status_code == 403
    assert campaign.recipients.get(organisation__code="kommun-2").email == ""
