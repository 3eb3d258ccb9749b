"""Writes for users and memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.accounts.models import Invitation, Membership, Role, User
from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log

# "accounts.invitation.<created|accepted|...>"
AUDIT_INVITATION = audit_action("accounts.invitation.*")


def _check_admin(by: Any, organisation_id: int) -> None:
    if by is None:
        return  # system actions: setup, CLI
    if by.is_superuser or organisation_id in tenancy.organisation_ids(by, ("admin",)):
        return
    raise PermissionDenied(_("Endast organisationens administratörer hanterar medlemmar."))


@transaction.atomic
def membership_create(*, organisation: Any, user: User, role: str, by: Any) -> Membership:
    """Make ``user`` a member directly: for the platform itself (``by=None``: the registrant of
    a new organisation, setup) and superusers. An organisation's admins invite instead
    (``invitation_create``), and the person accepts."""
    if by is not None and not by.is_superuser:
        raise PermissionDenied(
            _("Medlemmar läggs till genom en inbjudan som personen själv godtar.")
        )
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


def _audit(action: str, *, by: Any, invitation: Invitation) -> None:
    audit_log(
        f"accounts.invitation.{action}",
        user=by,
        organisation_id=invitation.organisation_id,
        data={"user": invitation.user_id, "role": invitation.role},
    )


@transaction.atomic
def invitation_create(*, organisation: Any, email: str, role: str, by: Any) -> Invitation:
    """Invite a person by e-mail to a role; the account is created (without a password) if it
    does not exist. The person becomes a member only by accepting on their account page.
    Inviting again changes the role offered."""
    _check_admin(by, organisation.pk)
    if role not in Role.values:
        raise ValidationError({"role": _("Okänd roll: %s") % role})
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("%s är redan medlem i organisationen.") % user.email)
    invitation, _created = Invitation.objects.update_or_create(
        organisation=organisation,
        user=user,
        defaults={"role": role, "invited_by": tenancy.db_user(by)},
    )
    _audit("created", by=by, invitation=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    """The invited person accepts: the membership is made with the role offered."""
    invitation = _own_invitation(invitation, user)
    membership = membership_create(
        organisation=invitation.organisation, user=invitation.user, role=invitation.role, by=None
    )
    _audit("accepted", by=user, invitation=invitation)
    invitation.delete()
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: Any) -> None:
    invitation = _own_invitation(invitation, user)
    _audit("declined", by=user, invitation=invitation)
    invitation.delete()


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: Any) -> None:
    """The organisation's admins take back an invitation not yet answered."""
    _check_admin(by, invitation.organisation_id)
    _audit("withdrawn", by=by, invitation=invitation)
    invitation.delete()


def _own_invitation(invitation: Invitation, user: Any) -> Invitation:
    """The invitation, locked, if it is ``user``'s own; nobody answers for someone else."""
    if user is None or not user.is_authenticated or invitation.user_id != user.pk:
        raise PermissionDenied(_("Bara den inbjudna personen kan svara på inbjudan."))
    return (
        Invitation.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=invitation.pk)
    )
