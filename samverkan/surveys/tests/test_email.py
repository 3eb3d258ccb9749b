"""Invitations and reminders through a real local SMTP server, with retries and status."""

import pytest
from django.utils import timezone

from samverkan.core.jobs import job_run
from samverkan.core.models import Job
from samverkan.surveys import services
from samverkan.surveys.models import Recipient, Response
from samverkan.surveys.tests.smtp import LocalSMTPServer, free_port


@pytest.fixture
def smtp(settings):
    with LocalSMTPServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


@pytest.fixture
def addressed(campaign):
    for number, recipient in enumerate(campaign.recipients.order_by("pk")):
        recipient.email = f"registrator{number}@kommun.example.se"
        recipient.save()
    return campaign


def _send(campaign, capture, user, reminder=False):
    with capture(execute=True):
        return services.campaign_send(campaign=campaign, user=user, reminder=reminder).queued


def test_default_address_is_a_member_of_the_organisation(campaign):
    assert campaign.recipients.get(organisation__code="kommun-1").email == "staffanstorp@example.se"
    assert campaign.recipients.get(organisation__code="kommun-2").email == ""


def test_invitations_are_delivered_with_the_personal_link(
    smtp, addressed, owner, django_capture_on_commit_callbacks
):
    assert _send(addressed, django_capture_on_commit_callbacks, owner) == 3
    assert len(smtp.handler.messages) == 3
    recipients = list(addressed.recipients.order_by("pk"))
    for recipient in recipients:
        assert recipient.delivery == Recipient.Delivery.SENT
        assert recipient.invited_at is not None
    message = next(m for m in smtp.handler.messages if m["To"] == recipients[0].email)
    assert message["Subject"] == "Enkät: Enkät om samverkan"
    assert recipients[0].token in message.get_payload(decode=True).decode()
    # Sending again does not invite anyone twice.
    assert _send(addressed, django_capture_on_commit_callbacks, owner) == 0


def test_reminders_go_only_to_those_who_have_not_submitted(
    smtp, addressed, owner, django_capture_on_commit_callbacks
):
    submitted = addressed.recipients.get(organisation__code="kommun-3")
    Response.objects.create(recipient=submitted, status=Response.Status.SUBMITTED, version=1)
    assert _send(addressed, django_capture_on_commit_callbacks, owner, reminder=True) == 2
    assert sorted(m["To"] for m in smtp.handler.messages) == [
        "registrator0@kommun.example.se",
        "registrator1@kommun.example.se",
    ]
    assert all(m["Subject"].startswith("Påminnelse") for m in smtp.handler.messages)


def test_refused_recipient_is_retried_and_finally_marked_failed(
    smtp, addressed, owner, django_capture_on_commit_callbacks
):
    smtp.handler.refuse.add("registrator1@kommun.example.se")
    _send(addressed, django_capture_on_commit_callbacks, owner)
    refused = addressed.recipients.get(email="registrator1@kommun.example.se")
    assert refused.delivery == Recipient.Delivery.RETRYING
    assert "550" in refused.delivery_error
    assert refused.invited_at is None
    job = Job.objects.get(status=Job.Status.QUEUED)
    assert job.run_after > timezone.now()  # back-off before the next attempt
    while job.status == Job.Status.QUEUED:
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        job = job_run(job_id=job.pk)
    refused.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert refused.delivery == Recipient.Delivery.FAILED
    assert refused.delivery_attempts == 4
    assert refused.invited_at is None
    assert len(smtp.handler.messages) == 2  # the other two were delivered once


def test_unreachable_server_marks_nothing_sent_and_recovers(
    settings, addressed, owner, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    _send(addressed, django_capture_on_commit_callbacks, owner)
    assert set(addressed.recipients.values_list("delivery", flat=True)) == {"retrying"}
    assert not addressed.recipients.filter(invited_at__isnull=False).exists()
    assert "ConnectionRefusedError" in addressed.recipients.first().delivery_error
    with LocalSMTPServer() as server:  # the server comes back: the retries deliver
        settings.EMAIL_PORT = server.port
        Job.objects.update(run_after=timezone.now())
        while job_run():
            pass
        assert len(server.handler.messages) == 3
    assert set(addressed.recipients.values_list("delivery", flat=True)) == {"sent"}


def test_tracking_page_shows_delivery_status(
    smtp, addressed, owner, owner_client, django_capture_on_commit_callbacks
):
    smtp.handler.refuse.add("registrator0@kommun.example.se")
    _send(addressed, django_capture_on_commit_callbacks, owner)
    page = owner_client.get(f"/enkater/utskick/{addressed.pk}/").content.decode()
    assert "Försöker igen" in page
    assert "550 5.1.1 Mailbox unavailable" in page


def test_send_button_needs_write_access(outsider_client, viewer_client, addressed):
    url = f"/enkater/utskick/{addressed.pk}/skicka/"
    assert outsider_client.post(url).status_code == 404
    assert viewer_client.post(url).status_code == 403
    assert not Job.objects.exists()


# -- line breaks in subjects (red-team issue 16, finding 10) ----------------------------------


def test_a_campaign_title_with_a_line_break_is_refused_naming_the_field(
    questionnaire, organisation, respondents
):
    from datetime import date, timedelta

    from django.core.exceptions import ValidationError

    from samverkan.core import tenancy
    from samverkan.surveys.models import Campaign

    with pytest.raises(ValidationError) as refused:
        services.campaign_create(
            user=tenancy.SYSTEM,
            questionnaire=questionnaire,
            owner=organisation,
            title="Enkät\r\nBcc: alla@example.se",
            deadline=date.today() + timedelta(days=14),
            organisations=respondents,
        )
    assert refused.value.message_dict == {"title": ["Texten får inte innehålla radbrytningar."]}
    assert not Campaign.objects.exists()


def test_the_campaign_form_shows_the_line_break_on_the_title(
    owner_client, organisation, questionnaire, respondents
):
    from samverkan.surveys.models import Campaign

    page = owner_client.post(
        f"/enkater/{questionnaire.pk}/utskick/nytt/",
        {
            "owner": organisation.pk,
            "title": "Enkät\r\nBcc: alla@example.se",
            "deadline": "2035-10-31",
            "rule": "manual",
            "organisations": "kommun-1",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["title"] == ["Texten får inte innehålla radbrytningar."]
    assert not Campaign.objects.exists()


def test_a_title_stored_with_a_line_break_is_sent_on_one_line(
    smtp, addressed, owner, django_capture_on_commit_callbacks
):
    type(addressed).objects.filter(pk=addressed.pk).update(title="Enkät\r\nBcc: alla@example.se")
    addressed.refresh_from_db()
    assert _send(addressed, django_capture_on_commit_callbacks, owner) == 3
    assert {m["Subject"] for m in smtp.handler.messages} == {"Enkät: Enkät Bcc: alla@example.se"}
    assert all(m["Bcc"] is None for m in smtp.handler.messages)
    assert set(addressed.recipients.values_list("delivery", flat=True)) == {"sent"}


def test_a_message_that_cannot_be_built_fails_at_once_and_is_not_retried(
    smtp, addressed, owner, django_capture_on_commit_callbacks
):
    broken = addressed.recipients.order_by("pk").first()
    Recipient.objects.filter(pk=broken.pk).update(email="a@example.se\r\nBcc: alla@example.se")
    _send(addressed, django_capture_on_commit_callbacks, owner)
    broken.refresh_from_db()
    assert broken.delivery == Recipient.Delivery.FAILED
    assert broken.delivery_attempts == 1
    assert "BadHeaderError" in broken.delivery_error
    job = Job.objects.get(kwargs__recipient_id=broken.pk)
    assert (job.status, job.attempts) == (Job.Status.FAILED, 1)
    assert len(smtp.handler.messages) == 2  # the others went out
