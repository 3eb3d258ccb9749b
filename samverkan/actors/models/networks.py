"""Networks (nätverk), their meetings, their members and the links between networks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.actors.models.organisations import Organisation
from samverkan.actors.models.vocabularies import NetworkRole, Theme
from samverkan.core.models import OwnedRecord
from samverkan.core.versioning import Versioned


class NetworkKind(models.TextChoices):
    NETWORK = "network", _("Nätverk")
    COUNCIL = "council", _("Råd")
    PARTNERSHIP = "partnership", _("Partnerskap")
    WORKING_GROUP = "working_group", _("Arbetsgrupp")
    AGREEMENT = "agreement", _("Överenskommelse")


class Scope(models.TextChoices):
    NATIONAL = "national", _("Nationell")
    COUNTY = "county", _("Län")
    MUNICIPALITY = "municipality", _("Kommun")


class Network(Versioned, OwnedRecord):
    """A standing collaboration: a network, council, partnership, working group or agreement.

    The owner is the organisation that convenes or registered it; its editors write it and
    its meetings, links and (as convener) its memberships.
    """

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(
        _("kod"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("Det finns redan ett nätverk med den koden.")},
    )
    kind = models.CharField(
        _("typ"), max_length=20, choices=NetworkKind.choices, default=NetworkKind.NETWORK
    )
    scope = models.CharField(_("nivå"), max_length=20, choices=Scope.choices, default=Scope.COUNTY)
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="networks",
        verbose_name=_("län"),
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="networks",
        verbose_name=_("kommun"),
    )
    convener = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="convened_networks",
        verbose_name=_("sammankallande organisation"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="networks", verbose_name=_("teman")
    )
    purpose = models.TextField(_("syfte"), blank=True)
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("ingår i"),
    )
    source = models.CharField(
        _("källa"), max_length=300, blank=True, help_text=_("Var uppgifterna kommer ifrån.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="network_end_after_start",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]
        indexes = [models.Index(fields=["county", "scope"], name="network_county_scope")]
        verbose_name = _("nätverk")
        verbose_name_plural = _("nätverk")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actors:network", args=[self.slug])


class Meeting(models.Model):
    """A meeting or conference of a network, with attendance counted by sector.

    A value the source does not give stays empty (shown as "okänt"), never 0: a date, a count
    per sector or a total. A figure the source gives only for several meetings together (e.g.
    "drygt 200" for two conferences) goes into ``attendance_note``, not into the counts.
    """

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("nätverk")
    )
    date = models.DateField(_("datum"), null=True, blank=True, help_text=_("Tomt om okänt."))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    topic = models.CharField(_("ämne"), max_length=300, blank=True)
    arrangers = models.TextField(
        _("arrangörer"), blank=True, help_text=_("De organisationer som arrangerade mötet.")
    )
    attendance_public = models.PositiveIntegerField(
        _("deltagare offentlig sektor"), null=True, blank=True
    )
    attendance_civil_society = models.PositiveIntegerField(
        _("deltagare civilsamhälle"), null=True, blank=True
    )
    attendance_private = models.PositiveIntegerField(
        _("deltagare näringsliv och övriga"), null=True, blank=True
    )
    attendance_academia = models.PositiveIntegerField(_("deltagare akademi"), null=True, blank=True)
    attendance_total = models.PositiveIntegerField(
        _("deltagare totalt"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt för summan av sektorerna."),
    )
    attendance_approximate = models.BooleanField(
        _("ungefärliga antal"), default=False, help_text=_("Källan anger antalen som ungefär.")
    )
    attendance_note = models.CharField(
        _("om deltagarna"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. en siffra som källan bara ger för flera möten tillsammans."),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("date").desc(nulls_last=True)]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")

    def __str__(self) -> str:
        return f"{self.network} {self.date or _('okänt datum')}"

    @property
    def attendance(self) -> int | None:
        """The total, else the sum of the sectors given; None when no count is known."""
        if self.attendance_total is not None:
            return self.attendance_total
        counted = [
            n
            for n in (
                self.attendance_public,
                self.attendance_civil_society,
                self.attendance_private,
                self.attendance_academia,
            )
            if n is not None
        ]
        return sum(counted) if counted else None


class NetworkLink(models.Model):
    """A document or web page about a network: its agreement, minutes, web site."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="links", verbose_name=_("nätverk")
    )
    title = models.CharField(_("titel"), max_length=200)
    url = models.URLField(_("adress"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("länk")
        verbose_name_plural = _("länkar")

    def __str__(self) -> str:
        return self.title


class NetworkMembership(OwnedRecord):
    """An organisation's membership of a network with its roles (Popolo ``Membership``).

    Owned by the network's convener when it registers its members, or by the member
    organisation when it declares its own membership. Ended memberships keep their dates.
    """

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("nätverk")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="network_memberships",
        verbose_name=_("organisation"),
    )
    roles = models.ManyToManyField(
        NetworkRole, blank=True, related_name="memberships", verbose_name=_("roller")
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="network_membership_end_after_start",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]
        indexes = [models.Index(fields=["network", "organisation"], name="membership_net_org")]
        verbose_name = _("medlemskap i nätverk")
        verbose_name_plural = _("medlemskap i nätverk")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.network}"
