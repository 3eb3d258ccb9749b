"""Cross-cutting records: the audit log, background jobs, and the base of owned records."""

from __future__ import annotations

from typing import Any

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


REACH_FIELDS = (
    "participants_total",
    "participants_women",
    "participants_men",
    "participants_foreign_born",
    "participants_swedish_born",
    "money_women",
    "money_men",
    "money_foreign_born",
    "money_swedish_born",
)
# (label, participants field, money field), in the order the follow-up is shown
REACH_GROUPS = (
    (_("Kvinnor"), "participants_women", "money_women"),
    (_("Män"), "participants_men", "money_men"),
    (_("Utrikes födda"), "participants_foreign_born", "money_foreign_born"),
    (_("Inrikes födda"), "participants_swedish_born", "money_swedish_born"),
)


def _count(label: Any) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


class Reach(models.Model):
    """Whom the work reached, by sex and by background (foreign-born and Swedish-born): the
    number of participants and the money (kr) that reached each group, as the follow-up "by
    sex and ethnicity" asks (Tillväxtverket 2015). A figure not reported stays empty, never 0;
    the two breakdowns are separate, each at most the total."""

    participants_total = _count(_("deltagare totalt"))
    participants_women = _count(_("deltagare kvinnor"))
    participants_men = _count(_("deltagare män"))
    participants_foreign_born = _count(_("deltagare utrikes födda"))
    participants_swedish_born = _count(_("deltagare inrikes födda"))
    money_women = models.PositiveBigIntegerField(
        _("medel till kvinnor (kr)"), null=True, blank=True
    )
    money_men = models.PositiveBigIntegerField(_("medel till män (kr)"), null=True, blank=True)
    money_foreign_born = models.PositiveBigIntegerField(
        _("medel till utrikes födda (kr)"), null=True, blank=True
    )
    money_swedish_born = models.PositiveBigIntegerField(
        _("medel till inrikes födda (kr)"), null=True, blank=True
    )

    class Meta:
        abstract = True

    def reach_errors(self, *, money_total: int | None = None) -> dict[str, str]:
        """What does not add up: a breakdown above the total participants, or money to a
        group above the money spent."""
        from django.utils.translation import gettext

        errors: dict[str, str] = {}
        total = self.participants_total
        for a, b in (
            ("participants_women", "participants_men"),
            ("participants_foreign_born", "participants_swedish_born"),
        ):
            parts = [getattr(self, a), getattr(self, b)]
            known = sum(p for p in parts if p is not None)
            if total is not None and known > total:
                errors[a] = gettext("Fler deltagare i grupperna än deltagare totalt.")
        if money_total is not None:
            for a, b in (
                ("money_women", "money_men"),
                ("money_foreign_born", "money_swedish_born"),
            ):
                known = sum(v for v in (getattr(self, a), getattr(self, b)) if v is not None)
                if known > money_total:
                    errors[a] = gettext("Mer medel till grupperna än använda medel totalt.")
        return errors

    @property
    def has_reach(self) -> bool:
        return any(getattr(self, f) is not None for f in REACH_FIELDS)

    @property
    def reach_rows(self) -> list[tuple[str, int | None, int | None]]:
        """(group, participants, money) per group; None where not reported."""
        return [
            (str(label), getattr(self, people), getattr(self, money))
            for label, people, money in REACH_GROUPS
        ]
