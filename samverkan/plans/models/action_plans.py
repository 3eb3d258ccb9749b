"""Action plans, activities, follow-ups and the plan's PDF exports."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import Illustrative
from samverkan.core.versioning import Versioned
from samverkan.plans.models.strategies import DEVELOPMENT_KINDS, Goal, Strategy


class Weighting(models.TextChoices):
    BUDGET = "budget", _("Viktat efter budget")
    EQUAL = "equal", _("Lika vikt")


class ActionPlan(Versioned, models.Model):
    """A yearly (or multi-year) action plan under a strategy; ``previous`` is the plan it was
    rolled over from."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="plans", verbose_name=_("strategi")
    )
    title = models.CharField(_("titel"), max_length=300)
    year_start = models.PositiveSmallIntegerField(_("från år"))
    year_end = models.PositiveSmallIntegerField(_("till år"))
    weighting = models.CharField(
        _("viktning av framsteg"),
        max_length=10,
        choices=Weighting.choices,
        default=Weighting.BUDGET,
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        verbose_name=_("föregående plan"),
    )
    note = models.TextField(_("anteckning"), blank=True)
    builds_on = models.ManyToManyField(
        Strategy,
        blank=True,
        related_name="plans_built_on",
        limit_choices_to={"kind__in": DEVELOPMENT_KINDS},
        verbose_name=_("tar sin utgångspunkt i"),
        help_text=_("RUS eller tillväxtavtal som planen utgår från, utöver sin egen strategi."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "-year_start", "pk"]
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_end__gte=models.F("year_start")),
                name="actionplan_year_order",
                violation_error_message=_("Planens slutår kan inte ligga före startåret."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.pk])

    @property
    def years(self) -> str:
        return (
            str(self.year_start)
            if self.year_start == self.year_end
            else f"{self.year_start}–{self.year_end}"
        )


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    STARTED = "started", _("Påbörjad")
    DONE = "done", _("Genomförd")
    PAUSED = "paused", _("Pausad")
    CANCELLED = "cancelled", _("Struken")


UNFINISHED_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.STARTED, ActivityStatus.PAUSED)
STATUSES_NEEDING_REASON = (ActivityStatus.PAUSED, ActivityStatus.CANCELLED)


class Activity(Illustrative, models.Model):
    """An activity (aktivitet/insats) of an action plan.

    ``version`` grows by one on every edit; an edit made from an older version is refused
    (optimistic locking), so no concurrent edit is silently lost.
    """

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("handlingsplan"),
    )
    title = models.CharField(_("aktivitet"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    goals = models.ManyToManyField(
        Goal,
        blank=True,
        related_name="activities",
        verbose_name=_("mål som aktiviteten bidrar till"),
    )
    responsible_organisation = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    responsible_unit = models.CharField(_("ansvarig enhet"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="+", verbose_name=_("samverkanspartner")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("varaktighet (månader)"), null=True, blank=True
    )
    end_date = models.DateField(_("slut"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    hours = models.PositiveIntegerField(_("timmar"), null=True, blank=True)
    target_groups = models.ManyToManyField(
        "actors.TargetGroup", blank=True, related_name="+", verbose_name=_("målgrupper")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    status_reason = models.TextField(
        _("skäl till status"), blank=True, help_text=_("Varför aktiviteten pausats eller strukits.")
    )
    progress = models.PositiveSmallIntegerField(_("framsteg (%)"), default=0)
    impact_note = models.TextField(
        _("barn- och jämställdhetskonsekvenser"),
        blank=True,
        help_text=_("Barnperspektiv och konsekvenser efter kön, bakgrund och ålder."),
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        verbose_name=_("kopierad från"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(m2m_fields=[goals, partners, target_groups])

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="activity_dates_order",
                violation_error_message=_("Aktiviteten kan inte sluta innan den börjar."),
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="activity_progress_max"),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="activity_plan_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:activity", args=[self.pk])

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or datetime.date.today()
        return (
            self.end_date is not None
            and self.end_date < today
            and self.status in UNFINISHED_STATUSES
        )


class FollowUp(Illustrative, models.Model):
    """A follow-up (avstämning) of one activity: status, progress and a comment, by whom."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("aktivitet")
    )
    date = models.DateField(_("datum"))
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices)
    progress = models.PositiveSmallIntegerField(_("framsteg (%)"))
    comment = models.TextField(_("kommentar"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("av"),
    )
    by_name = models.CharField(_("av (namn)"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "-date", "-pk"]
        verbose_name = _("avstämning")
        verbose_name_plural = _("avstämningar")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="followup_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.activity}"


class PlanExport(models.Model):
    """A PDF of an action plan with its status, built in the background (``plans.export_pdf``).

    Readable by whoever can read the plan (decided on its strategy); status and progress live on
    the ``Job``. The job re-checks that the requesting user may still read the plan.
    """

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="exports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activities = models.PositiveIntegerField(_("aktiviteter"), default=0)
    content = models.BinaryField(_("fil"), null=True, blank=True, editable=False)
    content_hash = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("PDF av handlingsplan")
        verbose_name_plural = _("PDF:er av handlingsplaner")

    def __str__(self) -> str:
        return f"{self.plan} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_pdf_status", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return bool(self.content_hash)

    @property
    def filename(self) -> str:
        return f"handlingsplan-{self.plan_id}-{self.created_at:%Y%m%d-%H%M}.pdf"
