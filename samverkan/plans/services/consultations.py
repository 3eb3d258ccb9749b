"""Consultations (remisser): sending a draft out, invitations, comments and their decisions."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation
from samverkan.core.validators import single_line_check
from samverkan.plans.models import (
    CommentDecision,
    Consultation,
    ConsultationComment,
    ConsultationInvite,
    ConsultationSection,
    ConsultationStatus,
    Strategy,
    StrategyStatus,
)
from samverkan.plans.services.common import (
    require_write,
)


@transaction.atomic
def consultation_create(
    *,
    strategy: Strategy,
    user: Any,
    title: str,
    sections: list[tuple[str, str]],
    source_filename: str = "",
) -> Consultation:
    """Create a consultation draft from already split sections (see ``plans.documents``)."""
    require_write(user, strategy)
    single_line_check(field="title", value=title)  # the title is the invitations' subject
    if not sections:
        raise ValidationError(_("Remissutkastet är tomt; det behöver minst ett avsnitt."))
    consultation = Consultation(strategy=strategy, title=title, source_filename=source_filename)
    consultation.full_clean()
    consultation.save()
    ConsultationSection.objects.bulk_create(
        ConsultationSection(consultation=consultation, position=i, heading=heading[:300], text=text)
        for i, (heading, text) in enumerate(sections, start=1)
    )
    return consultation


@transaction.atomic
def consultation_publish(
    *,
    consultation: Consultation,
    user: Any,
    organisations: Iterable[Organisation],
    deadline: datetime.datetime,
    remind_days_before: int | None = None,
) -> list[ConsultationInvite]:
    """Send the draft to organisations, each with a personal link; the strategy goes on remiss.

    Each new respondent gets its organisation's contact address for consultations, else the
    address of its first admin or editor (as survey recipients do; the owner can change it),
    and an invitation e-mail once this commits; the automatic reminder is planned
    ``remind_days_before`` days before the deadline.
    """
    from samverkan.plans import mailings
    from samverkan.surveys.services import default_email

    strategy = consultation.strategy
    require_write(user, strategy)
    if consultation.status == ConsultationStatus.WITHDRAWN:
        raise ValidationError(_("Remissen är återkallad och kan inte skickas ut igen."))
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("Sista svarsdag måste ligga i framtiden.")})
    organisations = list(organisations)
    if not organisations and not consultation.invites.exists():
        raise ValidationError({"organisations": _("Välj minst en remissinstans.")})
    if remind_days_before is not None:
        if not 0 <= remind_days_before <= 60:
            raise ValidationError(
                {"remind_days_before": _("Ange mellan 0 och 60 dagar före sista svarsdag.")}
            )
        consultation.remind_days_before = remind_days_before
    deadline_changed = consultation.deadline != deadline
    consultation.deadline = deadline
    consultation.status = ConsultationStatus.OPEN
    consultation.save()
    invited = set(consultation.invites.values_list("organisation_id", flat=True))
    created = [
        ConsultationInvite.objects.create(
            consultation=consultation,
            organisation=org,
            token=secrets.token_urlsafe(24),
            email=default_email(org, purpose="consultations"),
        )
        for org in organisations
        if org.pk not in invited
    ]
    if strategy.status == StrategyStatus.DRAFT:
        strategy.status = StrategyStatus.CONSULTATION
        strategy.save()
    mailings.consultation_send_invitations(consultation=consultation, user=user)
    if deadline_changed or remind_days_before is not None:
        mailings.consultation_schedule_reminder(consultation=consultation, user=user)
    return created


@transaction.atomic
def consultation_set_status(*, consultation: Consultation, user: Any, status: str) -> Consultation:
    """Close or withdraw a consultation (both stop further comments)."""
    require_write(user, consultation.strategy)
    if status not in (ConsultationStatus.CLOSED, ConsultationStatus.WITHDRAWN):
        raise ValidationError(_("Ogiltig status."))
    consultation.status = status
    consultation.save()
    return consultation


def _invite_open(invite: ConsultationInvite) -> ConsultationInvite:
    invite = (
        ConsultationInvite.objects.select_for_update()
        .select_related("consultation")
        .get(pk=invite.pk)
    )
    consultation = invite.consultation
    if consultation.status == ConsultationStatus.WITHDRAWN:
        raise ValidationError(_("Remissen är återkallad; synpunkter tas inte längre emot."))
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError(_("Remissen är inte öppen för synpunkter."))
    if consultation.deadline and timezone.now() > consultation.deadline:
        raise ValidationError(
            _("Sista svarsdag (%s) har passerat; synpunkter tas inte längre emot.")
            % timezone.localtime(consultation.deadline).strftime("%Y-%m-%d %H:%M")
        )
    return invite


@transaction.atomic
def consultation_comment_create(
    *,
    invite: ConsultationInvite,
    text: str,
    section: ConsultationSection | None = None,
    passage: str = "",
) -> ConsultationComment:
    """A respondent (identified by the personal link) comments on a section or passage."""
    invite = _invite_open(invite)
    if not text.strip():
        raise ValidationError({"text": _("Skriv en synpunkt.")})
    if section is not None and section.consultation_id != invite.consultation_id:
        raise ValidationError({"section": _("Avsnittet hör inte till den här remissen.")})
    if passage and section is not None and passage.strip() not in section.text:
        raise ValidationError({"passage": _("Det citerade stycket finns inte i avsnittet.")})
    comment = ConsultationComment(
        invite=invite, section=section, text=text.strip(), passage=passage.strip()
    )
    comment.full_clean()
    comment.save()
    invite.no_comments = False
    invite.responded_at = timezone.now()
    invite.save()
    return comment


@transaction.atomic
def consultation_no_comments(*, invite: ConsultationInvite) -> ConsultationInvite:
    """The respondent answers ”inga synpunkter”."""
    invite = _invite_open(invite)
    if invite.comments.exists():
        raise ValidationError(_("Ni har redan lämnat synpunkter."))
    invite.no_comments = True
    invite.responded_at = timezone.now()
    invite.save()
    return invite


@transaction.atomic
def consultation_comment_decide(
    *, comment: ConsultationComment, user: Any, decision: str, reason: str = ""
) -> ConsultationComment:
    """The owner marks a comment accepted, rejected or noted, with a reason."""
    require_write(user, comment.invite.consultation.strategy)
    if decision not in CommentDecision.values:
        raise ValidationError({"decision": _("Ogiltigt ställningstagande.")})
    if decision == CommentDecision.REJECTED and not reason.strip():
        raise ValidationError({"decision_reason": _("Motivera varför synpunkten inte beaktas.")})
    comment.decision, comment.decision_reason = decision, reason.strip()
    comment.save()
    return comment
