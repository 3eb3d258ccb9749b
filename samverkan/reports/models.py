"""Saved report choices (templates) and generated report files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import OwnedRecord


class ReportKind(models.TextChoices):
    COUNTY = "county", _("Länsrapport")
    NATIONAL = "national", _("Nationell rapport")
    NETWORK = "network", _("Nätverksrapport")


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"
    XLSX = "xlsx", "XLSX (Excel)"


CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportTemplate(OwnedRecord):
    """A saved choice of scope (county, nation or network), period and sections."""

    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10, choices=ReportKind.choices)
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("län"),
    )
    network = models.ForeignKey(
        "actors.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("nätverk"),
    )
    year_start = models.PositiveSmallIntegerField(_("från år"))
    year_end = models.PositiveSmallIntegerField(_("till år"))
    sections = models.JSONField(_("avsnitt"), default=list)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("rapportmall")
        verbose_name_plural = _("rapportmallar")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_end__gte=models.F("year_start")),
                name="reporttemplate_year_order",
                violation_error_message=_("Slutåret kan inte ligga före startåret."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:template", args=[self.pk])


class GeneratedReport(OwnedRecord):
    """One built report file: its inputs, the data snapshot time, the file and its hash.

    Status and progress live on the background ``Job`` that builds it. Publishing sets the
    visibility to public, which shows the report on the organisation's public page.
    """

    title = models.CharField(_("titel"), max_length=300)
    template = models.ForeignKey(
        ReportTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("rapportmall"),
    )
    kind = models.CharField(_("typ"), max_length=10, choices=ReportKind.choices)
    county = models.ForeignKey(
        "geo.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    network = models.ForeignKey(
        "actors.Network", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year_start = models.PositiveSmallIntegerField(_("från år"))
    year_end = models.PositiveSmallIntegerField(_("till år"))
    sections = models.JSONField(_("avsnitt"), default=list)
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    public_data = models.BooleanField(
        _("endast öppna uppgifter"),
        default=False,
        help_text=_("Byggd med det som alla får läsa; krävs för att publicera rapporten."),
    )
    recommendations = models.TextField(
        _("utmaningar och rekommendationer"),
        blank=True,
        max_length=20_000,
        help_text=_("Skrivs av rapportens författare och blir rapportens sista kapitel."),
    )
    snapshot_at = models.DateTimeField(_("dataläge"))
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.BinaryField(_("fil"), null=True, blank=True, editable=False)
    content_hash = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("genererad rapport")
        verbose_name_plural = _("genererade rapporter")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return bool(self.content_hash)

    @property
    def filename(self) -> str:
        from django.utils.text import slugify

        return f"{slugify(self.title) or 'rapport'}-{self.snapshot_at:%Y%m%d}.{self.format}"
