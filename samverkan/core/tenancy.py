"""The one place that decides who may read or write a record.

Rules (PRODUCT.md, "Users"):
- an organisation's records are written only by its admins and editors;
- every member (viewer included) reads all of its own organisation's records;
- everyone signed in reads records whose visibility is ``internal`` or ``public``;
- anonymous visitors read only ``public`` records;
- rights that come with an organisation's kind (a county board reviewing its county's good
  examples, verifying its county's actors) and stewardship of other organisations are held
  only through a *verified* organisation (``Organisation.verified``);
- a record's history (every version's contents and who wrote it) is read by the members of the
  organisation that owned each version, and by superusers.

A model takes part by offering ``owned_by_q(ids)`` (a ``Q`` selecting records owned by
any of the organisation ids) and ``owner_ids()`` on instances; ``OwnedRecord`` and
``Organisation`` both do. Views, the API and jobs call the functions below and never
filter by owner themselves.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from samverkan.core.models import Visibility

M = TypeVar("M", bound=Model)

WRITE_ROLES = ("admin", "editor")
ALL_ROLES = ("admin", "editor", "viewer")


def organisation_ids(user: Any, roles: tuple[str, ...] = ALL_ROLES) -> set[int]:
    """Ids of the organisations where ``user`` holds one of ``roles`` (cached on the user)."""
    if user is None or not user.is_authenticated:
        return set()
    cache: dict[tuple[str, ...], set[int]] = user.__dict__.setdefault("_samverkan_org_ids", {})
    if roles not in cache:
        from django.apps import apps
        from django.conf import settings

        membership = apps.get_model(settings.TENANCY_MEMBERSHIP_MODEL)
        cache[roles] = set(
            membership._default_manager.filter(user=user, role__in=roles).values_list(
                "organisation_id", flat=True
            )
        )
    return cache[roles]


def organisation_counties(user: Any) -> set[int]:
    """Ids of the counties the user's organisations belong to ("ditt län")."""
    ids = organisation_ids(user)
    if not ids:
        return set()
    return set(
        organisation_model()
        ._default_manager.filter(pk__in=ids, county__isnull=False)
        .values_list("county_id", flat=True)
    )


def forget_cached_permissions(user: Any) -> None:
    user.__dict__.pop("_samverkan_org_ids", None)


def readable(queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    if user is not None and user.is_authenticated and user.is_superuser:
        return queryset
    if user is None or not user.is_authenticated:
        return queryset.filter(visibility=Visibility.PUBLIC)
    own = queryset.model.owned_by_q(organisation_ids(user))  # type: ignore[attr-defined]
    return queryset.filter(Q(visibility__in=[Visibility.PUBLIC, Visibility.INTERNAL]) | own)


def writable(queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(
        queryset.model.owned_by_q(organisation_ids(user, WRITE_ROLES))  # type: ignore[attr-defined]
    )


def can_read(user: Any, record: Model) -> bool:
    return readable(type(record)._default_manager.filter(pk=record.pk), user).exists()


def can_write(user: Any, record: Model) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(record.owner_ids() & organisation_ids(user, WRITE_ROLES))  # type: ignore[attr-defined]


def can_act_for(user: Any, organisation_id: int | None) -> bool:
    """May ``user`` create or change records on behalf of this organisation?"""
    if user is None or not user.is_authenticated or organisation_id is None:
        return False
    return user.is_superuser or organisation_id in organisation_ids(user, WRITE_ROLES)


def can_act_for_verified(
    user: Any, *, kind: str, county_id: int | None, roles: tuple[str, ...] = WRITE_ROLES
) -> bool:
    """May ``user`` act (with one of ``roles``) for a verified organisation of ``kind`` in
    ``county_id``? The rights a kind carries are held only through verified organisations, so
    that registering an organisation of that kind gives none."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if county_id is None:
        return False
    return verified_organisation_for(user, kind=kind, county_id=county_id, roles=roles) is not None


def verified_organisation_for(
    user: Any,
    *,
    kind: str,
    county_id: int | None = None,
    municipality_id: int | None = None,
    roles: tuple[str, ...] = WRITE_ROLES,
) -> Model | None:
    """The verified organisation of ``kind`` (in the county or municipality given) that
    ``user`` acts for with one of ``roles``, or None. Superusers act through none: callers
    that let them act decide that themselves."""
    if user is None or not user.is_authenticated or (county_id is None and municipality_id is None):
        return None
    if db_user(user) is None:  # the command line's operator is a member of nothing
        return None
    lookup: dict[str, Any] = {"kind": kind, "verified": True}
    if county_id is not None:
        lookup["county_id"] = county_id
    if municipality_id is not None:
        lookup["municipality_id"] = municipality_id
    return (
        organisation_model()
        ._default_manager.filter(pk__in=organisation_ids(user, roles), **lookup)
        .order_by("pk")
        .first()
    )


def organisation_model() -> type[Model]:
    """The organisation model (``settings.TENANCY_ORGANISATION_MODEL``), named in settings the way
    ``AUTH_USER_MODEL`` is, so that this framework layer imports no domain app."""
    from django.apps import apps
    from django.conf import settings

    return apps.get_model(settings.TENANCY_ORGANISATION_MODEL)


def acting_organisations(user: Any) -> QuerySet[Any]:
    """The organisations ``user`` may create or change records for, by name: those where the
    user is admin or editor; every organisation for a superuser. The one answer to "whom may I
    act for" (forms' owner choices, imports), matching ``can_act_for``."""
    organisations = organisation_model()._default_manager.order_by("name")
    if user is None or not user.is_authenticated:
        return organisations.none()
    if user.is_superuser:
        return organisations
    return organisations.filter(pk__in=organisation_ids(user, WRITE_ROLES))


def can_read_history(user: Any, owner_ids: set[int]) -> bool:
    """May ``user`` read a version's contents and author? Only the members (any role) of the
    organisations that owned the version, and superusers: a version may hold what was private
    when it was written, and who wrote it names a person."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or owner_ids & organisation_ids(user))


def get_readable_or_404(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    try:
        return readable(queryset, user).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def get_writable_or_403(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    """The record if ``user`` may write it; 404 if they cannot even read it, else 403."""
    record = get_readable_or_404(queryset, user, **lookup)
    if not can_write(user, record):
        raise PermissionDenied
    return record


class _SystemActor:
    """The command line acting as the platform's operator: reads and writes everything."""

    is_authenticated = True
    is_superuser = True
    is_anonymous = False
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM = _SystemActor()


def db_user(user: Any) -> Any:
    """The user to store on a record (history, audit): a real signed-in user, else None."""
    from django.contrib.auth import get_user_model

    return user if isinstance(user, get_user_model()) else None
