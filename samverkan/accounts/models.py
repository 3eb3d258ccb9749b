"""People and their membership of organisations."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person; signs in with an e-mail address."""

    username = None  # type: ignore[assignment,misc]
    email = models.EmailField(_("e-postadress"), unique=True)
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._revoke_api_tokens = True

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._revoke_api_tokens = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new password (changed, reset, or made unusable) revokes the API keys: a key taken
        along with the old password must not outlive it."""
        revoke = self.__dict__.pop("_revoke_api_tokens", False) and self.pk is not None
        super().save(*args, **kwargs)
        if revoke:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()


class Role(models.TextChoices):
    ADMIN = "admin", _("Administratör")
    EDITOR = "editor", _("Redaktör")
    VIEWER = "viewer", _("Läsare")


class Membership(models.Model):
    """A user's role in an organisation: admin (manages members), editor (writes), viewer."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.CASCADE, related_name="user_memberships"
    )
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique_user_organisation",
                violation_error_message=_("Användaren är redan medlem i organisationen."),
            )
        ]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An organisation's offer of a role to a person, waiting for that person to accept or
    decline it (on their account page). Nobody becomes a member of an organisation without
    accepting: an admin who types an address does not enrol its owner."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="invitation_unique_user_organisation",
                violation_error_message=_("Personen är redan inbjuden till organisationen."),
            )
        ]
        ordering = ["-created_at"]
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.get_role_display()})"
