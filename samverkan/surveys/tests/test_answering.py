"""Answering by personal link: drafts, conflicts, relevance, submission once, reopening."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from samverkan.core import tenancy
from samverkan.surveys import services
from samverkan.surveys.models import Campaign, Response


def _post(client, recipient, version, action="save", **answers):
    return client.post(
        f"/enkater/svara/{recipient.token}/", {"version": version, "action": action, **answers}
    )


def test_link_opens_without_an_account_and_records_the_visit(client, recipient):
    page = client.get(f"/enkater/svara/{recipient.token}/")
    assert page.status_code == 200
    assert "Deltar ni i regional samverkan?" in page.content.decode()
    recipient.refresh_from_db()
    assert recipient.opened_at is not None


@pytest.mark.parametrize(
    "token_change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t[:20],
        lambda t: "x" * 43,
    ],
)
def test_tampered_links_are_not_found(client, recipient, token_change):
    assert client.get(f"/enkater/svara/{token_change(recipient.token)}/").status_code == 404
    assert not Response.objects.exists()


def test_closed_campaign_link_says_so(client, recipient):
    Campaign.objects.filter(pk=recipient.campaign_id).update(status=Campaign.Status.CLOSED)
    page = client.get(f"/enkater/svara/{recipient.token}/")
    assert page.status_code == 410
    assert "tar inte längre emot svar" in page.content.decode()


def test_questions_that_do_not_apply_are_hidden_and_not_stored(client, recipient):
    client.get(f"/enkater/svara/{recipient.token}/")
    _post(
        client,
        recipient,
        0,
        samverkan="nej",
        mangfald="nej",
        hinder="Resurser",
        antal="4",
        partner="kommuner",
    )
    response = Response.objects.get()
    assert response.answers == {"samverkan": "nej", "mangfald": "nej", "hinder": "Resurser"}
    page = client.get(f"/enkater/svara/{recipient.token}/").content.decode()
    assert '<div class="field question" data-question="hinder">' in page
    assert '<div class="field question" data-question="partner" hidden>' in page


def test_relevant_group_of_answers_after_yes(client, recipient):
    client.get(f"/enkater/svara/{recipient.token}/")
    client.post(
        f"/enkater/svara/{recipient.token}/",
        {
            "version": 0,
            "action": "save",
            "samverkan": "ja",
            "mangfald": "ja",
            "partner": ["lan", "kommuner", "other"],
            "partner_other": "Hushållningssällskapet",
            "antal": "12",
            "hinder": "tas bort",
            "budget": "1,5",
            "startdatum": "1999-09-01",
        },
    )
    assert Response.objects.get().answers == {
        "samverkan": "ja",
        "mangfald": "ja",
        "partner": ["kommuner", "lan", "other"],
        "partner_other": "Hushållningssällskapet",
        "antal": 12,
        "budget": "1.5",
        "startdatum": "1999-09-01",
    }


def test_submit_checks_required_and_constraints_but_keeps_the_draft(client, recipient):
    client.get(f"/enkater/svara/{recipient.token}/")
    page = _post(client, recipient, 0, action="submit", samverkan="ja", antal="5000")
    text = page.content.decode()
    assert "Frågan måste besvaras." in text
    assert "Svaret uppfyller inte villkoret." in text
    response = Response.objects.get()
    assert response.status == "draft"
    assert response.answers == {"samverkan": "ja", "antal": 5000}


def test_wrong_types_are_reported(client, recipient):
    client.get(f"/enkater/svara/{recipient.token}/")
    page = _post(
        client,
        recipient,
        0,
        action="submit",
        samverkan="kanske",
        mangfald="ja",
        budget="mycket",
        startdatum="igår",
    )
    text = page.content.decode()
    assert "Okänt val: kanske." in text
    assert "Ange ett tal." in text
    assert "Ange ett datum som ÅÅÅÅ-MM-DD." in text
    assert Response.objects.get().status == "draft"


def test_submitted_once_then_a_second_submission_is_refused(client, recipient):
    client.get(f"/enkater/svara/{recipient.token}/")
    _post(client, recipient, 0, action="submit", samverkan="nej", mangfald="ja")
    response = Response.objects.get()
    assert response.status == "submitted"
    assert response.submitted_at is not None
    page = _post(
        client, recipient, response.version, action="submit", samverkan="ja", mangfald="ja"
    )
    assert "Svaret är redan inskickat och kan inte ändras." in page.content.decode()
    response.refresh_from_db()
    assert response.answers == {"samverkan": "nej", "mangfald": "ja"}


def test_two_people_saving_the_same_draft_lose_nothing(client, recipient):
    client.get(f"/enkater/svara/{recipient.token}/")
    _post(client, recipient, 0, samverkan="ja", mangfald="ja")  # Anna saves version 0 → 1
    page = _post(client, recipient, 0, samverkan="nej", mangfald="ja", hinder="Tid")  # Bo
    text = page.content.decode()
    assert "Någon annan har sparat utkastet" in text
    assert "Sparat av någon annan:" in text
    assert 'value="nej" checked' in text  # Bo's answer is still in his form
    response = Response.objects.get()
    assert response.answers == {"samverkan": "ja", "mangfald": "ja"}  # Anna's kept
    assert response.version == 1
    assert 'name="version" value="1"' in text  # Bo can now save over it deliberately


def test_service_detects_a_stale_version(recipient):
    services.recipient_open(recipient=recipient)
    services.response_save(recipient=recipient, raw={"samverkan": "ja"}, base_version=0)
    with pytest.raises(services.DraftConflict) as info:
        services.response_save(recipient=recipient, raw={"samverkan": "nej"}, base_version=0)
    assert info.value.mine == {"samverkan": "nej"}
    assert info.value.theirs == {"samverkan": "ja"}


def test_owner_reopens_a_submitted_response(owner_client, client, recipient):
    client.get(f"/enkater/svara/{recipient.token}/")
    _post(client, recipient, 0, action="submit", samverkan="nej", mangfald="nej")
    url = f"/enkater/utskick/{recipient.campaign_id}/svar/{recipient.pk}/oppna/"
    assert owner_client.post(url).status_code == 302
    response = Response.objects.get()
    assert response.status == "draft"
    _post(client, recipient, response.version, action="submit", samverkan="ja", mangfald="nej")
    assert Response.objects.get().status == "submitted"


def test_outsider_and_viewer_cannot_reopen(outsider_client, viewer_client, client, recipient):
    client.get(f"/enkater/svara/{recipient.token}/")
    _post(client, recipient, 0, action="submit", samverkan="nej", mangfald="nej")
    url = f"/enkater/utskick/{recipient.campaign_id}/svar/{recipient.pk}/oppna/"
    assert outsider_client.post(url).status_code == 404
    assert viewer_client.post(url).status_code == 403
    assert Response.objects.get().status == "submitted"


def test_closed_campaign_refuses_saving(recipient):
    Campaign.objects.filter(pk=recipient.campaign_id).update(status=Campaign.Status.CLOSED)
    recipient.refresh_from_db()
    with pytest.raises(ValidationError, match="stängt"):
        services.response_save(recipient=recipient, raw={}, base_version=0)


def test_member_of_the_recipient_sees_the_survey_to_answer(client, recipient):
    from samverkan.accounts.models import User

    client.force_login(User.objects.get(email="staffanstorp@example.se"))
    page = client.get("/enkater/").content.decode()
    assert recipient.get_answer_url() in page


def test_an_attachment_can_be_part_of_the_answer(client, recipient, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.get(f"/enkater/svara/{recipient.token}/")
    client.post(
        f"/enkater/svara/{recipient.token}/",
        {
            "version": 0,
            "action": "save",
            "samverkan": "ja",
            "attachment": SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 rapport"),
        },
    )
    response = Response.objects.get()
    assert response.attachment.name.endswith(".pdf")
    assert response.attachment.read() == b"%PDF-1.4 rapport"


def test_an_attachment_is_checked_by_content(client, recipient, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.get(f"/enkater/svara/{recipient.token}/")
    page = client.post(
        f"/enkater/svara/{recipient.token}/",
        {
            "version": 0,
            "action": "save",
            "samverkan": "ja",
            "attachment": SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        },
        follow=True,
    )
    assert "rapport.pdf är ett Windows-program" in page.content.decode()
    assert not Response.objects.filter(attachment__gt="").exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_questions_that_do_not_apply_are_rendered_hidden(client, recipient):
    page = client.get(f"/enkater/svara/{recipient.token}/").content.decode()
    assert '<div class="field question" data-question="hinder" hidden>' in page
    assert '<div class="field question" data-question="samverkan">' in page


def test_relevance_endpoint_uses_the_server_side_conditions(client, recipient):
    url = f"/enkater/svara/{recipient.token}/villkor/"
    assert client.post(url, {"samverkan": "nej", "mangfald": "nej"}).json() == {
        "relevant": ["budget", "hinder", "mangfald", "samverkan", "startdatum"]
    }
    assert "partner" in client.post(url, {"samverkan": "ja"}).json()["relevant"]
    assert client.post(f"/enkater/svara/{'x' * 43}/villkor/", {}).status_code == 404
    assert not Response.objects.exists()


def _set_deadline(recipient, days_ago, grace_days=0):
    Campaign.objects.filter(pk=recipient.campaign_id).update(
        deadline=date.today() - timedelta(days=days_ago), grace_days=grace_days
    )
    recipient.refresh_from_db()


def test_link_works_on_the_deadline_day(client, recipient):
    _set_deadline(recipient, 0)
    assert client.get(f"/enkater/svara/{recipient.token}/").status_code == 200


def test_link_expires_after_the_deadline_with_a_clear_message(client, recipient):
    _set_deadline(recipient, 1)
    page = client.get(f"/enkater/svara/{recipient.token}/")
    assert page.status_code == 410
    text = page.content.decode()
    assert "Svarslänken har gått ut" in text
    assert (date.today() - timedelta(days=1)).isoformat() in text
    assert _post(client, recipient, 0, samverkan="ja").status_code == 410
    relevance = client.post(f"/enkater/svara/{recipient.token}/villkor/", {"samverkan": "ja"})
    assert relevance.status_code == 410
    assert not Response.objects.exists()


def test_expired_link_is_refused_by_the_service_too(recipient):
    _set_deadline(recipient, 3, grace_days=2)
    with pytest.raises(services.LinkExpired, match="gällde till och med"):
        services.response_save(recipient=recipient, raw={"samverkan": "ja"}, base_version=0)


def test_grace_period_keeps_the_link_working(client, recipient):
    _set_deadline(recipient, 3, grace_days=3)
    assert client.get(f"/enkater/svara/{recipient.token}/").status_code == 200
    assert _post(client, recipient, 0, samverkan="ja").status_code == 302
    assert Response.objects.get().answers == {"samverkan": "ja"}


def test_owner_sets_the_grace_period_and_the_link_works_again(client, owner_client, recipient):
    _set_deadline(recipient, 5)
    assert client.get(f"/enkater/svara/{recipient.token}/").status_code == 410
    url = f"/enkater/utskick/{recipient.campaign_id}/extra-dagar/"
    assert owner_client.post(url, {"grace_days": 7}).status_code == 302
    assert client.get(f"/enkater/svara/{recipient.token}/").status_code == 200
    assert owner_client.post(url, {"grace_days": 1000}).status_code == 302
    assert Campaign.objects.get(pk=recipient.campaign_id).grace_days == 7


def test_outsider_cannot_extend_the_links(outsider_client, recipient):
    _set_deadline(recipient, 5)
    url = f"/enkater/utskick/{recipient.campaign_id}/extra-dagar/"
    assert outsider_client.post(url, {"grace_days": 30}).status_code in (403, 404)
    assert Campaign.objects.get(pk=recipient.campaign_id).grace_days == 0


def test_tampered_link_to_an_expired_campaign_is_still_not_found(client, recipient):
    _set_deadline(recipient, 5)
    tampered = recipient.token[:-1] + ("A" if recipient.token[-1] != "A" else "B")
    assert client.get(f"/enkater/svara/{tampered}/").status_code == 404


def test_no_invitations_or_reminders_with_expired_links(recipient):
    _set_deadline(recipient, 2)
    with pytest.raises(ValidationError, match="ge fler extra dagar"):
        services.campaign_send(campaign=recipient.campaign, user=tenancy.SYSTEM, reminder=True)
    services.campaign_set_grace(campaign=recipient.campaign, grace_days=2, user=tenancy.SYSTEM)
    assert services.campaign_send(campaign=recipient.campaign, user=tenancy.SYSTEM).queued == 1


def test_a_catastrophic_regex_constraint_answers_a_public_link_at_once(
    client, organisation, respondents
):
    # red-team issue 16, finding 2: this answer took Python's re 6.5 s (each extra "a" doubles it)
    import time

    from samverkan.surveys.tests.conftest import make_xlsform

    questionnaire = services.questionnaire_import_xlsform(
        data=make_xlsform(
            [
                ("type", "name", "label", "constraint"),
                ("text", "kod", "Kod", "regex(., '^(a+)+$')"),
            ],
            [("list_name", "name", "label")],
        ),
        owner=organisation,
        user=tenancy.SYSTEM,
    )
    campaign = services.campaign_create(
        user=tenancy.SYSTEM,
        questionnaire=questionnaire,
        owner=organisation,
        title="Koder",
        deadline=date.today() + timedelta(days=14),
        organisations=respondents[:1],
    )
    recipient = campaign.recipients.get()
    started = time.perf_counter()
    page = _post(client, recipient, 0, action="submit", kod="a" * 30 + "!")
    assert time.perf_counter() - started < 5
    assert "Svaret uppfyller inte villkoret." in page.content.decode()
    assert Response.objects.get().status == "draft"
