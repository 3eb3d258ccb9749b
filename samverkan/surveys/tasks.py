"""E-mail invitations and reminders, one background job per recipient.

A failed delivery raises so that the job framework retries with back-off; the recipient shows
"retrying" meanwhile and "failed" after the last attempt. Only an accepted message is "sent".
A message that cannot be built (a header with a line break: ``BadHeaderError``, a malformed
address) fails at once: sending it again would fail the same way (``build``).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.jobs import JobContext, PermanentJobError, task
from samverkan.surveys.models import Recipient

MAX_ATTEMPTS = 4


def _message(recipient: Recipient, reminder: bool) -> EmailMessage:
    campaign = recipient.campaign
    link = settings.SITE_URL + recipient.get_answer_url()
    subject = one_line((_("Påminnelse: %s") if reminder else _("Enkät: %s")) % campaign.title)
    body = "\n\n".join(
        part
        for part in [
            _("Hej %s!") % recipient.organisation.name,
            campaign.message,
            _("Svara senast %(deadline)s via er personliga länk (inget konto behövs):\n%(link)s")
            % {"deadline": campaign.deadline.isoformat(), "link": link},
            _("Länken är personlig för er organisation; flera kan arbeta i samma utkast."),
            str(campaign.owner),
        ]
        if part
    )
    return EmailMessage(subject=subject, body=body, to=[recipient.email])


def one_line(text: str) -> str:
    """A text fit for a header: line breaks (from a title stored before they were refused)
    become spaces."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def build(make: Callable[[], EmailMessage]) -> EmailMessage:
    """The message, rendered once to check it (``BadHeaderError`` for a header with a line
    break, ``ValueError`` for a malformed address); such a message can never be sent, so the
    error is permanent (``PermanentJobError``, carrying the reason) and not retried."""
    try:
        message = make()
        message.message()
    except ValueError as exc:  # BadHeaderError is a ValueError
        raise PermanentJobError(describe_delivery_error(exc)) from exc
    return message


def deliver(message: EmailMessage) -> None:
    """Send one message through the configured backend; raise if it was not accepted, so the
    calling job is retried with back-off (also used by consultation e-mails in ``plans``)."""
    if not message.send(fail_silently=False):
        raise RuntimeError("the mail server accepted no recipient")


def describe_delivery_error(exc: Exception) -> str:
    """A readable reason: the SMTP code and text the server gave, else the exception."""
    if isinstance(exc, PermanentJobError) and isinstance(exc.__cause__, Exception):
        return describe_delivery_error(exc.__cause__)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {reply.decode(errors='replace')} ({address})"
            for address, (code, reply) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode(errors="replace") if isinstance(error, bytes) else error
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


@task("surveys.send_email", max_attempts=MAX_ATTEMPTS, retry_base_seconds=30)
def send_email(ctx: JobContext, *, recipient_id: int, reminder: bool = False) -> dict[str, Any]:
    recipient = Recipient.objects.select_related("campaign__owner", "organisation").get(
        pk=recipient_id
    )
    attempts = recipient.delivery_attempts + 1
    try:
        deliver(build(lambda: _message(recipient, reminder)))
    except Exception as exc:
        last = ctx.job.attempts >= ctx.job.max_attempts or isinstance(exc, PermanentJobError)
        Recipient.objects.filter(pk=recipient_id).update(
            delivery=Recipient.Delivery.FAILED if last else Recipient.Delivery.RETRYING,
            delivery_attempts=attempts,
            delivery_error=describe_delivery_error(exc)[:1000],
        )
        raise
    now = timezone.now()
    fields: dict[str, Any] = {
        "delivery": Recipient.Delivery.SENT,
        "delivery_attempts": attempts,
        "delivery_error": "",
    }
    fields["reminded_at" if reminder else "invited_at"] = now
    Recipient.objects.filter(pk=recipient_id).update(**fields)
    return {"to": recipient.email}
