"""Action plan pages: a plan, its activities and follow-ups, its XLSX export and rolling it over."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import tenancy
from samverkan.core.exchange import CONTENT_TYPES
from samverkan.core.forms import add_form_errors
from samverkan.plans import exports, reports, selectors, services
from samverkan.plans.forms import (
    ActivityForm,
    FollowUpForm,
    PlanForm,
    RollOverForm,
)
from samverkan.plans.models import (
    Activity,
    ActivityStatus,
    Strategy,
)
from samverkan.plans.views.common import development_choices, download, writable_strategy


@login_required
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = writable_strategy(request, pk)
    form = PlanForm(
        request.POST or None,
        initial={"year_start": timezone.localdate().year, "year_end": timezone.localdate().year},
    )
    development_choices(form, request.user, exclude=strategy)
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
    return download(
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
