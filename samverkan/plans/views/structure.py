"""Web pages for editing a strategy's structure: focus areas and goals (edit, reorder, delete)
and their history with restore. Thin adapters over ``plans.structure``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import tenancy
from samverkan.core.forms import add_form_errors
from samverkan.plans import structure
from samverkan.plans.forms import FocusAreaForm
from samverkan.plans.models import FocusArea, Goal, Strategy


def _writable_strategy(request: HttpRequest, pk: int) -> Strategy:
    return tenancy.get_writable_or_403(
        Strategy.objects.select_related("owner"), request.user, pk=pk
    )


def _area(request: HttpRequest, pk: int) -> FocusArea:
    area = get_object_or_404(FocusArea, pk=pk)
    area.strategy = _writable_strategy(request, area.strategy_id)
    return area


def _goal(request: HttpRequest, pk: int) -> Goal:
    goal = get_object_or_404(Goal, pk=pk)
    goal.strategy = _writable_strategy(request, goal.strategy_id)
    return goal


def _back(strategy: Strategy, anchor: str) -> HttpResponse:
    return redirect(f"{strategy.get_absolute_url()}#{anchor}")


@login_required
def focus_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area(request, pk)
    form = FocusAreaForm(
        request.POST or None, initial={"title": area.title, "description": area.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            structure.focus_area_update(area=area, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Fokusområdet är sparat."))
            return _back(area.strategy, f"area-{area.pk}")
    return render(request, "plans/focus_area_form.html", {"form": form, "area": area})


@login_required
@require_POST
def focus_area_move(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area(request, pk)
    try:
        structure.focus_area_move(
            area=area, user=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(area.strategy, f"area-{area.pk}")


@login_required
@require_POST
def focus_area_delete(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area(request, pk)
    try:
        structure.focus_area_delete(area=area, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(area.strategy, f"area-{area.pk}")
    messages.success(
        request,
        _("Fokusområdet ”%s” är borttaget; det kan återställas från historiken.") % area.title,
    )
    return redirect(area.strategy)


@login_required
@require_POST
def goal_move(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    try:
        structure.goal_move(
            goal=goal, user=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(goal.strategy, f"goal-{goal.pk}")


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    try:
        structure.goal_delete(goal=goal, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(goal.strategy, f"goal-{goal.pk}")
    messages.success(
        request, _("Målet ”%s” är borttaget; det kan återställas från historiken.") % goal.title
    )
    return redirect(goal.strategy)


@login_required
def structure_history(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _writable_strategy(request, pk)
    if request.method == "POST":
        try:
            restored = structure.structure_restore(
                strategy=strategy,
                user=request.user,
                kind=request.POST.get("kind", ""),
                history_id=int(request.POST.get("history_id") or 0),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("”%s” är återställt.") % restored)
            return redirect(strategy)
        return redirect("plans:structure_history", pk=strategy.pk)
    return render(
        request,
        "plans/structure_history.html",
        {"strategy": strategy, "changes": structure.structure_history(strategy=strategy)},
    )
