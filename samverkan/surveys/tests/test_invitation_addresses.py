"""Invitations that cannot get lost (issue 18, item 3): recipients without an address are named
before and after sending, can be given one on the campaign page (kept as the organisation's
contact address), and the links in the e-mails use SITE_URL."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from samverkan.actors.models import ContactAddress
from samverkan.core.models import Job
from samverkan.geo.models import County
from samverkan.surveys.models import Campaign, Recipient
from samverkan.surveys.tests.smtp import LocalSMTPServer
from tests.factories import OrganisationFactory

MISSING = (
    "Länsstyrelsen i Gotlands län",
    "Länsstyrelsen i Hallands län",
    "Länsstyrelsen i Örebro län",
)


@pytest.fixture
def smtp(settings):
    with LocalSMTPServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


@pytest.fixture
def county_boards(organisation):
    """The other 20 county boards (the fixture organisation is Skåne's): three have no contact
    address and no members; Gotland's is kept by the owner organisation on its behalf."""
    boards = []
    for county in County.objects.exclude(pk=organisation.county_id).order_by("code"):
        name = f"Länsstyrelsen i {county.name}"
        board = OrganisationFactory(
            name=name,
            code=f"lst-{county.code}",
            kind="county_board",
            sector="public",
            county=county,
            steward=organisation if "Gotland" in name else None,
        )
        if name not in MISSING:
            ContactAddress.objects.create(
                organisation=board, email=f"registrator@lst-{county.code}.example.se"
            )
        boards.append(board)
    assert len(boards) == 20
    return boards


def _create_campaign(client, questionnaire, organisation):
    response = client.post(
        f"/enkater/{questionnaire.pk}/utskick/nytt/",
        {
            "owner": organisation.pk,
            "title": "Integrationsläget 2025",
            "deadline": (date.today() + timedelta(days=30)).isoformat(),
            "rule": "county_boards",
            "grace_days": 0,
        },
    )
    assert response.status_code == 302, response.content
    return Campaign.objects.get(title="Integrationsläget 2025")


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_the_testers_journey_to_all_county_boards(
    smtp,
    owner,
    owner_client,
    organisation,
    questionnaire,
    county_boards,
    django_capture_on_commit_callbacks,
):
    campaign = _create_campaign(owner_client, questionnaire, organisation)
    assert campaign.recipients.count() == 21
    # The contact addresses were used when the campaign was created.
    assert (
        campaign.recipients.get(organisation__code="lst-01").email
        == "registrator@lst-01.example.se"
    )

    page = owner_client.get(campaign.get_absolute_url())
    rows = page.context["missing_addresses"]
    assert [row["recipient"].organisation.name for row in rows] == list(MISSING)
    html = page.content.decode()
    assert "3 mottagare saknar e-postadress" in html
    for name in MISSING:
        assert name in html
    # Only the organisation the owner keeps offers "save as its contact address", ticked.
    assert [(row["may_save"], row["save"]) for row in rows] == [
        (True, True),
        (False, False),
        (False, False),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        sent = owner_client.post(f"/enkater/utskick/{campaign.pk}/skicka/", follow=True)
    assert _messages(sent) == [
        "18 inbjudningar köade. 3 mottagare saknar e-postadress: " + ", ".join(MISSING) + "."
    ]
    assert len(smtp.handler.messages) == 18

    gotland = campaign.recipients.get(organisation__name=MISSING[0])
    with django_capture_on_commit_callbacks(execute=True):
        added = owner_client.post(
            f"/enkater/utskick/{campaign.pk}/saknade-adresser/",
            {
                f"email-{gotland.pk}": "Registrator@Gotland.example.se",
                f"contact-{gotland.pk}": "1",
                "action": "send",
            },
            follow=True,
        )
    assert _messages(added) == [
        "1 adress är sparad, 1 som organisationens kontaktadress.",
        "1 inbjudan köad. 2 mottagare saknar e-postadress: "
        + ", ".join(MISSING[1:])
        + ". 18 är redan inbjudna eller i kö.",
    ]
    assert smtp.handler.messages[-1]["To"] == "registrator@gotland.example.se"
    gotland.refresh_from_db()
    assert gotland.delivery == Recipient.Delivery.SENT
    contact = ContactAddress.objects.get(organisation=gotland.organisation)
    assert (contact.email, contact.for_surveys) == ("registrator@gotland.example.se", True)
    assert contact.history.count() == 1
    # The page now lists only the two still without an address.
    page = owner_client.get(campaign.get_absolute_url())
    assert [r["recipient"].organisation.name for r in page.context["missing_addresses"]] == list(
        MISSING[1:]
    )


def test_a_later_campaign_uses_a_contact_address_added_since(
    owner, owner_client, organisation, questionnaire, county_boards
):
    campaign = _create_campaign(owner_client, questionnaire, organisation)
    halland = next(b for b in county_boards if b.name == MISSING[1])
    ContactAddress.objects.create(organisation=halland, email="lst@halland.example.se")
    response = owner_client.post(
        f"/api/survey-campaigns/{campaign.pk}/send/", {}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "queued": 19,
        "missing_email": [MISSING[0], MISSING[2]],
        "already": [],
        "message": "19 inbjudningar köade. 2 mottagare saknar e-postadress: "
        f"{MISSING[0]}, {MISSING[2]}.",
    }
    assert campaign.recipients.get(organisation=halland).email == "lst@halland.example.se"
    assert Job.objects.filter(name="surveys.send_email").count() == 19


def test_an_address_typed_for_an_organisation_one_may_not_edit_is_not_kept(
    owner_client, organisation, questionnaire, county_boards
):
    campaign = _create_campaign(owner_client, questionnaire, organisation)
    halland = campaign.recipients.get(organisation__name=MISSING[1])
    owner_client.post(
        f"/enkater/utskick/{campaign.pk}/saknade-adresser/",
        {f"email-{halland.pk}": "lst@halland.example.se", f"contact-{halland.pk}": "1"},
    )
    halland.refresh_from_db()
    assert halland.email == "lst@halland.example.se"
    assert not ContactAddress.objects.filter(organisation=halland.organisation).exists()


def test_a_wrong_address_changes_nothing_and_keeps_what_was_typed(
    owner_client, organisation, questionnaire, county_boards
):
    campaign = _create_campaign(owner_client, questionnaire, organisation)
    gotland = campaign.recipients.get(organisation__name=MISSING[0])
    halland = campaign.recipients.get(organisation__name=MISSING[1])
    page = owner_client.post(
        f"/enkater/utskick/{campaign.pk}/saknade-adresser/",
        {f"email-{gotland.pk}": "ok@gotland.example.se", f"email-{halland.pk}": "inte en adress"},
    )
    assert page.status_code == 400
    assert page.context["address_errors"] == [
        "Länsstyrelsen i Hallands län: inte en adress är ingen giltig e-postadress."
    ]
    assert 'value="inte en adress"' in page.content.decode()
    assert not campaign.recipients.filter(email="ok@gotland.example.se").exists()


def test_missing_addresses_need_write_access_to_the_campaign(
    campaign, viewer_client, outsider_client
):
    recipient = campaign.recipients.get(organisation__code="kommun-2")
    url = f"/enkater/utskick/{campaign.pk}/saknade-adresser/"
    data = {f"email-{recipient.pk}": "x@example.se"}
    assert outsider_client.post(url, data).status_code == 404
    assert viewer_client.post(url, data).status_code == 403
    assert outsider_client.post(f"/api/survey-campaigns/{campaign.pk}/send/").status_code == 404
    assert viewer_client.post(f"/api/survey-campaigns/{campaign.pk}/send/").status_code == 403
    recipient.refresh_from_db()
    assert recipient.email == ""
    assert not Job.objects.exists()


@override_settings(SITE_URL="http://samverkan.test:8123")
def test_the_link_in_the_invitation_uses_site_url(
    smtp, campaign, owner, django_capture_on_commit_callbacks
):
    from samverkan.surveys import services

    recipient = campaign.recipients.get(organisation__code="kommun-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign, user=owner)
    body = smtp.handler.messages[0].get_content()
    assert f"http://samverkan.test:8123/enkater/svara/{recipient.token}/" in body
    assert "127.0.0.1:8000" not in body
