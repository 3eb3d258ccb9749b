"""Agreements (överenskommelser: RÖK, LÖK, IOP), their parties and principles."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.actors.models.networks import Network
from samverkan.actors.models.organisations import Organisation
from samverkan.core.dates import DatePrecision, date_label
from samverkan.core.models import Illustrative, OwnedRecord
from samverkan.core.versioning import Versioned


class AgreementKind(models.TextChoices):
    NATIONAL = "national", _("Nationell överenskommelse")
    REGIONAL = "rok", _("Regional överenskommelse (RÖK)")
    LOCAL = "lok", _("Lokal överenskommelse (LÖK)")
    IOP = "iop", _("Idéburet offentligt partnerskap (IOP)")
    OTHER = "other", _("Annat samverkansavtal")


class Agreement(Versioned, OwnedRecord, Illustrative):
    """An agreement between parties (överenskommelse): the national agreement between the
    government, SKL and civil society, a regional (RÖK) or local (LÖK) agreement, or an
    idea-based public partnership (IOP).

    Its parties and their roles are ``AgreementParty`` rows, its principles
    ``AgreementPrinciple`` rows. The meetings and conferences held under it are the meetings of
    its ``network`` (the forum where the parties meet), so they are recorded once. A date the
    source gives only as a month or a year keeps that precision; an unknown one stays empty.
    """

    name = models.CharField(_("namn"), max_length=300)
    slug = models.SlugField(
        _("kod"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("Det finns redan en överenskommelse med den koden.")},
    )
    kind = models.CharField(_("typ"), max_length=10, choices=AgreementKind.choices)
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("län"),
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("kommun"),
    )
    responsible = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements_responsible",
        verbose_name=_("ansvarig aktör"),
    )
    responsible_note = models.CharField(
        _("om ansvaret"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. en styrgrupp av parterna, när ansvaret inte ligger på en organisation."),
    )
    purpose = models.TextField(_("syfte och innehåll"), blank=True)
    start_date = models.DateField(_("gäller från"), null=True, blank=True)
    start_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("gäller till"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    period_note = models.CharField(
        _("om perioden"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. ”tre år”, när källan anger längden men inte datum."),
    )
    network = models.OneToOneField(
        Network,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreement",
        verbose_name=_("nätverk där parterna möts"),
        help_text=_("Möten och konferenser under överenskommelsen registreras på nätverket."),
    )
    website = models.URLField(_("webbplats"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]
        verbose_name = _("överenskommelse")
        verbose_name_plural = _("överenskommelser")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actors:agreement", args=[self.slug])

    @property
    def start_label(self) -> str:
        return date_label(self.start_date, self.start_precision)

    @property
    def end_label(self) -> str:
        return date_label(self.end_date, self.end_precision)


class AgreementRole(models.TextChoices):
    PARTY = "party", _("Part")
    INITIATOR = "initiator", _("Har tagit fram överenskommelsen")
    COORDINATOR = "coordinator", _("Samordnare")
    IMPLEMENTER = "implementer", _("Genomförare")
    FINANCIER = "financier", _("Finansiär")
    PARTICIPANT = "participant", _("Medverkande")


class AgreementParty(models.Model):
    """A party to an agreement, or another actor with a role in it. ``organisation`` when the
    actor is registered; otherwise ``name`` (e.g. "idéburna organisationer inom
    integrationsområdet", a party the source names only as a group)."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("överenskommelse"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("namn"), max_length=200, blank=True, help_text=_("När aktören inte är registrerad.")
    )
    role = models.CharField(_("roll"), max_length=20, choices=AgreementRole.choices)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""),
                name="agreement_party_named",
                violation_error_message=_("Ange organisationen eller ett namn."),
            ),
        ]
        verbose_name = _("part i överenskommelse")
        verbose_name_plural = _("parter i överenskommelser")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation else self.name


class AgreementPrinciple(models.Model):
    """One of an agreement's principles, in the agreement's order."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="principles",
        verbose_name=_("överenskommelse"),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    name = models.CharField(_("princip"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "name"],
                name="agreement_principle_unique",
                violation_error_message=_("Överenskommelsen har redan den principen."),
            ),
        ]
        verbose_name = _("princip")
        verbose_name_plural = _("principer")

    def __str__(self) -> str:
        return self.name
