"""Organisations (aktörer): who they are, their kind and sector, their contact addresses."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import Visibility
from samverkan.core.versioning import Versioned


class OrganisationKind(models.TextChoices):
    COUNTY_BOARD = "county_board", _("Länsstyrelse")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Kommun")
    CITY_DISTRICT = "city_district", _("Stadsdel")
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


# Kinds whose organisations carry rights in Samverkan (a county board reviews its county's good
# examples and verifies its actors, surveys address county boards, municipalities and regions,
# calls may be open to some kinds only). Such organisations come from the reference data or a
# superuser, and their rights need ``Organisation.verified``.
RIGHTS_KINDS = frozenset(
    {
        OrganisationKind.COUNTY_BOARD,
        OrganisationKind.REGION,
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.STATE_AGENCY,
    }
)


DEFAULT_SECTOR = {
    OrganisationKind.COUNTY_BOARD: Sector.PUBLIC,
    OrganisationKind.REGION: Sector.PUBLIC,
    OrganisationKind.MUNICIPALITY: Sector.PUBLIC,
    OrganisationKind.CITY_DISTRICT: Sector.PUBLIC,
    OrganisationKind.STATE_AGENCY: Sector.PUBLIC,
    OrganisationKind.CIVIL_SOCIETY: Sector.CIVIL_SOCIETY,
    OrganisationKind.BUSINESS: Sector.PRIVATE,
    OrganisationKind.ACADEMIA: Sector.ACADEMIA,
    OrganisationKind.OTHER: Sector.PUBLIC,
}


def organisation_name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Organisation(Versioned, models.Model):
    """An actor: a county board, region, municipality, agency, association, company or university.

    An organisation's own editors write its record. Organisations registered by someone
    else (a county board mapping its county's actors) have that registering organisation as
    ``steward``, whose editors may keep the record up to date until the actor takes it over.

    ``verified``: the organisation is known to be who it says it is (reference data, created by a
    superuser, or verified by a superuser or by the verified county board of its county). Rights
    that come with a kind (reviewing good examples, verifying others) and stewardship of other
    organisations need a verified organisation; a self-registered one starts unverified.
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
    verified = models.BooleanField(
        _("verifierad"),
        default=False,
        help_text=_(
            "Verifierad av en systemadministratör eller länsstyrelsen i organisationens län "
            "(referensdata är verifierade)."
        ),
    )
    verified_at = models.DateTimeField(_("verifierad den"), null=True, blank=True)
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

    @property
    def carries_rights(self) -> bool:
        """A kind with rights (county board, region, municipality, state agency)."""
        return self.kind in RIGHTS_KINDS

    @classmethod
    def owned_by_q(cls, organisation_ids: set[int]) -> Q:
        """The organisation itself, and those a *verified* steward among ``organisation_ids``
        registered on the actor's behalf."""
        return Q(id__in=organisation_ids) | Q(
            steward_id__in=organisation_ids, steward__verified=True
        )

    def owner_ids(self) -> set[int]:
        steward_ids = (
            {self.steward_id}
            if self.steward_id
            and Organisation.objects.filter(pk=self.steward_id, verified=True).exists()
            else set()
        )
        return {self.pk} | steward_ids


class ContactPurpose(models.TextChoices):
    SURVEYS = "surveys", _("Enkäter")
    CONSULTATIONS = "consultations", _("Remisser")


class ContactAddress(models.Model):
    """An address where an organisation receives survey invitations and/or consultations (the
    registrator, an integration coordinator). Campaigns and consultations sent to the
    organisation later use it when no other address is given.

    Written by those who write the organisation (its admins and editors, its verified
    steward's); read by them and the members of the organisation (``visibility`` private), and
    used by the platform itself when it addresses an invitation.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contact_addresses",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-post"))
    name = models.CharField(_("namn"), max_length=200, blank=True)
    role = models.CharField(
        _("roll"),
        max_length=100,
        blank=True,
        help_text=_("T.ex. registrator eller integrationssamordnare."),
    )
    for_surveys = models.BooleanField(_("för enkäter"), default=True)
    for_consultations = models.BooleanField(_("för remisser"), default=True)
    visibility = models.CharField(
        _("synlighet"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
        editable=False,
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("kontaktadress")
        verbose_name_plural = _("kontaktadresser")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                name="contact_address_unique_email",
                violation_error_message=_("Organisationen har redan den adressen."),
            ),
            models.CheckConstraint(
                condition=Q(for_surveys=True) | Q(for_consultations=True),
                name="contact_address_has_a_use",
                violation_error_message=_("Välj enkäter, remisser eller båda."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.email}"

    @classmethod
    def owned_by_q(cls, organisation_ids: set[int]) -> Q:
        """As the organisation's own record: its members and its verified steward's."""
        return Q(organisation_id__in=organisation_ids) | Q(
            organisation__steward_id__in=organisation_ids, organisation__steward__verified=True
        )

    def owner_ids(self) -> set[int]:
        return self.organisation.owner_ids()
