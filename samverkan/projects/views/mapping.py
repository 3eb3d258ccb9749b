"""Pages for mapping rounds (kartläggningar): the list, one round, and the form in which a county
board (or another organisation, by its admins and editors) records a round with its groups of
respondents: municipalities, city districts or other actors, how many were asked and answered,
who they were when named, and who did not answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation, OrganisationKind
from samverkan.actors.selectors import organisation_writable_list
from samverkan.core import tenancy
from samverkan.core.forms import add_form_errors
from samverkan.geo.models import County
from samverkan.projects import selectors, services
from samverkan.projects.forms import MappingRoundForm, mapping_group_formset
from samverkan.projects.models import MappingRound
from samverkan.surveys.models import Campaign


def _groups(mapping: MappingRound) -> list[tuple[Any, str, list[Organisation]]]:
    return [
        (g, selectors.mapping_group_text(g), selectors.mapping_group_answered(g))
        for g in mapping.groups.all()
    ]


def _may_create(user: Any) -> bool:
    return bool(user.is_authenticated and organisation_writable_list(user=user).exists())


def mapping_round_list(request: HttpRequest) -> HttpResponse:
    """Mapping rounds (kartläggningar) with who was asked, who answered and what came of it."""
    county = request.GET.get("county", "")
    rounds = [
        (mapping, _groups(mapping))
        for mapping in selectors.mapping_round_list(user=request.user, county_code=county)
    ]
    create_url = reverse("projects:mapping_round_create")
    if county:
        create_url += f"?county={county}"
    return render(
        request,
        "projects/mapping_round_list.html",
        {
            "rounds": rounds,
            "counties": County.objects.order_by("code"),
            "selected": {"county": county},
            "create_url": create_url if _may_create(request.user) else "",
        },
    )


def mapping_round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = selectors.mapping_round_get(user=request.user, pk=pk)
    return render(
        request,
        "projects/mapping_round_detail.html",
        {
            "mapping": mapping,
            "groups": _groups(mapping),
            "can_write": tenancy.can_write(request.user, mapping),
        },
    )


def _respondent_choices(user: Any, county_ids: set[int], keep: set[int]) -> QuerySet[Organisation]:
    """The organisations a group may name: the readable ones in the round's county (or the
    user's counties while the round has none), else every municipality and city district; plus
    those already named, so that an edit keeps them. Municipalities come first, then city
    districts, then the other actors."""
    readable = tenancy.readable(Organisation.objects.all(), user)
    if county_ids:
        readable = readable.filter(county_id__in=county_ids)
    else:
        readable = readable.filter(
            kind__in=(OrganisationKind.MUNICIPALITY, OrganisationKind.CITY_DISTRICT)
        )
    first = Case(
        When(kind=OrganisationKind.MUNICIPALITY, then=Value(0)),
        When(kind=OrganisationKind.CITY_DISTRICT, then=Value(1)),
        default=Value(2),
    )
    chosen = Q(pk__in=readable.values("pk")) | Q(pk__in=keep)
    return Organisation.objects.filter(chosen).order_by(first, "name")


def _campaigns(user: Any, keep: int | None) -> QuerySet[Campaign]:
    """The campaigns of the user's own organisations (and the one already linked)."""
    own = tenancy.writable(Campaign.objects.all(), user)
    return Campaign.objects.filter(Q(pk__in=own.values("pk")) | Q(pk=keep or 0)).order_by(
        "-deadline", "title"
    )


def _form_page(
    request: HttpRequest,
    *,
    mapping: MappingRound | None,
    owners: QuerySet[Organisation] | None,
) -> HttpResponse:
    """The create and the edit page: the round's fields and its groups, validated together,
    with every error listed in the summary at the top."""
    existing = list(mapping.groups.all()) if mapping else []
    keep = {o.pk for g in existing for o in (*g.respondents.all(), *g.non_respondents.all())}
    initial: dict[str, Any] = {}
    if mapping is None:
        code = request.GET.get("county", "")
        county = County.objects.filter(code=code).first() if code else None
        if county is None and owners is not None:
            first = owners.filter(county__isnull=False).order_by("pk").first()
            county = first.county if first else None
        if county is not None:
            initial["county"] = county.pk
        if owners is not None:
            county_boards = owners.filter(kind=OrganisationKind.COUNTY_BOARD)
            if county is not None:
                county_boards = county_boards.filter(county=county)
            chosen = county_boards.first() or owners.first()
            initial["owner"] = chosen.pk if chosen else None
    # The organisations offered: those of the county the round is (being) given, else of the
    # user's counties; a superuser without a county gets every municipality and city district.
    posted_county = str(request.POST.get("county", "")) if request.method == "POST" else ""
    county_ids: set[int] = set()
    if posted_county.isdigit():
        county_ids = {int(posted_county)}
    elif request.method != "POST" and initial.get("county"):
        county_ids = {initial["county"]}
    elif request.method != "POST" and mapping is not None and mapping.county_id:
        county_ids = {mapping.county_id}
    elif not request.user.is_superuser:
        county_ids = tenancy.organisation_counties(request.user)
    form = MappingRoundForm(
        request.POST or None,
        owners=owners,
        campaigns=_campaigns(request.user, mapping.campaign_id if mapping else None),
        mapping=mapping,
        **({"initial": initial} if mapping is None else {}),
    )
    organisations = _respondent_choices(request.user, county_ids, keep)
    formset = mapping_group_formset(extra=2 if not existing else 1)(
        request.POST or None,
        prefix="groups",
        initial=[
            {
                "label": g.label,
                "respondent_kind": g.respondent_kind,
                "asked": g.asked,
                "answered": g.answered,
                "answered_percent": g.answered_percent,
                "approximate": g.approximate,
                "respondents": [o.pk for o in g.respondents.all()],
                "non_respondents": [o.pk for o in g.non_respondents.all()],
                "note": g.note,
            }
            for g in existing
        ],
        form_kwargs={"organisations": organisations},
    )
    if request.method == "POST":
        form_valid = form.is_valid()
        county = form.cleaned_data.get("county") if form_valid else None
        for group_form in formset.forms:
            group_form.county_id = county.pk if county else None
        if form_valid and formset.is_valid():
            arguments = form.service_arguments()
            try:
                if mapping is None:
                    mapping = services.mapping_round_create(
                        user=request.user,
                        owner=form.cleaned_data["owner"],
                        groups=formset.groups(),
                        **arguments,
                    )
                    messages.success(request, _("%s är registrerad.") % mapping)
                else:
                    services.mapping_round_update(
                        mapping=mapping, user=request.user, groups=formset.groups(), **arguments
                    )
                    messages.success(request, _("Ändringarna är sparade."))
            except ValidationError as exc:
                add_form_errors(form, exc)
                if mapping is not None:
                    mapping.refresh_from_db()  # the page names the round as it is stored
            else:
                return redirect(mapping)
    group_errors = [
        (number, group_form)
        for number, group_form in enumerate(formset.forms, start=1)
        if group_form.errors
    ]
    return render(
        request,
        "projects/mapping_round_form.html",
        {
            "form": form,
            "formset": formset,
            "group_errors": group_errors,
            "has_errors": bool(form.errors or group_errors or formset.non_form_errors()),
            "mapping": mapping,
            "creating": owners is not None,
        },
    )


@login_required
def mapping_round_create(request: HttpRequest) -> HttpResponse:
    owners = organisation_writable_list(user=request.user)
    if not owners.exists():
        return render(
            request, "projects/mapping_round_form.html", {"creating": True, "no_owners": True}
        )
    return _form_page(request, mapping=None, owners=owners)


@login_required
def mapping_round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = tenancy.get_writable_or_403(
        MappingRound.objects.select_related("county", "owner"), request.user, pk=pk
    )
    return _form_page(request, mapping=mapping, owners=None)
