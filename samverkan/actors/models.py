"""Organisations (aktörer): every actor in the collaboration is one."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import Visibility


class OrganisationKind(models.TextChoices):
    COUNTY_BOARD = "county_board", _("Länsstyrelse")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Kommun")
    STATE_AGENCY = "state_agency", _("Statlig myndighet")
    CIVIL_SOCIETY = "civil_society", _("Idéburen organisation")
    BUSINESS = "business", _("Företag")
    ACADEMIA = "academia", _("Universitet/högskola")
    OTHER = "other", _("Övrig")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Offentlig sektor")
    CIVIL_SOCIETY = "civil_society", _("Civilsamhälle")
    PRIVATE = "private", _("Näringsliv")
    ACADEMIA = "academia", _("Akademi")


DEFAULT_SECTOR = {
    OrganisationKind.COUNTY_BOARD: Sector.PUBLIC,
    OrganisationKind.REGION: Sector.PUBLIC,
    OrganisationKind.MUNICIPALITY: Sector.PUBLIC,
    OrganisationKind.STATE_AGENCY: Sector.PUBLIC,
    OrganisationKind.CIVIL_SOCIETY: Sector.CIVIL_SOCIETY,
    OrganisationKind.BUSINESS: Sector.PRIVATE,
    OrganisationKind.ACADEMIA: Sector.ACADEMIA,
    OrganisationKind.OTHER: Sector.PUBLIC,
}


def organisation_name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Organisation(models.Model):
    """An actor: a county board, region, municipality, agency, association, company or university.

    An organisation's own editors write its record. Organisations registered by someone
    else (a county board mapping its county's actors) have that registering organisation as
    ``steward``, whose editors may keep the record up to date until the actor takes it over.
    """

    name = models.CharField(_("namn"), max_length=200)
    name_key = models.CharField(
        max_length=200,
        unique=True,
        editable=False,
        error_messages={"unique": _("Det finns redan en organisation med det namnet.")},
        help_text="The name case-folded, so that uniqueness ignores case in every database.",
    )
    code = models.SlugField(
        _("kod"),
        max_length=60,
        unique=True,
        help_text=_("Unik kortkod, t.ex. kommun-0114 eller lst-12."),
        error_messages={"unique": _("Det finns redan en organisation med den koden.")},
    )
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("län"),
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("kommun"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    website = models.URLField(_("webbplats"), blank=True)
    visibility = models.CharField(
        _("synlighet"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    steward = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stewarded",
        verbose_name=_("förvaltas av"),
    )
    source = models.CharField(
        _("källa"), max_length=300, blank=True, help_text=_("Var uppgifterna kommer ifrån.")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "county"], name="organisation_kind_county")]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = organisation_name_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("actors:organisation", args=[self.code])

    def clean(self) -> None:
        self.name = " ".join(self.name.split())
        self.name_key = organisation_name_key(self.name)

    @classmethod
    def history_may_restore(cls, user: object, version: object) -> bool:
        """A deleted organisation's memberships are gone with it; its former admins and
        editors (by membership history) may still restore it."""
        from samverkan.accounts.models import Membership

        return Membership.history.filter(  # type: ignore[attr-defined]
            organisation_id=version.id,  # type: ignore[attr-defined]
            user_id=getattr(user, "pk", None),
            role__in=("admin", "editor"),
        ).exists()

    def after_restore(self, version: object) -> None:
        """Bring back the memberships deleted together with the organisation."""
        from samverkan.accounts.models import Membership

        deleted = Membership.history.filter(  # type: ignore[attr-defined]
            organisation_id=self.pk,
            history_type="-",
            history_date__gte=version.history_date,  # type: ignore[attr-defined]
        )
        for membership_version in deleted:
            if not Membership.objects.filter(pk=membership_version.id).exists():
                membership_version.instance.save()

    @classmethod
    def owned_by_q(cls, organisation_ids: set[int]) -> Q:
        return Q(id__in=organisation_ids) | Q(steward_id__in=organisation_ids)

    def owner_ids(self) -> set[int]:
        return {self.pk} | ({self.steward_id} if self.steward_id else set())


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
