"""Background jobs for consultation e-mail: one job per message (invitation or reminder), and
the automatic reminder before the deadline. Jobs take ids, reload their records and re-check
that the message is still wanted, so running a job twice sends nothing twice.

Sending goes through the survey campaign machinery (``surveys.tasks.build``, ``deliver`` and
``describe_delivery_error``): a refused or failed delivery raises, the job framework retries
with back-off, and the invite shows "retrying" and finally "failed"; a message that cannot be
built fails at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.jobs import JobContext, PermanentJobError, task
from samverkan.plans import mailings
from samverkan.plans.models import (
    Consultation,
    ConsultationInvite,
    ConsultationReminder,
    ConsultationStatus,
)
from samverkan.surveys.tasks import (
    MAX_ATTEMPTS,
    build,
    deliver,
    describe_delivery_error,
    one_line,
)


def _message(invite: ConsultationInvite, email: str, reminder: bool) -> EmailMessage:
    consultation = invite.consultation
    strategy = consultation.strategy
    link = settings.SITE_URL + reverse("plans:consultation_respond", args=[invite.token])
    deadline = (
        timezone.localtime(consultation.deadline).strftime("%Y-%m-%d %H:%M")
        if consultation.deadline
        else ""
    )
    subject = one_line(
        (_("Påminnelse: remiss %s") if reminder else _("Remiss: %s")) % consultation.title
    )
    parts = [
        _("Hej %s!") % invite.organisation.name,
        _(
            "Ni har ännu inte svarat på remissen ”%(title)s”. Svara gärna, eller meddela att ni "
            "inte har några synpunkter, före sista svarsdag."
        )
        % {"title": consultation.title}
        if reminder
        else _("%(owner)s skickar ”%(title)s” på remiss till er.")
        % {"owner": strategy.owner.name, "title": consultation.title},
        _(
            "Lämna synpunkter per avsnitt, eller svara ”inga synpunkter”, senast %(deadline)s via "
            "er personliga länk (inget konto behövs):\n%(link)s"
        )
        % {"deadline": deadline, "link": link},
        _("Länken är personlig för er organisation."),
        str(strategy.owner),
    ]
    return EmailMessage(subject=subject, body="\n\n".join(parts), to=[email])


@task("plans.send_consultation_email", max_attempts=MAX_ATTEMPTS, retry_base_seconds=30)
def send_consultation_email(
    ctx: JobContext, *, invite_id: int, reminder_id: int | None = None
) -> dict[str, Any]:
    invite = ConsultationInvite.objects.select_related(
        "consultation__strategy__owner", "organisation"
    ).get(pk=invite_id)
    consultation = invite.consultation
    reminder = (
        ConsultationReminder.objects.get(pk=reminder_id, invite=invite) if reminder_id else None
    )
    # Re-check that the message is still wanted.
    if reminder is not None:
        if reminder.delivery == "sent":
            return {"skipped": "already sent"}
        why = ""
        if invite.responded_at is not None:
            why = _("Har svarat; ingen påminnelse behövdes.")
        elif consultation.status != ConsultationStatus.OPEN:
            why = _("Remissen är inte längre ute.")
        if why:
            ConsultationReminder.objects.filter(pk=reminder.pk).update(
                delivery="none", delivery_error=why
            )
            return {"skipped": why}
        email = reminder.email
    else:
        if invite.invited_at is not None:
            return {"skipped": "already invited"}
        if consultation.status != ConsultationStatus.OPEN or not invite.email:
            ConsultationInvite.objects.filter(pk=invite.pk).update(delivery="none")
            return {"skipped": "not open"}
        email = invite.email
    try:
        deliver(build(lambda: _message(invite, email, reminder is not None)))
    except Exception as exc:
        last = ctx.job.attempts >= ctx.job.max_attempts or isinstance(exc, PermanentJobError)
        status = "failed" if last else "retrying"
        error = describe_delivery_error(exc)[:1000]
        if reminder is not None:
            ConsultationReminder.objects.filter(pk=reminder.pk).update(
                delivery=status, delivery_error=error
            )
        else:
            ConsultationInvite.objects.filter(pk=invite.pk).update(
                delivery=status,
                delivery_attempts=invite.delivery_attempts + 1,
                delivery_error=error,
            )
        raise
    now = timezone.now()
    if reminder is not None:
        ConsultationReminder.objects.filter(pk=reminder.pk).update(
            delivery="sent", delivery_error="", sent_at=now
        )
    else:
        ConsultationInvite.objects.filter(pk=invite.pk).update(
            delivery="sent",
            delivery_attempts=invite.delivery_attempts + 1,
            delivery_error="",
            invited_at=now,
        )
    return {"to": email, "reminder": reminder is not None}


@task("plans.consultation_auto_remind", max_attempts=3, retry_base_seconds=60)
def consultation_auto_remind(
    ctx: JobContext, *, consultation_id: int, deadline: str
) -> dict[str, Any]:
    consultation = (
        Consultation.objects.select_related("strategy").filter(pk=consultation_id).first()
    )
    if consultation is None:
        return {"reminded": 0}
    return {
        "reminded": mailings.consultation_auto_remind(consultation=consultation, deadline=deadline)
    }


@task("plans.export_pdf", max_attempts=2, retry_base_seconds=10)
def export_pdf(ctx: JobContext, *, export_id: int) -> dict[str, Any]:
    """The plan as PDF, built for the user who asked (their read permission is re-checked)."""
    from samverkan.plans.exports import plan_export_run

    export = plan_export_run(export_id=export_id, progress=ctx.progress)
    return {"export_id": export.pk, "content_hash": export.content_hash, "size": export.size}
