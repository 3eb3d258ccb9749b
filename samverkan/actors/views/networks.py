"""Web pages for networks, memberships, the responsibility matrix and the network map."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.actors import graph, selectors, services
from samverkan.actors.forms import (
    GraphFilterForm,
    MeetingForm,
    NetworkForm,
    NetworkLinkForm,
    NetworkMembershipForm,
    ResponsibilityClaimForm,
)
from samverkan.actors.models import (
    Meeting,
    Network,
    NetworkKind,
    NetworkLink,
    NetworkMembership,
    ResponsibilityClaim,
    Theme,
)
from samverkan.core import tenancy
from samverkan.core.exchange import CONTENT_TYPES
from samverkan.core.forms import add_form_errors
from samverkan.core.tables import write_xlsx
from samverkan.core.versioning import (
    EditConflict,
    edit_conflict_response,
    version_field_add,
    version_taken,
)
from samverkan.geo.models import County


def network_list(request: HttpRequest) -> HttpResponse:
    county = request.GET.get("county", "")
    kind = request.GET.get("kind", "")
    theme = request.GET.get("theme", "")
    networks = selectors.network_list(
        user=request.user,
        county_code=county,
        kind=kind,
        theme=theme,
        query=request.GET.get("q", ""),
    )
    return render(
        request,
        "actors/network_list.html",
        {
            "networks": networks.prefetch_related("themes"),
            "counties": County.objects.order_by("code"),
            "kinds": NetworkKind.choices,
            "themes": Theme.objects.all(),
            "selected": {"county": county, "kind": kind, "theme": theme},
        },
    )


@login_required
def network_create(request: HttpRequest) -> HttpResponse:
    owners = selectors.organisation_writable_list(user=request.user)
    form = NetworkForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        owner, themes = fields.pop("owner"), fields.pop("themes")
        try:
            network = services.network_create(
                user=request.user, owner=owner, themes=themes, **fields
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("%s är registrerat.") % network)
            return redirect(network)
    return render(request, "actors/network_form.html", {"form": form, "creating": True})


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = selectors.network_get(user=request.user, slug=slug)
    memberships = list(selectors.membership_list(user=request.user, network=network))
    can_write = tenancy.can_write(request.user, network)
    current = [m for m in memberships if selectors.membership_is_current(m)]
    picture = graph.network_members_svg(
        network.name,
        [(m.organisation.name, m.organisation.code, m.organisation.sector) for m in current],
    )
    return render(
        request,
        "actors/network_detail.html",
        {
            "network": network,
            "can_write": can_write,
            # built with escape() on every text
            "members_svg": mark_safe(picture) if current else "",  # noqa: S308  # nosec B308, B703
            "member_picture_limit": graph.MEMBER_PICTURE_LIMIT,
            "current": current,
            "former": [m for m in memberships if not selectors.membership_is_current(m)],
            "writable_memberships": {
                m.pk for m in memberships if tenancy.can_write(request.user, m)
            },
            "meetings": network.meetings.all(),
            "agreement": selectors.agreement_list(user=request.user)
            .filter(network=network)
            .first(),
            "links": network.links.all(),
            "children": selectors.network_list(user=request.user).filter(parent=network),
            "membership_form": NetworkMembershipForm() if request.user.is_authenticated else None,
            "meeting_form": MeetingForm() if can_write else None,
            "link_form": NetworkLinkForm() if can_write else None,
        },
    )


@login_required
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = tenancy.get_writable_or_403(Network.objects.all(), request.user, slug=slug)
    form = NetworkForm(request.POST or None, instance=network)
    version_field_add(form, network)
    if request.method == "POST" and form.is_valid():
        expected_version = version_taken(form)
        fields = dict(form.cleaned_data)
        themes = fields.pop("themes")
        try:
            services.network_update(
                network=network,
                user=request.user,
                themes=themes,
                expected_version=expected_version,
                **fields,
            )
        except EditConflict as conflict:
            return edit_conflict_response(
                request,
                form=form,
                record=network,
                conflict=conflict,
                cancel_url=network.get_absolute_url(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(network)
    return render(request, "actors/network_form.html", {"form": form, "network": network})


@login_required
def network_delete(request: HttpRequest, slug: str) -> HttpResponse:
    network = tenancy.get_writable_or_403(Network.objects.all(), request.user, slug=slug)
    if request.method == "POST":
        services.network_delete(network=network, user=request.user)
        messages.success(request, _("%s är borttaget.") % network)
        return redirect("actors:networks")
    return render(request, "actors/network_delete.html", {"network": network})


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def network_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    network = selectors.network_get(user=request.user, slug=slug)
    form = NetworkMembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kontrollera uppgifterna: %s") % form.errors.as_text())
        return redirect(network)
    try:
        services.membership_create(user=request.user, network=network, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%s är tillagd.") % form.cleaned_data["organisation"])
    return redirect(network)


@login_required
@require_POST
def network_member_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = tenancy.get_writable_or_403(
        NetworkMembership.objects.select_related("network"), request.user, pk=pk, network__slug=slug
    )
    services.membership_delete(membership=membership, user=request.user)
    return redirect(membership.network)


@login_required
@require_POST
def network_member_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """End a membership on a date; the membership and its roles stay in the history."""
    membership = tenancy.get_writable_or_403(
        NetworkMembership.objects.select_related("network"), request.user, pk=pk, network__slug=slug
    )
    try:
        end_date = datetime.date.fromisoformat(request.POST.get("end_date", ""))
        services.membership_update(membership=membership, user=request.user, end_date=end_date)
    except ValueError:
        messages.error(request, _("Ange ett giltigt slutdatum (ÅÅÅÅ-MM-DD)."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(membership.network)


@login_required
@require_POST
def network_meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    network = tenancy.get_writable_or_403(Network.objects.all(), request.user, slug=slug)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_create(network=network, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Kontrollera uppgifterna: %s") % form.errors.as_text())
    return redirect(network)


@login_required
@require_POST
def network_meeting_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = tenancy.get_writable_or_403(Network.objects.all(), request.user, slug=slug)
    services.meeting_delete(
        meeting=get_object_or_404(Meeting, pk=pk, network=network), user=request.user
    )
    return redirect(network)


@login_required
@require_POST
def network_link_add(request: HttpRequest, slug: str) -> HttpResponse:
    network = tenancy.get_writable_or_403(Network.objects.all(), request.user, slug=slug)
    form = NetworkLinkForm(request.POST)
    if form.is_valid():
        services.link_create(network=network, user=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("Kontrollera uppgifterna: %s") % form.errors.as_text())
    return redirect(network)


@login_required
@require_POST
def network_link_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = tenancy.get_writable_or_403(Network.objects.all(), request.user, slug=slug)
    services.link_delete(
        link=get_object_or_404(NetworkLink, pk=pk, network=network), user=request.user
    )
    return redirect(network)


def network_popolo(request: HttpRequest, slug: str) -> JsonResponse:
    network = selectors.network_get(user=request.user, slug=slug)
    return JsonResponse(
        selectors.network_popolo(user=request.user, network=network),
        json_dumps_params={"ensure_ascii": False},
    )


def _graph_filters(request: HttpRequest) -> tuple[GraphFilterForm, dict[str, str]]:
    form = GraphFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {name: filters.get(name) or "" for name in ("county", "theme", "sector", "role")}


def network_map(request: HttpRequest) -> HttpResponse:
    form, filters = _graph_filters(request)
    payload = graph.graph_payload(
        user=request.user,
        county_code=filters["county"],
        theme=filters["theme"],
        sector=filters["sector"],
        role=filters["role"],
    )
    return render(
        request,
        "actors/network_map.html",
        {
            "form": form,
            "payload": payload,
            "svg": mark_safe(graph.graph_svg(payload)),  # noqa: S308  (built with escape()) # nosec B308, B703
            "query": request.GET.urlencode(),
            "svg_limit": graph.SVG_NODE_LIMIT,
        },
    )


def network_map_data(request: HttpRequest) -> JsonResponse:
    _, filters = _graph_filters(request)
    payload = graph.graph_payload(
        user=request.user,
        county_code=filters["county"],
        theme=filters["theme"],
        sector=filters["sector"],
        role=filters["role"],
    )
    return JsonResponse(
        payload, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )


@login_required
def responsibility_add(request: HttpRequest, county_code: str) -> HttpResponse:
    """Declare what an organisation does for a theme in the county: a page of its own (the
    hub links here), with the error summary when something is missing."""
    county = get_object_or_404(County, code=county_code)
    organisations = selectors.organisation_claimable_list(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = ResponsibilityClaimForm(data, organisations=organisations)
    if data is not None and form.is_valid():
        try:
            services.responsibility_claim_create(
                user=request.user, county=county, **form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Ansvaret är registrerat."))
            return redirect(county.get_absolute_url() + "#ansvar")
    return render(
        request,
        "actors/responsibility_form.html",
        {"form": form, "county": county, "has_organisations": organisations.exists()},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def responsibility_delete(request: HttpRequest, pk: int) -> HttpResponse:
    claim = tenancy.get_writable_or_403(
        ResponsibilityClaim.objects.select_related("county"), request.user, pk=pk
    )
    services.responsibility_claim_delete(claim=claim, user=request.user)
    return redirect(claim.county.get_absolute_url() + "#ansvar")


def responsibility_xlsx(request: HttpRequest, county_code: str) -> HttpResponse:
    county = get_object_or_404(County, code=county_code)
    matrix = selectors.responsibility_matrix(user=request.user, county=county)
    binary = io.BytesIO()
    write_xlsx(selectors.responsibility_matrix_sheets(matrix), binary)
    response = HttpResponse(binary.getvalue(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="ansvarsmatris-{county.code}.xlsx"'
    return response
