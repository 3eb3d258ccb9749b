"""Pages for agreements (överenskommelser): the list and one agreement with its parties,
principles and the meetings held under it; its owner's admins and editors register and edit it,
add, edit and remove its parties and principles (removal after a confirmation page, by POST).
Reads go through the tenancy rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.actors import selectors, services
from samverkan.actors.forms import AgreementForm, AgreementPartyForm, AgreementPrincipleForm
from samverkan.actors.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementPrinciple,
)
from samverkan.core import tenancy
from samverkan.core.forms import add_form_errors
from samverkan.core.versioning import (
    EditConflict,
    edit_conflict_response,
    version_field_add,
    version_taken,
)
from samverkan.geo.models import County


def agreement_list(request: HttpRequest) -> HttpResponse:
    county = request.GET.get("county", "")
    kind = request.GET.get("kind", "")
    agreements = selectors.agreement_list(
        user=request.user, county_code=county, kind=kind, query=request.GET.get("q", "")
    )
    return render(
        request,
        "actors/agreement_list.html",
        {
            "agreements": agreements.prefetch_related("parties__organisation"),
            "counties": County.objects.order_by("code"),
            "kinds": AgreementKind.choices,
            "selected": {"county": county, "kind": kind},
        },
    )


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, slug=slug)
    meetings = selectors.agreement_meetings(user=request.user, agreement=agreement)
    can_write = tenancy.can_write(request.user, agreement)
    return render(
        request,
        "actors/agreement_detail.html",
        {
            "agreement": agreement,
            "can_write": can_write,
            "party_form": AgreementPartyForm() if can_write else None,
            "principle_form": AgreementPrincipleForm() if can_write else None,
            "parties": selectors.agreement_parties(agreement=agreement),
            "principles": agreement.principles.all(),
            "meetings": meetings,
            "attendance": selectors.meeting_attendance_summary(meetings),
        },
    )


def _writable_agreement(request: HttpRequest, slug: str) -> Agreement:
    return tenancy.get_writable_or_403(Agreement.objects.all(), request.user, slug=slug)


def _networks(user: Any) -> Any:
    return selectors.network_list(user=user)


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    owners = selectors.organisation_writable_list(user=request.user)
    form = AgreementForm(request.POST or None, owners=owners, networks=_networks(request.user))
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        owner = fields.pop("owner")
        try:
            agreement = services.agreement_create(user=request.user, owner=owner, **fields)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("%s är registrerad.") % agreement)
            return redirect(agreement)
    return render(request, "actors/agreement_form.html", {"form": form, "creating": True})


@login_required
def agreement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = _writable_agreement(request, slug)
    form = AgreementForm(request.POST or None, instance=agreement, networks=_networks(request.user))
    version_field_add(form, agreement)
    if request.method == "POST" and form.is_valid():
        expected_version = version_taken(form)
        try:
            services.agreement_update(
                agreement=agreement,
                user=request.user,
                expected_version=expected_version,
                **form.cleaned_data,
            )
        except EditConflict as conflict:
            return edit_conflict_response(
                request,
                form=form,
                record=agreement,
                conflict=conflict,
                cancel_url=agreement.get_absolute_url(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(agreement)
    return render(request, "actors/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
@require_POST
def agreement_party_add(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = _writable_agreement(request, slug)
    form = AgreementPartyForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_party_add(
                agreement=agreement, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Ange organisationen eller ett namn, och rollen."))
    return redirect(agreement)


def _party(request: HttpRequest, slug: str, pk: int) -> tuple[Agreement, AgreementParty]:
    agreement = _writable_agreement(request, slug)
    party = get_object_or_404(
        AgreementParty.objects.select_related("organisation"), pk=pk, agreement=agreement
    )
    return agreement, party


def _principle(request: HttpRequest, slug: str, pk: int) -> tuple[Agreement, AgreementPrinciple]:
    agreement = _writable_agreement(request, slug)
    return agreement, get_object_or_404(AgreementPrinciple, pk=pk, agreement=agreement)


def _back(agreement: Agreement, anchor: str) -> HttpResponse:
    return redirect(f"{agreement.get_absolute_url()}#{anchor}")


@login_required
def agreement_party_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a party: the actor and its role in the agreement."""
    agreement, party = _party(request, slug, pk)
    form = AgreementPartyForm(
        request.POST or None,
        initial={
            "organisation": party.organisation_id,
            "name": party.name,
            "role": party.role,
            "note": party.note,
            "source": party.source,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_party_update(party=party, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Parten är sparad."))
            return _back(agreement, "parties-heading")
    return _part_form_page(
        request, agreement, form, _("Redigera part: %s") % party, "parties-heading"
    )


@login_required
def agreement_party_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The confirmation page (GET) and the removal (POST)."""
    agreement, party = _party(request, slug, pk)
    if request.method == "POST":
        services.agreement_party_remove(party=party, user=request.user)
        messages.success(request, _("%s är borttagen ur överenskommelsen.") % party)
        return _back(agreement, "parties-heading")
    title = _("Ta bort %(party)s (%(role)s) ur överenskommelsen?") % {
        "party": party,
        "role": party.get_role_display().lower(),
    }
    return _part_delete_page(request, agreement, title, "parties-heading")


@login_required
@require_POST
def agreement_principle_add(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = _writable_agreement(request, slug)
    form = AgreementPrincipleForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_principle_add(
                agreement=agreement, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Ange principen."))
    return redirect(agreement)


@login_required
def agreement_principle_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    agreement, principle = _principle(request, slug, pk)
    form = AgreementPrincipleForm(
        request.POST or None,
        initial={
            "name": principle.name,
            "description": principle.description,
            "source": principle.source,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_principle_update(
                principle=principle, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Principen är sparad."))
            return _back(agreement, "principles-heading")
    return _part_form_page(
        request, agreement, form, _("Redigera princip: %s") % principle, "principles-heading"
    )


@login_required
def agreement_principle_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The confirmation page (GET) and the removal (POST)."""
    agreement, principle = _principle(request, slug, pk)
    if request.method == "POST":
        services.agreement_principle_remove(principle=principle, user=request.user)
        messages.success(request, _("Principen ”%s” är borttagen.") % principle)
        return _back(agreement, "principles-heading")
    return _part_delete_page(
        request, agreement, _("Ta bort principen ”%s”?") % principle, "principles-heading"
    )


def _part_form_page(
    request: HttpRequest, agreement: Any, form: Any, title: str, anchor: str
) -> HttpResponse:
    """The edit page of a party or a principle (``anchor``: where "Avbryt" returns to)."""
    return render(
        request,
        "actors/agreement_part_form.html",
        {"agreement": agreement, "form": form, "title": title, "cancel_anchor": anchor},
    )


def _part_delete_page(
    request: HttpRequest, agreement: Any, title: str, anchor: str
) -> HttpResponse:
    """The confirmation page before a party or a principle is removed."""
    return render(
        request,
        "actors/agreement_part_delete.html",
        {"agreement": agreement, "title": title, "cancel_anchor": anchor},
    )
