"""Organisations (aktörer): every actor in the collaboration is one."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.dates import DatePrecision, date_label
from samverkan.core.models import Illustrative, OwnedRecord, Visibility
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


# --- Networks, memberships with roles, and the responsibility matrix -------------------------


class NetworkRole(Vocabulary):
    """A role an organisation plays in a network (samordnare, finansiär, samrådspart …)."""

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("roll")
        verbose_name_plural = _("roller")


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


# --- Agreements (överenskommelser): the national agreement, RÖK, LÖK and IOP --------------------


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
