"""Strategy pages: the list, a strategy with its focus areas and goals, editing them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import tenancy
from samverkan.core.forms import add_form_errors
from samverkan.core.versioning import (
    EditConflict,
    edit_conflict_response,
    version_field_add,
    version_taken,
)
from samverkan.plans import selectors, services
from samverkan.plans.forms import (
    ContributionForm,
    FocusAreaForm,
    GoalForm,
    StrategyFilterForm,
    StrategyForm,
)
from samverkan.plans.models import (
    Goal,
    Strategy,
    StrategyLevel,
)
from samverkan.plans.views.common import development_choices, writable_strategy


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
    development_choices(form, request.user)
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
    strategy = writable_strategy(request, pk)
    form = StrategyForm(request.POST or None, instance=Strategy.objects.get(pk=pk))
    development_choices(form, request.user, exclude=strategy)
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
    strategy = writable_strategy(request, pk)
    form = FocusAreaForm(request.POST)
    if form.is_valid():
        services.focus_area_create(strategy=strategy, user=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("Ange en titel för fokusområdet."))
    return redirect(strategy)


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = writable_strategy(request, pk)
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
    strategy = writable_strategy(request, goal.strategy_id)
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
    strategy = writable_strategy(request, goal.strategy_id)
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
