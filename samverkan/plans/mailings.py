"""E-mail for consultation rounds: invitations with the personal link, reminders to those who
have not answered (automatic before the deadline, or sent by the owner), and the respondents'
addresses.

Delivery reuses the survey campaign machinery: the same ``core.jobs`` queue (one job per
message, enqueued on commit, retried with back-off) and ``surveys.tasks.deliver`` /
``describe_delivery_error`` for sending and for readable SMTP errors (see ``plans.tasks``).

No double reminders: every reminder is a ``ConsultationReminder`` row, unique per invite and
round (the automatic round is named after the deadline, the owner's after the day), and nobody
is reminded again within ``MIN_HOURS_BETWEEN_REMINDERS``: each respondent is claimed by an
atomic conditional UPDATE of ``ConsultationInvite.last_reminded_at``, so a manual and an
automatic reminder at the same moment cannot both pass the rule.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.jobs import job_enqueue
from samverkan.core.models import Job
from samverkan.plans.models import (
    Consultation,
    ConsultationInvite,
    ConsultationReminder,
    ConsultationStatus,
)

MIN_HOURS_BETWEEN_REMINDERS = 20
AUTOMATIC = ConsultationReminder.Kind.AUTOMATIC
MANUAL = ConsultationReminder.Kind.MANUAL


def _require_write(user: Any, consultation: Consultation) -> None:
    if not tenancy.can_write(user, consultation.strategy):
        raise PermissionDenied(_("Du kan inte ändra %s.") % consultation)


def invite_set_emails(*, consultation: Consultation, user: Any, emails: dict[int, str]) -> int:
    """Set the respondents' addresses (invite id → address; empty clears). All addresses are
    checked first; nothing changes if one is wrong. Returns how many changed."""
    _require_write(user, consultation)
    invites = {i.pk: i for i in consultation.invites.select_related("organisation")}
    errors, changes = [], []
    for invite_id, raw in emails.items():
        invite = invites.get(invite_id)
        if invite is None:
            raise ValidationError(_("Remissinstansen hör inte till den här remissen."))
        email = raw.strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    _("%(org)s: %(email)s är ingen giltig e-postadress.")
                    % {"org": invite.organisation, "email": raw.strip()}
                )
                continue
        if email != invite.email:
            changes.append((invite, email))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for invite, email in changes:
            invite.email = email
            # A new address has not been invited yet.
            invite.invited_at = None
            invite.delivery = "none"
            invite.delivery_error = ""
            invite.save(update_fields=["email", "invited_at", "delivery", "delivery_error"])
    return len(changes)


def invites_fill_from_contacts(*, consultation: Consultation, user: Any) -> int:
    """Give every respondent without an address its organisation's contact address for
    consultations (added since it was invited). Returns how many got one."""
    from samverkan.surveys.services import default_email

    _require_write(user, consultation)
    filled = 0
    for invite in consultation.invites.filter(email="").select_related("organisation"):
        email = default_email(invite.organisation, purpose="consultations")
        if email:
            invite.email = email
            invite.save(update_fields=["email"])
            filled += 1
    return filled


def invites_without_email(*, consultation: Consultation) -> list[str]:
    """The names of the respondents not yet invited who have no address (nothing reaches
    them until they get one)."""
    return list(
        consultation.invites.filter(email="", invited_at__isnull=True)
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )


def consultation_send_invitations(*, consultation: Consultation, user: Any) -> int:
    """Queue the invitation e-mail to every respondent with an address who has not been
    invited (and is not already queued); respondents without an address first get their
    organisation's contact address. Returns how many were queued."""
    _require_write(user, consultation)
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError(_("Remissen är inte ute; skicka ut den först."))
    invites_fill_from_contacts(consultation=consultation, user=user)
    ids = list(
        consultation.invites.exclude(email="")
        .filter(invited_at__isnull=True)
        .exclude(delivery__in=["queued", "retrying"])
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        ConsultationInvite.objects.filter(pk__in=ids).update(delivery="queued", delivery_error="")
        for invite_id in ids:
            job_enqueue("plans.send_consultation_email", user=user, invite_id=invite_id)
    return len(ids)


def _not_answered(consultation: Consultation) -> Any:
    return consultation.invites.filter(responded_at__isnull=True)


def consultation_remind(
    *,
    consultation: Consultation,
    user: Any,
    kind: str = MANUAL,
    round_name: str = "",
    now: datetime.datetime | None = None,
) -> list[ConsultationReminder]:
    """Remind every respondent who has not answered and has an address, once per round.

    Respondents reminded less than ``MIN_HOURS_BETWEEN_REMINDERS`` ago are skipped, so pressing
    the button twice, or an automatic reminder right after the owner's, sends nothing more.
    """
    _require_write(user, consultation)
    now = now or timezone.now()
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError(
            _("Remissen är inte ute; påminnelser skickas bara under remisstiden.")
        )
    if consultation.deadline and now > consultation.deadline:
        raise ValidationError(_("Sista svarsdag har passerat; ingen påminnelse skickades."))
    round_name = round_name or f"{kind}:{timezone.localdate(now).isoformat()}"
    candidates = list(
        _not_answered(consultation)
        .exclude(email="")
        .exclude(reminders__round=round_name)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _reminders_claim(
        invite_ids=candidates, user=user, kind=kind, round_name=round_name, now=now
    )


def _reminders_claim(
    *, invite_ids: list[int], user: Any, kind: str, round_name: str, now: datetime.datetime
) -> list[ConsultationReminder]:
    """Claim each respondent with one atomic conditional UPDATE (not answered, not reminded
    within ``MIN_HOURS_BETWEEN_REMINDERS``) and queue a reminder only for those claimed.

    Checking first and writing afterwards would let a manual and an automatic reminder at the
    same moment both pass the check. Here the check is part of the write: on PostgreSQL the
    second UPDATE waits for the first transaction's row lock and then re-evaluates its condition
    on the committed row (finding it false); SQLite runs one writer at a time. Rows are claimed
    in primary-key order, so two rounds never deadlock.
    """
    recent = now - datetime.timedelta(hours=MIN_HOURS_BETWEEN_REMINDERS)
    due = Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=recent)
    by = tenancy.db_user(user)
    created: list[ConsultationReminder] = []
    with transaction.atomic():
        for invite_id in sorted(invite_ids):
            claimed = (
                ConsultationInvite.objects.filter(due, pk=invite_id, responded_at__isnull=True)
                .exclude(email="")
                .update(last_reminded_at=now)
            )
            if not claimed:  # answered, or reminded by a concurrent round in the meantime
                continue
            invite = ConsultationInvite.objects.only("pk", "email").get(pk=invite_id)
            try:
                with transaction.atomic():
                    reminder = ConsultationReminder.objects.create(
                        invite=invite, kind=kind, round=round_name, by=by, email=invite.email
                    )
            except IntegrityError:  # this round already reached the respondent
                continue
            created.append(reminder)
            job_enqueue(
                "plans.send_consultation_email",
                user=user,
                invite_id=invite.pk,
                reminder_id=reminder.pk,
            )
    return created


def reminder_round_for(deadline: datetime.datetime) -> str:
    return f"automatic:{deadline.isoformat()}"


def consultation_schedule_reminder(
    *, consultation: Consultation, user: Any, now: datetime.datetime | None = None
) -> Job | None:
    """Queue the automatic reminder for ``remind_days_before`` days before the deadline.

    The job carries the deadline it was planned for: after a new deadline a new job is queued
    and the old one does nothing. Returns None when no reminder is due (0 days, or the moment
    has already passed)."""
    _require_write(user, consultation)
    now = now or timezone.now()
    if not consultation.deadline or not consultation.remind_days_before:
        return None
    moment = consultation.deadline - datetime.timedelta(days=consultation.remind_days_before)
    if moment <= now:
        return None
    return job_enqueue(
        "plans.consultation_auto_remind",
        user=user,
        delay_seconds=int((moment - now).total_seconds()),
        consultation_id=consultation.pk,
        deadline=consultation.deadline.isoformat(),
    )


def consultation_auto_remind(
    *, consultation: Consultation, deadline: str, now: datetime.datetime | None = None
) -> int:
    """Run the automatic reminder planned for ``deadline``: nothing if the consultation has
    closed, been withdrawn, got another deadline or passed it; else remind (once per round)."""
    now = now or timezone.now()
    if (
        consultation.status != ConsultationStatus.OPEN
        or consultation.deadline is None
        or consultation.deadline.isoformat() != deadline
        or now > consultation.deadline
    ):
        return 0
    return len(
        consultation_remind(
            consultation=consultation,
            user=tenancy.SYSTEM,
            kind=AUTOMATIC,
            round_name=reminder_round_for(consultation.deadline),
            now=now,
        )
    )
