"""Writes for users and memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.accounts.models import Membership, Role, User
from samverkan.core import tenancy


def _check_admin(by: Any, organisation_id: int) -> None:
    if by is None:
        return  # system actions: setup, CLI
    if by.is_superuser or organisation_id in tenancy.organisation_ids(by, ("admin",)):
        return
    raise PermissionDenied(_("Endast organisationens administratörer hanterar medlemmar."))


@transaction.atomic
def membership_create(*, organisation: Any, user: User, role: str, by: Any) -> Membership:
    _check_admin(by, organisation.pk)
    if role not in Role.values:
        raise ValidationError({"role": _("Okänd roll: %s") % role})
    membership = Membership(organisation=organisation, user=user, role=role)
    membership.full_clean()
    membership.save()
    tenancy.forget_cached_permissions(user)
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: Any) -> Membership:
    _check_admin(by, membership.organisation_id)
    if role not in Role.values:
        raise ValidationError({"role": _("Okänd roll: %s") % role})
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_another_admin(membership)
    membership.role = role
    membership.save()
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, by: Any) -> None:
    _check_admin(by, membership.organisation_id)
    if membership.role == Role.ADMIN:
        _ensure_another_admin(membership)
    membership.delete()


def _ensure_another_admin(membership: Membership) -> None:
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("En organisation måste ha minst en administratör."))


def user_invite(*, email: str, organisation: Any, role: str, by: Any) -> Membership:
    """Add a person by e-mail; creates the account (without password) if it does not exist."""
    _check_admin(by, organisation.pk)
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        user = User.objects.create_user(email=email.strip(), password=None)
    return membership_create(organisation=organisation, user=user, role=role, by=by)
