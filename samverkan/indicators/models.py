"""Indicators, their observations per area, period and breakdown, and targets to follow up.

Observations are the one big table (designed for 10 million rows): integer period, small
integer area type, short area code and a small foreign key to the breakdown (sex, age band,
birth region, extra dimensions), so that a row stays around 40 bytes; one index
(indicator, breakdown, area type, area code, period) serves series, rankings and uniqueness.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import OwnedRecord, Visibility
from samverkan.core.versioning import Versioned


class SourceKind(models.TextChoices):
    KOLADA = "kolada", _("Kolada (nyckeltal)")
    SCB = "scb", _("SCB:s statistikdatabas (tabell)")
    EUROSTAT = "eurostat", _("Eurostat (dataset)")
    OWN = "own", _("Egen uppgift")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Högre är bättre")
    LOWER = "lower", _("Lägre är bättre")
    NEUTRAL = "neutral", _("Ingen riktning")


class Sex(models.TextChoices):
    TOTAL = "T", _("Totalt")
    WOMEN = "K", _("Kvinnor")
    MEN = "M", _("Män")


class BirthRegion(models.TextChoices):
    TOTAL = "", _("Samtliga")
    SWEDEN = "sverige", _("Född i Sverige")
    NORDIC = "norden", _("Född i Norden utom Sverige")
    EU = "eu", _("Född i EU utom Norden")
    OUTSIDE_EU = "utanfor-eu", _("Född utanför EU")
    FOREIGN = "utrikes", _("Utrikes född")


class AreaType(models.IntegerChoices):
    NATION = 0, _("Riket")
    COUNTY = 1, _("Län")
    MUNICIPALITY = 2, _("Kommun")
    OWN = 3, _("Eget område")


class ObservationStatus(models.IntegerChoices):
    NORMAL = 0, ""  # shown as nothing; gettext("") would return the catalogue header
    PROVISIONAL = 1, _("Preliminär")
    MISSING = 2, _("Saknas")
    SUPPRESSED = 3, _("Skyddad (sekretess)")
    # generated for the demo, not statistics (``indicators.illustrative``)
    ILLUSTRATIVE = 4, _("Illustrativt värde")


class Indicator(Versioned, models.Model):
    """One measure, e.g. "Förvärvsarbetande 20–64 år, utrikes födda (%)".

    The shared catalogue has no owner (read by everyone, written by the platform's operators);
    an organisation's own indicators have an owner and a visibility like any owned record.
    """

    code = models.SlugField(_("id"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("enhet"), max_length=40)
    area = models.CharField(_("område (Zaragoza)"), max_length=40, blank=True)
    source_kind = models.CharField(_("källa"), max_length=10, choices=SourceKind.choices)
    source_id = models.CharField(
        _("källans id"),
        max_length=60,
        blank=True,
        help_text=_("Kolada-KPI, SCB-tabell eller Eurostat-dataset."),
    )
    source_note = models.TextField(_("källhänvisning"), blank=True)
    direction = models.CharField(
        _("riktning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    by_sex = models.BooleanField(_("per kön"), default=False)
    age_bands = models.JSONField(_("åldersgrupper"), default=list, blank=True)
    birth_regions = models.JSONField(_("födelseregioner"), default=list, blank=True)
    extra_dimensions = models.JSONField(_("övriga dimensioner"), default=list, blank=True)
    owner = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ägare"),
    )
    visibility = models.CharField(
        _("synlighet"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "code"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("indicators:detail", args=[self.code])

    @classmethod
    def owned_by_q(cls, organisation_ids: set[int]) -> Q:
        return Q(owner_id__in=organisation_ids)

    def owner_ids(self) -> set[int]:
        return {self.owner_id} if self.owner_id else set()


class Breakdown(models.Model):
    """A combination of disaggregations; observations point to it with a 2-byte key."""

    id = models.SmallAutoField(primary_key=True)
    sex = models.CharField(_("kön"), max_length=1, choices=Sex.choices, default=Sex.TOTAL)
    age_band = models.CharField(_("åldersgrupp"), max_length=20, blank=True)
    birth_region = models.CharField(_("födelseregion"), max_length=20, blank=True)
    extra = models.CharField(
        _("övrigt"),
        max_length=200,
        blank=True,
        help_text=_("Övriga dimensioner som dim=kod;dim=kod."),
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sex", "age_band", "birth_region", "extra"], name="breakdown_unique"
            )
        ]

    def __str__(self) -> str:
        parts = [self.get_sex_display()]
        if self.age_band:
            parts.append(f"{self.age_band} år")
        if self.birth_region:
            parts.append(
                str(BirthRegion(self.birth_region).label)
                if self.birth_region in BirthRegion.values
                else self.birth_region
            )
        if self.extra:
            parts.append(self.extra)
        return ", ".join(parts)


class Observation(models.Model):
    """One value of an indicator for one area, period and breakdown.

    Children of an indicator: readable by whoever reads the indicator. ``period`` is encoded by
    ``samverkan.indicators.periods``; ``area_code`` is ``0000`` (Sweden), a two-digit county
    code, a four-digit municipality code or an own area code starting with ``omr-``.
    """

    # No separate FK indexes: the unique constraint starts with the indicator, and breakdowns
    # are never deleted; fewer indexes keep bulk loading fast.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    area_type = models.SmallIntegerField(choices=AreaType.choices)
    area_code = models.CharField(max_length=40)
    period = models.IntegerField()
    breakdown = models.ForeignKey(
        Breakdown, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    value = models.FloatField(null=True)
    status = models.SmallIntegerField(
        choices=ObservationStatus.choices, default=ObservationStatus.NORMAL
    )
    # Where this value comes from when it is not the indicator's own source (e.g. a figure
    # quoted from Ekonomifakta in a report, stored under an indicator defined by Eurostat).
    # Empty: the indicator's source. ``db_default`` so the bulk loaders' COPY/INSERT, which name
    # their columns, need not know it.
    source = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        # One index, which is also the uniqueness rule: a time series is a range of it, a
        # ranking (one period) is one seek per area (``selectors.ranking``). A second index in
        # another order made every bulk insert land at scattered places (measured: 3 of the 7
        # CPU-seconds of a 1,000,000-row SQLite import).
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "breakdown", "area_type", "area_code", "period"],
                name="observation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code} {self.period}: {self.value}"


class Target(OwnedRecord):
    """An organisation's target for an indicator in one area and breakdown, optionally the
    follow-up of a goal in one of its strategies (``goal``; the plans app shows it on the
    goal as ``goal.indicator_targets``)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indikator")
    )
    title = models.CharField(_("mål"), max_length=200)
    area_code = models.CharField(_("område"), max_length=40)
    breakdown = models.ForeignKey(
        Breakdown, on_delete=models.PROTECT, related_name="+", verbose_name=_("uppdelning")
    )
    baseline_year = models.PositiveSmallIntegerField(_("basår"))
    baseline_value = models.FloatField(_("utgångsvärde"))
    target_year = models.PositiveSmallIntegerField(_("målår"))
    target_value = models.FloatField(_("målvärde"))
    goal = models.ForeignKey(
        "plans.Goal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator_targets",
        verbose_name=_("mål i strategi"),
        help_text=_("Strategins mål som indikatorn följer upp (område, målvärde och målår här)."),
    )
    goal_reference = models.CharField(_("strategimål"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "area_code", "target_year"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.title


class IndicatorData(models.Model):
    """The summary of an indicator's observations, kept by the import service in the same
    transaction as the observations: its ``version`` changes on every import (a new random
    token, so that cache keys never repeat, even after a database is reset), and
    ``ObservationKey`` lists which breakdowns, levels and periods it has. An indicator
    without this row (observations written some other way) is read from the observations."""

    indicator = models.OneToOneField(
        Indicator, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.CharField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.version}"


class ObservationKey(models.Model):
    """One (breakdown, area type, period) that an indicator has observations for: a few
    thousand rows per indicator instead of a DISTINCT over its millions of observations."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    breakdown = models.ForeignKey(
        Breakdown, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    area_type = models.SmallIntegerField(choices=AreaType.choices)
    period = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "breakdown", "area_type", "period"],
                name="observation_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.breakdown_id} {self.area_type} {self.period}"


class KeyIndicator(models.Model):
    """An indicator that an area's own authority chose for its hub page: the verified county
    board for a county (``/lan/<code>/``), the verified municipality for a municipality. Areas
    nobody chose for show the first indicators that hold values for them."""

    area_type = models.SmallIntegerField(choices=AreaType.choices)
    area_code = models.CharField(max_length=10)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    chosen_by = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area_type", "area_code", "indicator"], name="key_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.indicator_id}"
