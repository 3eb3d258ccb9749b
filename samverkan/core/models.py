"""Cross-cutting records: the audit log, background jobs, and the base of owned records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Endast egen organisation")
    INTERNAL = "internal", _("Inloggade användare")
    PUBLIC = "public", _("Alla (publicerad öppet)")


class OwnedRecord(models.Model):
    """A record owned by one organisation: only its editors write it, ``visibility`` says who reads.

    Every domain record except the organisation itself inherits from this, so that
    ``samverkan.core.tenancy`` can decide access in one place.
    """

    owner_id: int
    owner = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ägare"),
    )
    visibility = models.CharField(
        _("synlighet"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True

    @classmethod
    def owned_by_q(cls, organisation_ids: set[int]) -> Q:
        return Q(owner_id__in=organisation_ids)

    def owner_ids(self) -> set[int]:
        return {self.owner_id}


class Illustrative(models.Model):
    """A record that is an invented fill-in (demo data), shown with a visible badge.

    The demo fills out what a report describes but does not give (goal wordings, activity
    titles, amounts); such records say so with this flag instead of a marker in their text.
    """

    illustrative = models.BooleanField(
        _("illustrativt exempel"),
        default=False,
        help_text=_("Påhittat exempel som visar hur uppgiften kan se ut; inte hämtat ur källan."),
    )

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One action worth keeping beside the per-record history: imports, exports, restores."""

    action = models.CharField(max_length=100, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("granskningspost")
        verbose_name_plural = _("granskningslogg")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Job(models.Model):
    """A background job: a registered task name and its keyword arguments (ids, never objects)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    name = models.CharField(max_length=100)
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    run_after = models.DateTimeField(db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "run_after"], name="job_status_run_after")]

    def __str__(self) -> str:
        return f"{self.name}#{self.pk} ({self.status})"


class ImportRun(models.Model):
    """A large import running as a background job: the uploaded file until the job has read
    it, then what came of it (the counts, or every error by row and column)."""

    kind = models.CharField(max_length=50)
    filename = models.CharField(max_length=255)
    data = models.BinaryField(editable=False, blank=True)
    rows_estimated = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    acting_for = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.PositiveIntegerField(null=True, blank=True)
    updated = models.PositiveIntegerField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    audit = models.ForeignKey(
        "core.AuditEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:import_run", args=[self.pk])

    @property
    def status(self) -> str:
        """queued, running, done, rejected (errors in the file) or failed (the job broke)."""
        if self.errors:
            return "rejected"
        if self.created is not None:
            return "done"
        return self.job.status if self.job is not None else "queued"
