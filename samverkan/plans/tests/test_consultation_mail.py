"""Consultation invitations and reminders through a real local SMTP server and the job queue."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.core import tenancy
from samverkan.core.jobs import job_run
from samverkan.core.models import Job
from samverkan.plans import documents, mailings, services
from samverkan.plans.models import ConsultationReminder
from samverkan.surveys.tests.smtp import LocalSMTPServer
from tests.factories import OrganisationFactory


@pytest.fixture
def smtp(settings):
    with LocalSMTPServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


@pytest.fixture
def respondents(db):
    return [OrganisationFactory(name=f"Remissinstans {n}") for n in range(3)]


@pytest.fixture
def draft(strategy):
    return services.consultation_create(
        strategy=strategy,
        user=tenancy.SYSTEM,
        title="Remiss: integrationsstrategi",
        sections=documents.split_markdown("# Vision\nAlla ska vara delaktiga."),
    )


def _publish(draft, respondents, capture, owner, days=10, remind=3):
    with capture(execute=True):
        services.consultation_publish(
            consultation=draft,
            user=owner,
            organisations=respondents,
            deadline=timezone.now() + datetime.timedelta(days=days),
            remind_days_before=remind,
        )
    with capture(execute=True):
        mailings.invite_set_emails(
            consultation=draft,
            user=owner,
            emails={
                i.pk: f"registrator{n}@example.se"
                for n, i in enumerate(draft.invites.order_by("organisation__name"))
            },
        )
    with capture(execute=True):
        mailings.consultation_send_invitations(consultation=draft, user=owner)


def test_invitation_carries_the_personal_link(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    assert len(smtp.handler.messages) == 3
    invite = draft.invites.get(email="registrator0@example.se")
    assert invite.delivery == "sent" and invite.invited_at is not None
    message = next(m for m in smtp.handler.messages if m["To"] == invite.email)
    assert message["Subject"] == "Remiss: Remiss: integrationsstrategi"
    assert f"/strategier/remiss/{invite.token}/" in message.get_content()
    # Nobody is invited twice.
    assert mailings.consultation_send_invitations(consultation=draft, user=owner) == 0


def test_owner_reminds_only_those_who_have_not_answered_and_never_twice(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    answered = draft.invites.get(email="registrator1@example.se")
    services.consultation_no_comments(invite=answered)
    smtp.handler.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = mailings.consultation_remind(consultation=draft, user=owner)
    assert sorted(r.email for r in reminded) == [
        "registrator0@example.se",
        "registrator2@example.se",
    ]
    assert sorted(m["To"] for m in smtp.handler.messages) == [
        "registrator0@example.se",
        "registrator2@example.se",
    ]
    assert all(m["Subject"].startswith("Påminnelse") for m in smtp.handler.messages)
    reminder = ConsultationReminder.objects.get(email="registrator0@example.se")
    assert reminder.delivery == "sent" and reminder.sent_at is not None
    assert reminder.by == owner and reminder.kind == "manual"
    # Pressing the button again (or the automatic reminder right after) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert mailings.consultation_remind(consultation=draft, user=owner) == []
        assert (
            mailings.consultation_auto_remind(
                consultation=draft, deadline=draft.deadline.isoformat()
            )
            == 0
        )
    assert len(smtp.handler.messages) == 2


def test_automatic_reminder_is_planned_before_the_deadline_and_runs_once(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner, days=10, remind=3)
    job = Job.objects.get(name="plans.consultation_auto_remind")
    expected = draft.deadline - datetime.timedelta(days=3)
    assert abs((job.run_after - expected).total_seconds()) < 60
    assert job.status == Job.Status.QUEUED  # not yet due
    smtp.handler.messages.clear()
    # The day comes: the worker runs the job (twice, as after a lost worker).
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        job_run(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).result == {"reminded": 3}
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, run_after=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        job_run(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).result == {"reminded": 0}
    assert len(smtp.handler.messages) == 3
    assert set(ConsultationReminder.objects.values_list("kind", flat=True)) == {"automatic"}


def test_automatic_reminder_does_nothing_after_new_deadline_or_withdrawal(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    old_deadline = draft.deadline.isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_publish(
            consultation=draft,
            user=owner,
            organisations=[],
            deadline=draft.deadline + datetime.timedelta(days=7),
        )
    assert Job.objects.filter(name="plans.consultation_auto_remind").count() == 2
    assert mailings.consultation_auto_remind(consultation=draft, deadline=old_deadline) == 0
    services.consultation_set_status(consultation=draft, user=owner, status="withdrawn")
    assert (
        mailings.consultation_auto_remind(consultation=draft, deadline=draft.deadline.isoformat())
        == 0
    )
    assert not ConsultationReminder.objects.exists()


def test_reminder_skipped_when_answer_arrives_before_sending(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    smtp.handler.messages.clear()
    reminded = mailings.consultation_remind(consultation=draft, user=owner)  # jobs not yet run
    invite = reminded[0].invite
    services.consultation_no_comments(invite=invite)
    job = Job.objects.get(kwargs__reminder_id=reminded[0].pk)
    job_run(job_id=job.pk)
    reminded[0].refresh_from_db()
    assert reminded[0].delivery == "none" and "Har svarat" in reminded[0].delivery_error
    assert smtp.handler.messages == []


def test_refused_reminder_is_retried_then_failed(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    smtp.handler.refuse.add("registrator2@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        mailings.consultation_remind(consultation=draft, user=owner)
    refused = ConsultationReminder.objects.get(email="registrator2@example.se")
    assert refused.delivery == "retrying" and "550" in refused.delivery_error
    job = Job.objects.get(kwargs__reminder_id=refused.pk)
    while Job.objects.get(pk=job.pk).status == Job.Status.QUEUED:
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        job_run(job_id=job.pk)
    refused.refresh_from_db()
    assert refused.delivery == "failed" and refused.sent_at is None


def test_bad_address_is_refused_and_nothing_changes(draft, respondents, owner):
    services.consultation_publish(
        consultation=draft,
        user=owner,
        organisations=respondents,
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    invites = list(draft.invites.all())
    with pytest.raises(ValidationError, match="ingen giltig e-postadress"):
        mailings.invite_set_emails(
            consultation=draft,
            user=owner,
            emails={invites[0].pk: "ok@example.se", invites[1].pk: "inte en adress"},
        )
    assert not draft.invites.filter(email="ok@example.se").exists()


def test_no_reminders_after_deadline_or_when_closed(draft, respondents, owner):
    services.consultation_publish(
        consultation=draft,
        user=owner,
        organisations=respondents,
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    with pytest.raises(ValidationError, match="passerat"):
        mailings.consultation_remind(
            consultation=draft, user=owner, now=draft.deadline + datetime.timedelta(minutes=1)
        )
    services.consultation_set_status(consultation=draft, user=owner, status="closed")
    with pytest.raises(ValidationError):
        mailings.consultation_remind(consultation=draft, user=owner)


def test_tracking_page_shows_who_was_reminded_when(
    smtp, owner_client, draft, respondents, owner, django_capture_on_commit_callbacks
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/strategier/remisser/{draft.pk}/paminn/", follow=True)
    page = response.content.decode()
    assert "Påminnelse skickas till 3 som inte har svarat" in page
    assert "skickad av ägaren" in page and owner.email in page
    response = owner_client.post(f"/strategier/remisser/{draft.pk}/paminn/", follow=True)
    assert "Ingen påminnelse skickades" in response.content.decode()
    invite = draft.invites.first()
    owner_client.post(
        f"/strategier/remisser/{draft.pk}/e-post/", {f"email-{invite.pk}": "ny@example.se"}
    )
    invite.refresh_from_db()
    assert invite.email == "ny@example.se" and invite.invited_at is None


def test_other_organisation_cannot_remind_or_change_addresses(
    outsider, outsider_client, draft, respondents, owner
):
    services.consultation_publish(
        consultation=draft,
        user=owner,
        organisations=respondents,
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    invite = draft.invites.first()
    for action, data in (
        ("paminn", {}),
        ("bjud-in", {}),
        ("e-post", {f"email-{invite.pk}": "kapad@example.se"}),
        ("skicka", {}),
        ("status", {"status": "withdrawn"}),
    ):
        response = outsider_client.post(f"/strategier/remisser/{draft.pk}/{action}/", data)
        assert response.status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        mailings.consultation_remind(consultation=draft, user=outsider)
    with pytest.raises(PermissionDenied):
        mailings.invite_set_emails(
            consultation=draft, user=outsider, emails={invite.pk: "kapad@example.se"}
        )
    assert not ConsultationReminder.objects.exists()
    invite.refresh_from_db()
    assert invite.email != "kapad@example.se"


def test_api_reminds_and_lists_reminders(
    smtp,
    owner_client,
    outsider_client,
    draft,
    respondents,
    owner,
    django_capture_on_commit_callbacks,
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    assert outsider_client.post(f"/api/consultations/{draft.pk}/remind/").status_code in (403, 404)
    assert not ConsultationReminder.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/api/consultations/{draft.pk}/remind/")
    assert response.status_code == 202
    assert len(response.json()["reminded"]) == 3
    body = owner_client.get(f"/api/consultations/{draft.pk}/").json()
    reminders = [r for i in body["invites"] for r in i["reminders"]]
    assert len(reminders) == 3 and {r["delivery"] for r in reminders} == {"sent"}
    assert {r["by"] for r in reminders} == {owner.email}
    assert owner_client.post(f"/api/consultations/{draft.pk}/remind/").json() == {"reminded": []}


def test_manual_and_automatic_reminder_at_the_same_moment_remind_once(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    """The owner's reminder has read who is due when the automatic one claims them all: the
    owner's then claims nobody (the rule is part of the write, not a check before it)."""
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    smtp.handler.messages.clear()
    now = timezone.now()
    due_as_read_by_the_owner = list(draft.invites.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        automatic = mailings.consultation_auto_remind(
            consultation=draft, deadline=draft.deadline.isoformat(), now=now
        )
        manual = mailings._reminders_claim(
            invite_ids=due_as_read_by_the_owner,
            user=owner,
            kind=mailings.MANUAL,
            round_name=f"manual:{now.date().isoformat()}",
            now=now,
        )
    assert automatic == 3 and manual == []
    assert len(smtp.handler.messages) == 3
    assert ConsultationReminder.objects.count() == 3
    assert set(draft.invites.values_list("last_reminded_at", flat=True)) == {now}


# Mid-morning in Stockholm: the owner's reminder rounds are named after the Stockholm calendar
# day, so the second round (21 hours on) falls on the next day. Just after midnight both would
# share one day, which is why the clock is fixed here.
MID_MORNING = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))


def test_reminder_allowed_again_after_the_minimum_interval(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    with time_machine.travel(MID_MORNING, tick=True):
        _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
        first = timezone.now() - datetime.timedelta(days=2)
        with django_capture_on_commit_callbacks(execute=True):
            assert len(mailings.consultation_remind(consultation=draft, user=owner, now=first)) == 3
            soon = first + datetime.timedelta(hours=mailings.MIN_HOURS_BETWEEN_REMINDERS - 1)
            assert mailings.consultation_remind(consultation=draft, user=owner, now=soon) == []
            later = first + datetime.timedelta(hours=mailings.MIN_HOURS_BETWEEN_REMINDERS + 1)
            assert len(mailings.consultation_remind(consultation=draft, user=owner, now=later)) == 3


# -- line breaks in subjects (red-team issue 16, finding 10) ----------------------------------


def test_a_consultation_title_with_a_line_break_is_refused_naming_the_field(strategy, owner_client):
    with pytest.raises(ValidationError) as refused:
        services.consultation_create(
            strategy=strategy,
            user=tenancy.SYSTEM,
            title="Remiss\r\nBcc: alla@example.se",
            sections=documents.split_markdown("# Vision\nAlla."),
        )
    assert refused.value.message_dict == {"title": ["Texten får inte innehålla radbrytningar."]}
    page = owner_client.post(
        f"/strategier/{strategy.pk}/ny-remiss/",
        {"title": "Remiss\r\nBcc: alla@example.se", "markdown": "# Vision\nAlla."},
    )
    assert page.status_code == 200
    assert page.context["form"].errors["title"] == ["Texten får inte innehålla radbrytningar."]
    assert not strategy.consultations.exists()


def test_a_consultation_title_stored_with_a_line_break_is_sent_on_one_line(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    type(draft).objects.filter(pk=draft.pk).update(title="Remiss\nBcc: alla@example.se")
    draft.refresh_from_db()
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    assert len(smtp.handler.messages) == 3
    assert {m["Subject"] for m in smtp.handler.messages} == {"Remiss: Remiss Bcc: alla@example.se"}
    assert set(draft.invites.values_list("delivery", flat=True)) == {"sent"}


def test_a_consultation_message_that_cannot_be_built_fails_at_once(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    _publish(draft, respondents, django_capture_on_commit_callbacks, owner)
    invite = draft.invites.order_by("pk").first()
    type(invite).objects.filter(pk=invite.pk).update(email="a@example.se\nBcc: alla@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        mailings.consultation_remind(consultation=draft, user=owner)
    reminder = ConsultationReminder.objects.get(invite=invite)
    assert reminder.delivery == "failed"
    assert "BadHeaderError" in reminder.delivery_error
    job = Job.objects.get(kwargs__reminder_id=reminder.pk)
    assert (job.status, job.attempts) == (Job.Status.FAILED, 1)


# -- contact addresses (issue 18, item 3) -----------------------------------------------------


def test_a_consultation_uses_the_organisations_contact_address(
    smtp, draft, respondents, owner, django_capture_on_commit_callbacks
):
    from django.test import override_settings

    from samverkan.actors.models import ContactAddress

    first, second, third = respondents
    ContactAddress.objects.create(
        organisation=first, email="enkat@example.se", for_consultations=False
    )
    ContactAddress.objects.create(
        organisation=first, email="registrator@example.se", for_surveys=False
    )
    ContactAddress.objects.create(
        organisation=second, email="enkat2@example.se", for_consultations=False
    )
    with override_settings(SITE_URL="http://samverkan.test:8123"):
        with django_capture_on_commit_callbacks(execute=True):
            services.consultation_publish(
                consultation=draft,
                user=owner,
                organisations=respondents,
                deadline=timezone.now() + datetime.timedelta(days=10),
            )
        invite = draft.invites.get(organisation=first)
        assert invite.email == "registrator@example.se"  # not the survey-only address
        assert not draft.invites.get(organisation=second).email
        assert [m["To"] for m in smtp.handler.messages] == ["registrator@example.se"]
        body = smtp.handler.messages[0].get_content()
        assert f"http://samverkan.test:8123/strategier/remiss/{invite.token}/" in body
        assert mailings.invites_without_email(consultation=draft) == [second.name, third.name]
        # An address added since is used when the invitations are sent again.
        ContactAddress.objects.create(organisation=third, email="remiss@example.se")
        with django_capture_on_commit_callbacks(execute=True):
            assert mailings.consultation_send_invitations(consultation=draft, user=owner) == 1
    assert smtp.handler.messages[-1]["To"] == "remiss@example.se"
    assert mailings.invites_without_email(consultation=draft) == [second.name]
