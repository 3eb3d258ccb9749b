"""Strategies, their focus areas and goals, action plans with activities and follow-ups, and
consultation rounds (remiss) on drafts.

Only ``Strategy`` is an ``OwnedRecord``; every other record here belongs to one strategy and is
read and written through it (``samverkan.core.tenancy`` decides on the strategy).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import Illustrative, OwnedRecord
from samverkan.core.versioning import Versioned
from samverkan.surveys.models import Recipient


class StrategyKind(models.TextChoices):
    INTEGRATION_STRATEGY = "integration_strategy", _("Integrationsstrategi")
    ACTION_PROGRAMME = "action_programme", _("Handlingsprogram")
    DIVERSITY_PLAN = "diversity_plan", _("Mångfaldsplan")
    REGIONAL_DEVELOPMENT = "regional_development", _("Regional utvecklingsstrategi (RUS/RUP)")
    GROWTH_AGREEMENT = "growth_agreement", _("Regionalt tillväxtavtal")


# The strategies integration work takes its starting point in (``builds_on``): the region's
# development strategy (RUS, earlier RUP) and the regional growth agreements of the 1990s.
DEVELOPMENT_KINDS = (StrategyKind.REGIONAL_DEVELOPMENT, StrategyKind.GROWTH_AGREEMENT)


class StrategyLevel(models.TextChoices):
    MUNICIPAL = "municipal", _("Kommunal")
    REGIONAL = "regional", _("Regional")
    ORGANISATION = "organisation", _("Organisationens egen")


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    CONSULTATION = "consultation", _("På remiss")
    ADOPTED = "adopted", _("Antagen")
    REVISED = "revised", _("Reviderad")


class Strategy(Illustrative, Versioned, OwnedRecord):
    """A strategy, action programme or diversity plan: vision, overarching goals, focus areas.

    Status changes (draft → consultation → adopted → revised) are kept in ``history``; who
    adopted it and when are fields of their own.
    """

    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(
        _("typ"),
        max_length=30,
        choices=StrategyKind.choices,
        default=StrategyKind.INTEGRATION_STRATEGY,
    )
    level = models.CharField(
        _("nivå"), max_length=20, choices=StrategyLevel.choices, default=StrategyLevel.MUNICIPAL
    )
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("län"),
    )
    period_start = models.PositiveSmallIntegerField(_("gäller från år"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("gäller till år"), null=True, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    summary = models.TextField(_("beskrivning"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT
    )
    adopted_by = models.CharField(
        _("antagen av"), max_length=200, blank=True, help_text=_("T.ex. kommunfullmäktige.")
    )
    adopted_on = models.DateField(_("antagen datum"), null=True, blank=True)
    revision_note = models.TextField(_("om revideringen"), blank=True)
    builds_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="built_on_by",
        limit_choices_to={"kind__in": DEVELOPMENT_KINDS},
        verbose_name=_("tar sin utgångspunkt i"),
        help_text=_(
            "Den regionala utvecklingsstrategin (RUS) eller det tillväxtavtal som "
            "strategin utgår från."
        ),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="strategy_period_order",
                violation_error_message=_("Periodens slutår kan inte ligga före startåret."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:strategy", args=[self.pk])

    @property
    def period(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}–{self.period_end}"
        return str(self.period_start or self.period_end or "")


class FocusArea(models.Model):
    """A focus area (fokusområde/insatsområde) of one strategy."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("strategi")
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "position", "pk"]
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")

    def __str__(self) -> str:
        return self.title


class Goal(Illustrative, models.Model):
    """A goal written to be followed up (SMART): overarching (no area) or under one focus area.

    A municipal goal may declare which regional strategy goals it contributes to.
    """

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="goals", verbose_name=_("strategi")
    )
    focus_area = models.ForeignKey(
        FocusArea,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("fokusområde"),
    )
    title = models.CharField(_("mål"), max_length=500)
    measure = models.CharField(
        _("mått"), max_length=300, blank=True, help_text=_("Hur målet mäts, t.ex. en indikator.")
    )
    baseline = models.CharField(_("utgångsläge"), max_length=200, blank=True)
    target = models.CharField(_("målvärde"), max_length=200, blank=True)
    target_date = models.DateField(_("måldatum"), null=True, blank=True)
    responsible = models.CharField(_("ansvarig"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    contributes_to = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="contributors",
        verbose_name=_("bidrar till regionala mål"),
    )
    history = HistoricalRecords(m2m_fields=[contributes_to])

    class Meta:
        ordering = ["strategy", "focus_area__position", "position", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overarching(self) -> bool:
        return self.focus_area_id is None


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


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Förbereds")
    OPEN = "open", _("Ute på remiss")
    CLOSED = "closed", _("Avslutad")
    WITHDRAWN = "withdrawn", _("Återkallad")


class Consultation(models.Model):
    """A consultation round (remiss) on a draft of a strategy, split into sections."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("strategi")
    )
    title = models.CharField(_("titel"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
    )
    deadline = models.DateTimeField(_("sista svarsdag"), null=True, blank=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("påminnelse dagar före sista svarsdag"),
        default=3,
        help_text=_(
            "De som inte har svarat får en påminnelse så många dagar före sista svarsdag "
            "(0 = ingen automatisk påminnelse)."
        ),
    )
    source_filename = models.CharField(_("källfil"), max_length=200, blank=True)
    # A round recorded from a source rather than sent from here: its recipients as the source
    # counts and describes them (kinds, where it names no one), not one invite per recipient.
    recipients_count = models.PositiveIntegerField(
        _("antal remissinstanser"), null=True, blank=True, help_text=_("Tomt om okänt.")
    )
    recipients_approximate = models.BooleanField(_("ungefärligt antal"), default=False)
    recipients_description = models.TextField(_("remissinstanser"), blank=True)
    period_note = models.CharField(
        _("när"), max_length=200, blank=True, help_text=_("Det källan säger om tidpunkten.")
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:consultation", args=[self.pk])


class ConsultationSection(models.Model):
    """One section of the draft (a heading and its paragraphs)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("rubrik"), max_length=300)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["consultation", "position"]

    def __str__(self) -> str:
        return self.heading

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


class ConsultationInvite(models.Model):
    """An organisation invited to respond, with its personal link token."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="invites")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    no_comments = models.BooleanField(_("inga synpunkter"), default=False)
    responded_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    delivery = models.CharField(
        _("utskick"), max_length=10, choices=Recipient.Delivery.choices, default="none"
    )
    delivery_attempts = models.PositiveIntegerField(default=0)
    delivery_error = models.TextField(blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    # Set by the one atomic conditional UPDATE that claims a reminder for this respondent
    # (``mailings.consultation_remind``), so two reminders at the same moment never both pass
    # the minimum interval.
    last_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["consultation", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"],
                name="consultation_invite_unique",
                violation_error_message=_("Organisationen är redan inbjuden."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} → {self.organisation}"


class ConsultationReminder(models.Model):
    """One reminder to one respondent who had not answered: automatic (before the deadline) or
    sent by the owner. ``round`` names the occasion; one reminder per invite and round, so a
    job that runs twice or a button pressed twice never reminds anyone twice."""

    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatisk")
        MANUAL = "manual", _("Skickad av ägaren")

    invite = models.ForeignKey(
        ConsultationInvite, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    round = models.CharField(max_length=60)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("av"),
    )
    email = models.EmailField(_("e-post"))
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    delivery = models.CharField(
        _("utskick"), max_length=10, choices=Recipient.Delivery.choices, default="queued"
    )
    delivery_error = models.TextField(blank=True)

    class Meta:
        ordering = ["invite", "-queued_at", "-pk"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["invite", "round"], name="consultation_reminder_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invite} ({self.round})"


class CommentDecision(models.TextChoices):
    PENDING = "pending", _("Ej behandlad")
    ACCEPTED = "accepted", _("Beaktad")
    REJECTED = "rejected", _("Ej beaktad")
    NOTED = "noted", _("Noterad")


class ConsultationComment(models.Model):
    """A respondent's comment on a section (or a passage of it, or the draft as a whole)."""

    invite = models.ForeignKey(
        ConsultationInvite, on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        ConsultationSection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    passage = models.TextField(_("citerat stycke"), blank=True)
    text = models.TextField(_("synpunkt"))
    decision = models.CharField(
        _("ställningstagande"),
        max_length=10,
        choices=CommentDecision.choices,
        default=CommentDecision.PENDING,
    )
    decision_reason = models.TextField(_("motivering"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section__position", "created_at", "pk"]
        verbose_name = _("remissynpunkt")
        verbose_name_plural = _("remissynpunkter")

    def __str__(self) -> str:
        return self.text[:60]


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
