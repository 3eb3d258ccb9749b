"""Web pages for strategies, plans, follow-ups and consultations: thin adapters over selectors
and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import tenancy
from samverkan.core.exchange import CONTENT_TYPES
from samverkan.core.forms import add_form_errors
from samverkan.core.params import query_id
from samverkan.core.uploads import upload_check
from samverkan.core.versioning import (
    EditConflict,
    edit_conflict_response,
    version_field_add,
    version_taken,
)
from samverkan.plans import documents, exports, mailings, reports, selectors, services
from samverkan.plans.forms import (
    ActivityForm,
    CommentForm,
    ConsultationForm,
    ContributionForm,
    DecisionForm,
    FocusAreaForm,
    FollowUpForm,
    GoalForm,
    PlanForm,
    PublishForm,
    RollOverForm,
    StrategyFilterForm,
    StrategyForm,
)
from samverkan.plans.models import (
    Activity,
    ActivityStatus,
    ConsultationComment,
    ConsultationInvite,
    ConsultationStatus,
    Goal,
    Strategy,
    StrategyLevel,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _writable_strategy(request: HttpRequest, pk: int) -> Strategy:
    return tenancy.get_writable_or_403(
        Strategy.objects.select_related("owner"), request.user, pk=pk
    )


def strategy_list(request: HttpRequest) -> HttpResponse:
    form = StrategyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    strategies = selectors.strategy_list(
        user=request.user,
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        level=filters.get("level", ""),
    )
    return render(
        request, "plans/strategy_list.html", {"form": form, "strategies": strategies[:500]}
    )


@login_required
def strategy_create(request: HttpRequest) -> HttpResponse:
    owners = tenancy.acting_organisations(request.user)
    form = StrategyForm(request.POST or None)
    _development_choices(form, request.user)
    if request.method == "POST" and form.is_valid():
        owner = get_object_or_404(owners, pk=request.POST.get("owner"))
        try:
            strategy = services.strategy_create(user=request.user, owner=owner, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect(strategy)
    return render(
        request, "plans/strategy_form.html", {"form": form, "owners": owners, "creating": True}
    )


@login_required
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _writable_strategy(request, pk)
    form = StrategyForm(request.POST or None, instance=Strategy.objects.get(pk=pk))
    _development_choices(form, request.user, exclude=strategy)
    version_field_add(form, strategy)
    if request.method == "POST" and form.is_valid():
        expected_version = version_taken(form)
        try:
            services.strategy_update(
                strategy=strategy,
                user=request.user,
                expected_version=expected_version,
                **form.cleaned_data,
            )
        except EditConflict as conflict:
            return edit_conflict_response(
                request,
                form=form,
                record=strategy,
                conflict=conflict,
                cancel_url=strategy.get_absolute_url(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(strategy)
    return render(request, "plans/strategy_form.html", {"form": form, "strategy": strategy})


def _development_choices(
    form: StrategyForm | PlanForm, user: Any, exclude: Strategy | None = None
) -> None:
    """Offer only the RUS and growth agreements the user may read."""
    choices = selectors.development_strategy_list(user=user)
    if exclude is not None:
        choices = choices.exclude(pk=exclude.pk)
    form.fields["builds_on"].queryset = choices  # type: ignore[attr-defined]


def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = selectors.strategy_get(user=request.user, pk=pk)
    overarching, areas = selectors.strategy_goals(strategy=strategy)
    can_write = tenancy.can_write(request.user, strategy)
    return render(
        request,
        "plans/strategy_detail.html",
        {
            "strategy": strategy,
            "overarching": overarching,
            "areas": areas,
            "can_write": can_write,
            "plans": strategy.plans.all(),
            "area_form": FocusAreaForm(),
            "goal_form": GoalForm(strategy=strategy),
            "consultations": strategy.consultations.all() if can_write else [],
            "is_regional": strategy.level == StrategyLevel.REGIONAL,
            "builds_on": tenancy.readable(strategy.builds_on.all(), request.user),
            "uptake": next(
                iter(selectors.development_uptake(user=request.user, only=strategy)), None
            ),
        },
    )


@login_required
@require_POST
def focus_area_add(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _writable_strategy(request, pk)
    form = FocusAreaForm(request.POST)
    if form.is_valid():
        services.focus_area_create(strategy=strategy, user=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("Ange en titel för fokusområdet."))
    return redirect(strategy)


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _writable_strategy(request, pk)
    form = GoalForm(request.POST, strategy=strategy)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.goal_create(
                strategy=strategy, user=request.user, focus_area=data.pop("focus_area"), **data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(strategy)


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("strategy"), pk=pk)
    strategy = _writable_strategy(request, goal.strategy_id)
    form = GoalForm(request.POST or None, instance=Goal.objects.get(pk=pk), strategy=strategy)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.goal_update(
                goal=goal, user=request.user, focus_area=data.pop("focus_area"), **data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Målet är sparat."))
            return redirect(strategy)
    return render(request, "plans/goal_form.html", {"form": form, "goal": goal})


@login_required
def goal_contributions(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("strategy"), pk=pk)
    strategy = _writable_strategy(request, goal.strategy_id)
    options = selectors.regional_goals_readable(user=request.user).exclude(strategy=strategy)
    form = ContributionForm(
        request.POST or None, goals=options, initial={"regional_goals": goal.contributes_to.all()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_set_contributions(
                goal=goal, user=request.user, regional_goals=form.cleaned_data["regional_goals"]
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Kopplingen till regionala mål är sparad."))
            return redirect(strategy)
    return render(request, "plans/goal_contributions.html", {"form": form, "goal": goal})


def strategy_hook_in(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = selectors.strategy_get(user=request.user, pk=pk)
    if strategy.level != StrategyLevel.REGIONAL:
        raise Http404
    hook_in = selectors.regional_hook_in(strategy=strategy, user=request.user)
    return render(request, "plans/hook_in.html", {"strategy": strategy, "hook_in": hook_in})


@login_required
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _writable_strategy(request, pk)
    form = PlanForm(
        request.POST or None,
        initial={"year_start": timezone.localdate().year, "year_end": timezone.localdate().year},
    )
    _development_choices(form, request.user, exclude=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(strategy=strategy, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "strategy": strategy})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from samverkan.plans.timeline import plan_timeline_svg

    plan = selectors.plan_get(user=request.user, pk=pk)
    activities = selectors.plan_activities(plan=plan)
    today = timezone.localdate()
    rollup = selectors.plan_rollup(plan=plan, activities=activities, today=today)
    can_write = tenancy.can_write(request.user, plan.strategy)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "strategy": plan.strategy,
            "activities": activities,
            "rollup": rollup,
            "today": today,
            "can_write": can_write,
            "timeline": mark_safe(plan_timeline_svg(plan, activities, today)),  # noqa: S308  (escaped in timeline.py) # nosec B308, B703
            "rollover_form": RollOverForm(plan=plan) if can_write else None,
            "successors": plan.successors.all(),
            "plan_builds_on": tenancy.readable(plan.builds_on.all(), request.user),
            "pdf_inline": len(activities) <= exports.INLINE_MAX_ACTIVITIES,
            "status_counts": [
                (value, label, rollup.by_status.get(value, 0))
                for value, label in ActivityStatus.choices
            ],
        },
    )


def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    activities = selectors.plan_activities(plan=plan)
    rollup = selectors.plan_rollup(plan=plan, activities=activities)
    return _download(
        reports.plan_xlsx(plan, rollup, user=request.user),
        f"handlingsplan-{plan.pk}.xlsx",
        CONTENT_TYPES["xlsx"],
    )


@login_required
@require_POST
def plan_roll_over(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = RollOverForm(request.POST, plan=plan)
    if not form.is_valid():
        raise PermissionDenied
    try:
        target = services.plan_roll_over(
            plan=plan, user=request.user, target=form.cleaned_data["target"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(plan)
    messages.success(request, _("Ej avslutade aktiviteter är överförda till %s.") % target)
    return redirect(target)


@login_required
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not tenancy.can_write(request.user, plan.strategy):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            services.activity_create(plan=plan, user=request.user, **data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect(plan)
    return render(
        request, "plans/activity_form.html", {"form": form, "plan": plan, "creating": True}
    )


def _activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("plan", "plan__strategy"), pk=pk)
    tenancy.get_readable_or_404(Strategy.objects.all(), request.user, pk=activity.plan.strategy_id)
    return activity


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    can_write = tenancy.can_write(request.user, activity.plan.strategy)
    return render(
        request,
        "plans/activity_detail.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "can_write": can_write,
            "follow_ups": activity.follow_ups.select_related("by"),
            # the versions and their authors only for the owner's members (red-team finding 7)
            "versions": activity.history.select_related("history_user")[:50]
            if tenancy.can_read_history(request.user, activity.plan.strategy.owner_ids())
            else None,
            "followup_form": FollowUpForm(
                initial={"status": activity.status, "progress": activity.progress}
            ),
            "today": timezone.localdate(),
        },
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not tenancy.can_write(request.user, activity.plan.strategy):
        raise PermissionDenied
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        plan=activity.plan,
        initial={"version": activity.version},
    )
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.activity_update(
                activity=activity, user=request.user, expected_version=version, **data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Aktiviteten är sparad."))
            return redirect(activity)
    return render(
        request,
        "plans/activity_form.html",
        {"form": form, "plan": activity.plan, "activity": activity},
    )


@login_required
@require_POST
def followup_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not tenancy.can_write(request.user, activity.plan.strategy):
        raise PermissionDenied
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_create(activity=activity, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Avstämningen är sparad."))
    else:
        messages.error(request, _("Ange status och framsteg 0–100 %."))
    return redirect(activity)


# --- consultations ----------------------------------------------------------------------------


@login_required
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _writable_strategy(request, pk)
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
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
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
            elif action == "invite":
                count = mailings.consultation_send_invitations(
                    consultation=consultation, user=request.user
                )
                text = _("%d inbjudningar lades i kö.") % count
                missing = mailings.invites_without_email(consultation=consultation)
                if missing:
                    text += " " + _("%(n)d remissinstanser saknar e-postadress: %(who)s.") % {
                        "n": len(missing),
                        "who": ", ".join(missing),
                    }
                messages.success(request, text)
            elif action == "remind":
                reminded = mailings.consultation_remind(
                    consultation=consultation, user=request.user
                )
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
            elif action == "emails":
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
            elif action in (ConsultationStatus.CLOSED, ConsultationStatus.WITHDRAWN):
                services.consultation_set_status(
                    consultation=consultation, user=request.user, status=action
                )
            elif action == "decide":
                comment = get_object_or_404(
                    ConsultationComment,
                    pk=request.POST.get("comment"),
                    invite__consultation=consultation,
                )
                services.consultation_comment_decide(
                    comment=comment,
                    user=request.user,
                    decision=request.POST.get("decision", ""),
                    reason=request.POST.get("reason", ""),
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(consultation)
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


@login_required
def consultation_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    consultation = _writable_consultation(request, pk)
    if fmt == "docx":
        return _download(
            reports.compilation_docx(consultation), f"remissammanstallning-{pk}.docx", DOCX_TYPE
        )
    return _download(
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
