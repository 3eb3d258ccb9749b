"""Who answers for what: responsibility claims, mandates and interfaces between actors."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.actors.models.organisations import Organisation, OrganisationKind
from samverkan.actors.models.vocabularies import NetworkRole, Theme
from samverkan.core.models import OwnedRecord


class Responsibility(models.TextChoices):
    LEADS = "leads", _("Leder")
    COORDINATES = "coordinates", _("Samordnar")
    FINANCES = "finances", _("Finansierar")
    DELIVERS = "delivers", _("Utför")
    TAKES_PART = "takes_part", _("Deltar")


class ResponsibilityClaim(OwnedRecord):
    """What an organisation declares it does for a theme in a county (one cell of the matrix)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="responsibility_claims",
        verbose_name=_("organisation"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="responsibility_claims",
        verbose_name=_("tema"),
    )
    county = models.ForeignKey(
        "geo.County",
        on_delete=models.PROTECT,
        related_name="responsibility_claims",
        verbose_name=_("län"),
    )
    responsibility = models.CharField(_("ansvar"), max_length=20, choices=Responsibility.choices)
    roles = models.ManyToManyField(
        NetworkRole,
        blank=True,
        related_name="responsibility_claims",
        verbose_name=_("roller"),
        help_text=_("Vilka roller ur rollkatalogen organisationen tar för temat."),
    )
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[roles])

    class Meta:
        ordering = ["county", "theme", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "theme", "county", "responsibility"],
                name="responsibility_claim_unique",
                violation_error_message=_(
                    "Organisationen har redan angett det ansvaret för temat."
                ),
            ),
        ]
        verbose_name = _("ansvarsanspråk")
        verbose_name_plural = _("ansvarsanspråk")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_responsibility_display()} {self.theme}"


class Mandate(OwnedRecord):
    """What an actor's mandate (mandat, uppdrag) covers: one organisation's, or every
    organisation of a kind (all county boards) when ``organisation`` is empty."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mandates",
        verbose_name=_("organisation"),
    )
    holder_kind = models.CharField(
        _("alla organisationer av typen"),
        max_length=20,
        choices=OrganisationKind.choices,
        blank=True,
    )
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("län"),
        help_text=_("Tomt om mandatet gäller i hela landet."),
    )
    title = models.CharField(_("mandat"), max_length=200)
    covers = models.TextField(_("vad mandatet omfattar"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("teman"))
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("mandat")
        verbose_name_plural = _("mandat")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(holder_kind=""),
                name="mandate_has_holder",
                violation_error_message=_("Ange organisationen eller typen av organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InterfaceKind(models.TextChoices):
    INTERFACE = "interface", _("Gränsyta")
    GAP = "gap", _("Mellanrum")


class Interface(OwnedRecord):
    """Where two mandates meet (gränsyta), or a space no mandate reaches (mellanrum, "agera i
    mellanrummen"), between the mandates on each side."""

    kind = models.CharField(
        _("typ"), max_length=10, choices=InterfaceKind.choices, default=InterfaceKind.INTERFACE
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("län"),
        help_text=_("Tomt om gränsytan finns i alla län."),
    )
    side_a = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="+", verbose_name=_("mandat på ena sidan")
    )
    side_b = models.ForeignKey(
        Mandate,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mandat på andra sidan"),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("gränsyta")
        verbose_name_plural = _("gränsytor")

    def __str__(self) -> str:
        return self.name
