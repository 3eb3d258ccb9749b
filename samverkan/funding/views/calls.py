"""Pages of calls and their criteria: list, create, edit, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
from samverkan.funding import access, selectors
from samverkan.funding.forms import CallForm, CriterionForm
from samverkan.funding.services import calls


def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funding/call_list.html",
        {
            "calls": selectors.calls_readable(request.user),
            "my_applications": selectors.applications_of_user(request.user),
            "can_create": request.user.is_authenticated
            and bool(tenancy.organisation_ids(request.user, tenancy.WRITE_ROLES)),
        },
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        counties = data.pop("eligible_counties")
        try:
            call = calls.call_create(
                user=request.user, owner=owner, eligible_counties=counties, **data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Utlysningen är sparad som utkast."))
            return redirect(call)
    return render(request, "funding/call_form.html", {"form": form})


@login_required
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_get_for_funder(request.user, pk)
    form = CallForm(request.POST or None, user=request.user, call=call)
    version_field_add(form, call)
    if request.method == "POST" and form.is_valid():
        expected_version = version_taken(form)
        data = dict(form.cleaned_data)
        counties = data.pop("eligible_counties")
        try:
            calls.call_update(
                call=call,
                user=request.user,
                eligible_counties=counties,
                expected_version=expected_version,
                **data,
            )
        except EditConflict as conflict:
            return edit_conflict_response(
                request,
                form=form,
                record=call,
                conflict=conflict,
                cancel_url=call.get_absolute_url(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect(call)
    return render(request, "funding/call_form.html", {"form": form, "call": call})


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(user=request.user, pk=pk)
    is_funder = access.is_funder(request.user, call)
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "criteria": call.criteria.all(),
            "counties": call.eligible_counties.all(),
            "is_funder": is_funder,
            "applications": selectors.applications_for_call(user=request.user, call=call),
            "criterion_form": CriterionForm() if is_funder else None,
            "criterion_rule": calls.criterion_rule() if is_funder else "",
            "can_apply": request.user.is_authenticated and call.status == "open",
        },
    )


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_get_for_funder(request.user, pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            calls.criterion_add(
                call=call, user=request.user, spec=calls.CriterionSpec(**form.cleaned_data)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Kriteriet sparades inte: kontrollera fälten."))
    return redirect(call)


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = access.criterion_get_for_funder(request.user, pk)
    form = CriterionForm(
        request.POST or None,
        initial={
            "title": criterion.title,
            "weight": criterion.weight,
            "guidance": criterion.guidance,
            "perspective": criterion.perspective,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            calls.criterion_update(criterion=criterion, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            criterion.refresh_from_db()
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Kriteriet är ändrat."))
            return redirect(criterion.call)
    return render(
        request,
        "funding/criterion_form.html",
        {
            "form": form,
            "criterion": criterion,
            "call": criterion.call,
            "scored": criterion.scores.count(),
            "rule": calls.criterion_rule(),
        },
    )


@login_required
@require_POST
def criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = access.criterion_get_for_funder(request.user, pk)
    call = criterion.call
    try:
        calls.criterion_remove(criterion=criterion, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Kriteriet är borttaget."))
    return redirect(call)


@login_required
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_get_for_funder(request.user, pk)
    try:
        calls.call_publish(call=call, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(call)
