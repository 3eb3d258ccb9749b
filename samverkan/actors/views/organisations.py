"""Web pages for organisations: thin adapters over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.models import Invitation, Membership
from samverkan.accounts.services import (
    invitation_create,
    invitation_withdraw,
    membership_delete,
    membership_set_role,
)
from samverkan.actors import selectors, services
from samverkan.actors.forms import (
    ContactAddressForm,
    MembershipForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.forms import add_form_errors
from samverkan.core.versioning import (
    EditConflict,
    edit_conflict_response,
    version_field_add,
    version_taken,
)


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_list(
        user=request.user,
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        sector=filters.get("sector", ""),
        county_code=filters.get("county", ""),
    )
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actors/organisation_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, code=code)
    can_write = tenancy.can_write(request.user, organisation)
    is_admin = request.user.is_authenticated and (
        request.user.is_superuser
        or organisation.pk in tenancy.organisation_ids(request.user, ("admin",))
    )
    members = (
        organisation.user_memberships.select_related("user").order_by("user__email")
        if is_admin
        else []
    )
    invitations = (
        organisation.invitations.select_related("user").order_by("user__email") if is_admin else []
    )
    return render(
        request,
        "actors/organisation_detail.html",
        {
            "organisation": organisation,
            "can_write": can_write,
            "is_admin": is_admin,
            "can_verify": not organisation.verified
            and services.organisation_can_verify(user=request.user, organisation=organisation),
            "members": members,
            "invitations": invitations,
            "membership_form": MembershipForm(),
            "network_memberships": selectors.membership_list(user=request.user).filter(
                organisation=organisation
            ),
            "convened_networks": selectors.network_list(user=request.user).filter(
                convener=organisation
            ),
            "contacts": selectors.contact_address_list(
                user=request.user, organisation=organisation
            ),
            "can_edit_contacts": services.contact_address_may_edit(
                user=request.user, organisation=organisation
            ),
            "contact_form": ContactAddressForm(),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    stewards = selectors.organisation_writable_list(user=request.user).filter(verified=True)
    if request.method == "POST" and form.is_valid():
        steward = None
        if request.POST.get("steward"):
            steward = get_object_or_404(stewards, pk=request.POST["steward"])
        try:
            organisation = services.organisation_create(
                user=request.user, steward=steward, **form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("%s är registrerad.") % organisation)
            return redirect(organisation)
    return render(
        request,
        "actors/organisation_form.html",
        {"form": form, "stewards": stewards, "creating": True},
    )


@login_required
def organisation_edit(request: HttpRequest, code: str) -> HttpResponse:
    organisation = tenancy.get_writable_or_403(Organisation.objects.all(), request.user, code=code)
    form = OrganisationForm(request.POST or None, instance=organisation)
    version_field_add(form, organisation)
    if request.method == "POST" and form.is_valid():
        expected_version = version_taken(form)
        try:
            services.organisation_update(
                organisation=organisation,
                user=request.user,
                expected_version=expected_version,
                **form.cleaned_data,
            )
        except EditConflict as conflict:
            return edit_conflict_response(
                request,
                form=form,
                record=organisation,
                conflict=conflict,
                cancel_url=organisation.get_absolute_url(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(organisation)
    return render(
        request, "actors/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def organisation_verify(request: HttpRequest, code: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, code=code)
    services.organisation_verify(organisation=organisation, user=request.user)
    messages.success(request, _("%s är verifierad.") % organisation)
    return redirect(organisation)


@login_required
def organisation_delete(request: HttpRequest, code: str) -> HttpResponse:
    organisation = tenancy.get_writable_or_403(Organisation.objects.all(), request.user, code=code)
    if request.method == "POST":
        try:
            services.organisation_delete(organisation=organisation, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(organisation)
        messages.success(
            request, _("%s är borttagen. Den kan återställas från papperskorgen.") % organisation
        )
        return redirect("actors:organisations")
    return render(request, "actors/organisation_delete.html", {"organisation": organisation})


@login_required
@require_POST
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, code=code)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange en giltig e-postadress och roll."))
        return redirect(organisation)
    try:
        invitation_create(
            email=form.cleaned_data["email"],
            organisation=organisation,
            role=form.cleaned_data["role"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "%s är inbjuden och blir medlem när hen godtar inbjudan på sin kontosida "
                "(Mitt konto)."
            )
            % form.cleaned_data["email"],
        )
    return redirect(organisation)


@login_required
@require_POST
def invitation_withdraw_view(request: HttpRequest, code: str, invitation_id: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, code=code)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    invitation_withdraw(invitation=invitation, by=request.user)
    messages.success(request, _("Inbjudan till %s är återkallad.") % invitation.user.email)
    return redirect(organisation)


@login_required
@require_POST
def member_change(request: HttpRequest, code: str, membership_id: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, code=code)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    try:
        if request.POST.get("action") == "remove":
            membership_delete(membership=membership, by=request.user)
        else:
            membership_set_role(
                membership=membership, role=request.POST.get("role", ""), by=request.user
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise
    return redirect(organisation)


@login_required
@require_POST
def contact_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add an address where the organisation receives surveys and/or consultations."""
    organisation = selectors.organisation_get(user=request.user, code=code)
    form = ContactAddressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange en giltig e-postadress."))
        return redirect(organisation)
    try:
        contact = services.contact_address_create(
            organisation=organisation, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Kontaktadressen %s är sparad.") % contact.email)
    return redirect(organisation)


@login_required
@require_POST
def contact_delete(request: HttpRequest, code: str, contact_id: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, code=code)
    contact = get_object_or_404(
        selectors.contact_address_list(user=request.user, organisation=organisation),
        pk=contact_id,
    )
    services.contact_address_delete(contact=contact, user=request.user)
    messages.success(request, _("Kontaktadressen %s är borttagen.") % contact.email)
    return redirect(organisation)


def role_list(request: HttpRequest) -> HttpResponse:
    """The role catalogue (rollkatalog): every role with its definition and source. Public:
    the catalogue is reference data, like the themes."""
    from samverkan.actors.models import NetworkRole

    roles = NetworkRole.objects.order_by("position", "name")
    return render(request, "actors/role_list.html", {"roles": roles})
