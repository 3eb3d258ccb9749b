"""Reads of organisations, always through the tenancy rules."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.actors.models import Organisation
from samverkan.core import tenancy


def organisation_list(
    *,
    user: Any,
    query: str = "",
    kind: str = "",
    sector: str = "",
    county_code: str = "",
    municipality_code: str = "",
) -> QuerySet[Organisation]:
    organisations = tenancy.readable(
        Organisation.objects.select_related("county", "municipality"), user
    )
    if query:
        organisations = organisations.filter(name__icontains=query.strip())
    if kind:
        organisations = organisations.filter(kind=kind)
    if sector:
        organisations = organisations.filter(sector=sector)
    if county_code:
        organisations = organisations.filter(county__code=county_code)
    if municipality_code:
        organisations = organisations.filter(municipality__code=municipality_code)
    return organisations.order_by("name")


def organisation_get(*, user: Any, code: str) -> Organisation:
    return tenancy.get_readable_or_404(
        Organisation.objects.select_related("county", "municipality", "steward"), user, code=code
    )


def organisation_writable_list(*, user: Any) -> QuerySet[Organisation]:
    """Organisations on whose behalf ``user`` may write (their own, as admin or editor)."""
    if user.is_authenticated and user.is_superuser:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(
        id__in=tenancy.organisation_ids(user, tenancy.WRITE_ROLES)
    ).order_by("name")
