"""Pages for agreements (överenskommelser): the list and one agreement with its parties,
principles and the meetings held under it. Reads go through the tenancy rules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samverkan.actors import selectors
from samverkan.actors.models import AgreementKind
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
    return render(
        request,
        "actors/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": selectors.agreement_parties(agreement=agreement),
            "principles": agreement.principles.all(),
            "meetings": meetings,
            "attendance": selectors.meeting_attendance_summary(meetings),
        },
    )
