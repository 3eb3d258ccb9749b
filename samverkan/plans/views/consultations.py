"""Consultation (remiss) pages: the owner's page with one URL per action, the compilation, and
the respondent's personal link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import tenancy
from samverkan.core.exchange import CONTENT_TYPES
from samverkan.core.forms import add_form_errors
from samverkan.core.params import query_id
from samverkan.core.uploads import upload_check
from samverkan.plans import documents, mailings, reports, selectors, services
from samverkan.plans.forms import (
    CommentForm,
    ConsultationForm,
    DecisionForm,
    PublishForm,
)
from samverkan.plans.models import (
    ConsultationComment,
    ConsultationInvite,
    ConsultationStatus,
)
from samverkan.plans.views.common import DOCX_TYPE, download, writable_strategy


@login_required
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = writable_strategy(request, pk)
    form = ConsultationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["docx"]
        try:
            if upload:
                upload_check(upload, kinds=("docx",), max_bytes=documents.MAX_DOCX_BYTES)
                sections = documents.split_docx(upload.read(), upload.name)
            else:
                sections = documents.split_markdown(form.cleaned_data["markdown"])
            consultation = services.consultation_create(
                strategy=strategy,
                user=request.user,
                title=form.cleaned_data["title"],
                sections=sections,
                source_filename=upload.name if upload else "",
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect(consultation)
    return render(request, "plans/consultation_form.html", {"form": form, "strategy": strategy})


def _writable_consultation(request: HttpRequest, pk: int) -> Any:
    consultation = selectors.consultation_get(user=request.user, pk=pk)
    if not tenancy.can_write(request.user, consultation.strategy):
        raise PermissionDenied
    return consultation


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _writable_consultation(request, pk)
    sections = consultation.sections.prefetch_related("comments__invite__organisation")
    invites = list(
        consultation.invites.select_related("organisation").prefetch_related("reminders__by")
    )
    general = ConsultationComment.objects.filter(
        invite__consultation=consultation, section=None
    ).select_related("invite__organisation")
    return render(
        request,
        "plans/consultation_detail.html",
        {
            "consultation": consultation,
            "strategy": consultation.strategy,
            "sections": sections,
            "general": general,
            "invites": invites,
            "answered": sum(1 for i in invites if i.responded_at),
            "missing": [i for i in invites if not i.responded_at],
            "publish_form": PublishForm(
                initial={"remind_days_before": consultation.remind_days_before}
            ),
            "remind_count": sum(1 for i in invites if not i.responded_at and i.email),
            "uninvited_count": sum(1 for i in invites if i.email and not i.invited_at),
            "decision_form": DecisionForm(),
        },
    )


def _consultation_action(request: HttpRequest, pk: int, act: Callable[[Any], None]) -> HttpResponse:
    """Run one of the owner's actions on the consultation and go back to its page; a refusal
    is shown there as a message."""
    consultation = _writable_consultation(request, pk)
    try:
        act(consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(consultation)


@login_required
@require_POST
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def act(consultation: Any) -> None:
        form = PublishForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Välj remissinstanser och sista svarsdag."))
        services.consultation_publish(
            consultation=consultation,
            user=request.user,
            organisations=form.cleaned_data["organisations"],
            deadline=form.cleaned_data["deadline"],
            remind_days_before=form.cleaned_data["remind_days_before"],
        )

    return _consultation_action(request, pk, act)


@login_required
@require_POST
def consultation_invite(request: HttpRequest, pk: int) -> HttpResponse:
    def act(consultation: Any) -> None:
        count = mailings.consultation_send_invitations(consultation=consultation, user=request.user)
        text = _("%d inbjudningar lades i kö.") % count
        missing = mailings.invites_without_email(consultation=consultation)
        if missing:
            text += " " + _("%(n)d remissinstanser saknar e-postadress: %(who)s.") % {
                "n": len(missing),
                "who": ", ".join(missing),
            }
        messages.success(request, text)

    return _consultation_action(request, pk, act)


@login_required
@require_POST
def consultation_remind(request: HttpRequest, pk: int) -> HttpResponse:
    def act(consultation: Any) -> None:
        reminded = mailings.consultation_remind(consultation=consultation, user=request.user)
        if reminded:
            messages.success(
                request,
                _("Påminnelse skickas till %(n)d som inte har svarat: %(who)s.")
                % {
                    "n": len(reminded),
                    "who": ", ".join(str(r.invite.organisation) for r in reminded),
                },
            )
        else:
            messages.info(
                request,
                _(
                    "Ingen påminnelse skickades: alla har svarat, saknar e-postadress "
                    "eller påmindes nyss."
                ),
            )

    return _consultation_action(request, pk, act)


@login_required
@require_POST
def consultation_emails(request: HttpRequest, pk: int) -> HttpResponse:
    def act(consultation: Any) -> None:
        emails = {
            invite_id: str(value)
            for key, value in request.POST.items()
            if key.startswith("email-")
            and (invite_id := query_id(key.removeprefix("email-"))) is not None
        }
        count = mailings.invite_set_emails(
            consultation=consultation, user=request.user, emails=emails
        )
        messages.success(request, _("%d e-postadresser ändrades.") % count)

    return _consultation_action(request, pk, act)


@login_required
@require_POST
def consultation_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Close or withdraw the consultation (``status``: closed or withdrawn)."""

    def act(consultation: Any) -> None:
        status = request.POST.get("status", "")
        if status not in (ConsultationStatus.CLOSED, ConsultationStatus.WITHDRAWN):
            raise ValidationError(_("Okänd status för remissen."))
        services.consultation_set_status(
            consultation=consultation, user=request.user, status=status
        )

    return _consultation_action(request, pk, act)


@login_required
@require_POST
def consultation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's decision on one comment (``comment``, ``decision``, ``reason``)."""

    def act(consultation: Any) -> None:
        comment = get_object_or_404(
            ConsultationComment,
            pk=query_id(request.POST.get("comment", "")) or 0,
            invite__consultation=consultation,
        )
        services.consultation_comment_decide(
            comment=comment,
            user=request.user,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )

    return _consultation_action(request, pk, act)


@login_required
def consultation_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    consultation = _writable_consultation(request, pk)
    if fmt == "docx":
        return download(
            reports.compilation_docx(consultation), f"remissammanstallning-{pk}.docx", DOCX_TYPE
        )
    return download(
        reports.compilation_xlsx(consultation),
        f"remissammanstallning-{pk}.xlsx",
        CONTENT_TYPES["xlsx"],
    )


def consultation_respond(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's personal link: no login, the token identifies the organisation."""
    invite = get_object_or_404(
        ConsultationInvite.objects.select_related(
            "consultation", "consultation__strategy", "organisation"
        ),
        token=token,
    )
    consultation = invite.consultation
    if request.method == "POST":
        try:
            if request.POST.get("action") == "no_comments":
                services.consultation_no_comments(invite=invite)
                messages.success(request, _("Tack! Ert svar ”inga synpunkter” är registrerat."))
            else:
                form = CommentForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Skriv en synpunkt."))
                section = None
                if form.cleaned_data["section"]:
                    section = get_object_or_404(
                        consultation.sections, pk=form.cleaned_data["section"]
                    )
                services.consultation_comment_create(
                    invite=invite,
                    section=section,
                    text=form.cleaned_data["text"],
                    passage=form.cleaned_data["passage"],
                )
                messages.success(request, _("Synpunkten är sparad."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("plans:consultation_respond", token=token)
    is_open = consultation.status == ConsultationStatus.OPEN and (
        consultation.deadline is None or consultation.deadline >= timezone.now()
    )
    return render(
        request,
        "plans/consultation_respond.html",
        {
            "invite": invite,
            "consultation": consultation,
            "is_open": is_open,
            "sections": consultation.sections.all(),
            "comments": invite.comments.select_related("section"),
            "comment_form": CommentForm(),
        },
    )
