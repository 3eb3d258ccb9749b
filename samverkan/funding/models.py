"""Project funding: calls (utlysningar), applications (ansökningar), assessment, decisions and
reporting back (återrapportering).

A call is owned by the funder organisation; an application by the applicant organisation.
Who may read or assess an application is decided in one place, ``samverkan.funding.access``.
Scores, decisions, attachments and reports belong to their application and are read through it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import Illustrative, OwnedRecord, Reach
from samverkan.core.versioning import Versioned
from samverkan.projects.models import ParticipantRole

SCORE_MIN, SCORE_MAX = 0, 5


class Perspective(models.TextChoices):
    INTEGRATION = "integration", _("Integrations- och mångfaldsperspektiv")
    GENDER = "gender", _("Jämställdhetsperspektiv")
    CHILD = "child", _("Barnperspektiv")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    OPEN = "open", _("Öppen")
    CLOSED = "closed", _("Stängd")


class Call(Illustrative, Versioned, OwnedRecord):
    """A call for applications (utlysning) published by a funder organisation."""

    title = models.CharField(_("titel"), max_length=300)
    purpose = models.TextField(_("syfte"), blank=True)
    budget = models.PositiveBigIntegerField(_("budget (kr)"))
    eligible_kinds = models.JSONField(
        _("behöriga sökande (typer)"),
        default=list,
        blank=True,
        help_text=_("Tom lista: alla typer av organisationer får söka."),
    )
    eligible_counties = models.ManyToManyField(
        "geo.County", blank=True, related_name="funding_calls", verbose_name=_("behöriga län")
    )
    required_perspectives = models.JSONField(_("krävda perspektiv"), default=list, blank=True)
    period_start = models.DateField(_("projektperiod från"), null=True, blank=True)
    period_end = models.DateField(_("projektperiod till"), null=True, blank=True)
    deadline = models.DateTimeField(_("sista ansökningsdag"))
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline", "title"]
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysningar")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:call", args=[self.pk])

    def perspective_labels(self) -> list[str]:
        labels = dict(Perspective.choices)
        return [str(labels.get(p, p)) for p in self.required_perspectives]


class Criterion(models.Model):
    """An assessment criterion of a call: weight (relative) and guidance for assessors."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("kriterium"), max_length=300)
    guidance = models.TextField(_("vägledning"), blank=True)
    weight = models.PositiveSmallIntegerField(_("vikt"), default=1)
    perspective = models.CharField(
        _("perspektiv"), max_length=12, choices=Perspective.choices, blank=True
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("bedömningskriterium")
        verbose_name_plural = _("bedömningskriterier")

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inskickad")
    WITHDRAWN = "withdrawn", _("Återtagen")


class Application(Illustrative, Versioned, OwnedRecord):
    """An application (ansökan) to a call, owned by the applicant organisation."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    title = models.CharField(_("projektets namn"), max_length=300)
    summary = models.TextField(_("sammanfattning"), blank=True)
    description = models.TextField(_("projektbeskrivning"), blank=True)
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("län"),
    )
    themes = models.ManyToManyField("actors.Theme", blank=True, related_name="+")
    target_groups = models.ManyToManyField("actors.TargetGroup", blank=True, related_name="+")
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    total_budget = models.PositiveBigIntegerField(_("total budget (kr)"), default=0)
    requested_amount = models.PositiveBigIntegerField(_("sökt belopp (kr)"), default=0)
    expected_results = models.TextField(_("förväntade resultat"), blank=True)
    perspectives = models.JSONField(_("perspektiv"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funding_applications",
        verbose_name=_("projekt i kunskapsbanken"),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["perspectives"])

    class Meta:
        ordering = ["call", "title"]
        indexes = [models.Index(fields=["call", "status"], name="application_call_status")]
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:application", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == ApplicationStatus.SUBMITTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ApplicationStatus.WITHDRAWN

    @classmethod
    def funder_q(cls, organisation_ids: set[int]) -> Q:
        """The funder reads submitted applications, and those withdrawn after submission."""
        return Q(call__owner_id__in=organisation_ids, status=ApplicationStatus.SUBMITTED) | Q(
            call__owner_id__in=organisation_ids,
            status=ApplicationStatus.WITHDRAWN,
            submitted_at__isnull=False,
        )


class ApplicationPartner(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("roll"), max_length=12, choices=ParticipantRole.choices)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation", "role"], name="funding_partner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} ({self.role})"


class BudgetLine(models.Model):
    """One cost line of the application's budget table."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField(default=1)
    item = models.CharField(_("kostnadspost"), max_length=200)
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class CoFinancing(models.Model):
    """Money from another source than the call (medfinansiering)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="co_financing"
    )
    funder = models.CharField(_("medfinansiär"), max_length=200)
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))

    class Meta:
        ordering = ["-amount", "funder"]

    def __str__(self) -> str:
        return f"{self.funder}: {self.amount}"


class PromisedIndicator(models.Model):
    """A result the applicant promises to reach, reported against later."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=50, blank=True)
    target = models.DecimalField(_("målvärde"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    """A file attached to an application; its content was checked by its first bytes."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("filnamn"), max_length=200)
    file_type = models.CharField(_("filtyp"), max_length=10)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class ConflictDeclaration(models.Model):
    """An assessor's declaration of (no) conflict of interest (jäv) for one application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    has_conflict = models.BooleanField(_("jävig"))
    note = models.TextField(_("kommentar"), blank=True)
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="funding_coi_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessor_id}: {'jäv' if self.has_conflict else 'ej jäv'}"


class Score(models.Model):
    """One assessor's score of one criterion for one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("poäng"))
    comment = models.TextField(_("kommentar"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "assessor"], name="funding_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=SCORE_MAX), name="funding_score_in_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Beviljad")
    PARTLY = "partly", _("Delvis beviljad")
    REJECTED = "rejected", _("Avslag")


class Decision(models.Model):
    """The funder's decision on an application, with the decision letter once generated."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("beslut"), max_length=10, choices=Outcome.choices)
    amount = models.PositiveBigIntegerField(_("beviljat belopp (kr)"), default=0)
    conditions = models.TextField(_("villkor"), blank=True)
    reasons = models.TextField(_("motivering"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("beslutsdatum"))
    letter_pdf = models.BinaryField(null=True, blank=True)
    letter_docx = models.BinaryField(null=True, blank=True)
    letter_generated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["letter_pdf", "letter_docx"])

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def is_granted(self) -> bool:
        return self.outcome in (Outcome.GRANTED, Outcome.PARTLY)


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Lägesrapport")
    FINAL = "final", _("Slutrapport")


class FundingReport(Reach, models.Model):
    """A report back (återrapport) due from a granted application, with whom it reached
    (participants and money by sex and background, ``Reach``)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("typ"), max_length=10, choices=ReportKind.choices)
    due_date = models.DateField(_("senast"))
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    progress = models.TextField(_("hur arbetet gått"), blank=True)
    money_spent = models.PositiveBigIntegerField(_("använda medel (kr)"), null=True, blank=True)
    results = models.JSONField(
        _("uppnådda resultat per indikator"),
        default=dict,
        blank=True,
        help_text="{indicator id: achieved value}",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("återrapport")
        verbose_name_plural = _("återrapporter")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_date}"

    def get_absolute_url(self) -> str:
        return reverse("funding:report", args=[self.pk])

    def overspend(self, granted: int) -> int:
        """How much more than ``granted`` the report says was spent (0 if within the grant)."""
        return max(0, (self.money_spent or 0) - granted)
