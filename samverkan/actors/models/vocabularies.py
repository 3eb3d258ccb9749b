"""The shared vocabularies: themes, target groups and network roles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Vocabulary(models.Model):
    """A controlled, editable vocabulary term; subclasses are the vocabularies."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = models.CharField(_("namn"), max_length=120)
    name_en = models.CharField(_("namn på engelska"), max_length=120, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    source = models.CharField(_("källa"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(Vocabulary):
    """A theme (tema/insatsområde) of integration work, e.g. housing or work and skills supply."""

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("tema")
        verbose_name_plural = _("teman")


class TargetGroup(Vocabulary):
    """A target group (målgrupp) of projects and activities, e.g. foreign-born women."""

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("målgrupp")
        verbose_name_plural = _("målgrupper")


class NetworkRole(Vocabulary):
    """A role an organisation plays in a network (samordnare, finansiär, samrådspart …)."""

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
