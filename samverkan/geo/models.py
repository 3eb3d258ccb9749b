"""Sweden's administrative geography: counties (län) and municipalities (kommuner)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class County(models.Model):
    """A county (län), identified by its two-digit SCB code, e.g. ``12`` for Skåne."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=100, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=60)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("geo:county", args=[self.code])


class Municipality(models.Model):
    """A municipality (kommun), identified by its four-digit SCB code, e.g. ``0114``."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("län")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("geo:municipality", args=[self.code])
