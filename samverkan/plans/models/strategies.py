"""Strategies, their focus areas and goals."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import Illustrative, OwnedRecord
from samverkan.core.versioning import Versioned


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
