"""Projects (kunskapsbanken): what actors do, with whom, where, for whom, with which money."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.dates import DatePrecision, date_label
from samverkan.core.models import OwnedRecord, Reach, Visibility
from samverkan.core.versioning import Versioned


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    ONGOING = "ongoing", _("Pågående")
    FINISHED = "finished", _("Avslutat")


class ParticipantRole(models.TextChoices):
    """After IATI's participating-org roles (funding, accountable, extending, implementing)."""

    FUNDING = "funding", _("Finansiär")
    ACCOUNTABLE = "accountable", _("Ansvarig")
    IMPLEMENTING = "implementing", _("Genomförare")
    PARTNER = "partner", _("Partner")


class Project(Versioned, OwnedRecord, Reach):
    """A project or lasting activity in the knowledge bank, owned by the organisation running it.

    Search and facets read its ``ProjectSearchEntry`` (and on SQLite the FTS5 table
    ``projects_search``), kept by ``search.project_index`` after every write.
    """

    title = models.CharField(_("titel"), max_length=300)
    summary = models.TextField(_("sammanfattning"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("län"),
    )
    municipalities = models.ManyToManyField(
        "geo.Municipality", blank=True, related_name="projects", verbose_name=_("kommuner")
    )
    themes = models.ManyToManyField(
        "actors.Theme", blank=True, related_name="projects", verbose_name=_("teman")
    )
    target_groups = models.ManyToManyField(
        "actors.TargetGroup", blank=True, related_name="projects", verbose_name=_("målgrupper")
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    start_precision = models.CharField(
        _("startdatumets precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    end_precision = models.CharField(
        _("slutdatumets precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    budget = models.PositiveBigIntegerField(_("budget (kr)"), null=True, blank=True)
    expected_results = models.TextField(_("förväntade resultat"), blank=True)
    achieved_results = models.TextField(_("uppnådda resultat"), blank=True)
    evaluation = models.TextField(_("utvärdering"), blank=True)
    lessons = models.TextField(_("lärdomar"), blank=True)
    builds_on = models.ManyToManyField(
        "plans.Strategy",
        blank=True,
        related_name="projects_built_on",
        limit_choices_to={"kind__in": ("regional_development", "growth_agreement")},
        verbose_name=_("tar sin utgångspunkt i"),
        help_text=_(
            "Den regionala utvecklingsstrategin (RUS) eller tillväxtavtalet som projektet "
            "utgår från."
        ),
    )
    links = models.TextField(
        _("länkar och dokument"), blank=True, help_text=_("En adress per rad.")
    )
    good_example = models.BooleanField(_("lärande exempel"), default=False)
    good_example_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granskat av"),
    )
    good_example_reviewed_at = models.DateTimeField(_("granskat"), null=True, blank=True)
    source = models.CharField(
        _("källa"), max_length=300, blank=True, help_text=_("Var uppgifterna kommer ifrån.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_end_after_start",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            ),
        ]
        indexes = [
            models.Index(fields=["county", "status"], name="project_county_status"),
            models.Index(fields=["owner", "title"], name="project_owner_title"),
            # The hub's "latest projects" of a county, newest first, without sorting them all.
            models.Index(fields=["county", "-updated_at"], name="project_county_updated"),
            # What is new in a county since a user's previous visit (Min översikt).
            models.Index(fields=["county", "-created_at"], name="project_county_created"),
        ]
        verbose_name = _("projekt")
        verbose_name_plural = _("projekt")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def start_label(self) -> str:
        return date_label(self.start_date, self.start_precision)

    @property
    def end_label(self) -> str:
        return date_label(self.end_date, self.end_precision)

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class ProjectParticipant(models.Model):
    """An organisation taking part in a project in one role; read and written via the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="project_participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=12, choices=ParticipantRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"],
                name="participant_unique_role",
                violation_error_message=_("Organisationen har redan den rollen i projektet."),
            ),
        ]
        verbose_name = _("deltagande organisation")
        verbose_name_plural = _("deltagande organisationer")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectFunding(models.Model):
    """Money from one funder (ESF, a municipality, the county board…) to a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    funder = models.CharField(_("finansiär"), max_length=200)
    organisation = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_fundings",
        verbose_name=_("organisation"),
    )
    amount = models.PositiveBigIntegerField(_("belopp (kr)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-amount", "funder"]
        verbose_name = _("finansiering")
        verbose_name_plural = _("finansiering")

    def __str__(self) -> str:
        return f"{self.funder}: {self.amount or '–'} kr"


class ProjectSearchEntry(models.Model):
    """What search, facets and listings read of a project, in a narrow row of its own: the
    columns the filters and facets use, the tenancy columns, and on PostgreSQL the weighted
    ``search_vector`` and the title-only ``title_vector`` with their GIN indexes (added by
    migration 0008, not declared here). About 0.7 kB a row where the project row is 1.5 kB or
    more, so a broad query counts and groups its matches from pages that stay in PostgreSQL's
    buffer cache instead of reading the whole project table.

    ``theme_mask`` and ``group_mask`` repeat the themes and target groups as bits (bit
    ``pk - 1`` for terms with pk ≤ 63), so facet counts and theme filters need no join over
    the link tables. Every column is a copy of the project's, written by
    ``search.project_index``; nothing else writes here.
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    owner = models.ForeignKey("actors.Organisation", on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    county = models.ForeignKey(
        "geo.County", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ProjectStatus.choices)
    good_example = models.BooleanField(default=False)
    theme_mask = models.BigIntegerField(default=0)
    group_mask = models.BigIntegerField(default=0)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "projects_searchentry"
        indexes = [models.Index(fields=["updated_at"], name="searchentry_updated")]

    def __str__(self) -> str:
        return f"search entry of project {self.pk}"

    @classmethod
    def owned_by_q(cls, organisation_ids: set[int]) -> Q:
        """The project's ownership rule (the entry repeats its ``owner_id``)."""
        return Project.owned_by_q(organisation_ids)


class DuplicateReport(models.Model):
    """The full duplicate report of a county, computed in the background
    (``projects.duplicate_report``) with the permissions of the user who asked.

    Readable only by that user (``duplicates.duplicate_report_get``): it may list their own
    organisation's private projects. The pairs are kept as ``DuplicatePair`` rows (for the
    paged page) and as the two download files, built by the job: ``xlsx`` and the CSV
    gzip-compressed in ``csv_gz``. Status and progress live on the ``Job``.
    """

    county = models.ForeignKey(
        "geo.County", on_delete=models.CASCADE, related_name="+", verbose_name=_("län")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    projects = models.PositiveIntegerField(_("jämförda projekt"), default=0)
    pairs = models.PositiveIntegerField(_("par"), default=0)
    duplicates = models.PositiveIntegerField(_("troliga dubbletter"), default=0)
    xlsx = models.BinaryField(null=True, blank=True, editable=False)
    csv_gz = models.BinaryField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "county"], name="duplicatereport_user_county")
        ]
        verbose_name = _("dubblettrapport")
        verbose_name_plural = _("dubblettrapporter")

    def __str__(self) -> str:
        return f"{self.county} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("projects:duplicate_report", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.finished_at is not None

    @property
    def overlaps(self) -> int:
        return self.pairs - self.duplicates

    def filename(self, extension: str) -> str:
        return f"dubbletter-{self.county.code}-{self.created_at:%Y%m%d-%H%M}.{extension}"


class DuplicatePair(models.Model):
    """One pair of a ``DuplicateReport``, in the report's order (``position`` from 1)."""

    report = models.ForeignKey(DuplicateReport, on_delete=models.CASCADE, related_name="pair_set")
    position = models.PositiveIntegerField()
    first = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    text = models.FloatField()
    duplicate = models.BooleanField()
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="duplicatepair_report_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score})"


class MappingRound(OwnedRecord):
    """A mapping round (kartläggning): a county board asking the county's municipalities, city
    districts or other actors which integration projects they run, with how many were asked and
    answered, who did not answer, and what came of it (projects reported, projects chosen for
    closer study, the report).

    A count the source does not give stays empty, never 0. A round run in Samverkan links its
    ``campaign``; the projects it brought into the knowledge bank are ``projects``.
    """

    title = models.CharField(_("titel"), max_length=300)
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mapping_rounds",
        verbose_name=_("län"),
    )
    description = models.TextField(_("vad som efterfrågades"), blank=True)
    start_date = models.DateField(_("genomfördes"), null=True, blank=True)
    start_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    projects_reported = models.PositiveIntegerField(
        _("inrapporterade projekt"), null=True, blank=True, help_text=_("Tomt om okänt.")
    )
    projects_selected = models.PositiveIntegerField(
        _("projekt utvalda för fördjupning"), null=True, blank=True, help_text=_("Tomt om okänt.")
    )
    selection_note = models.CharField(_("om urvalet"), max_length=300, blank=True)
    result = models.TextField(_("resultat och rapport"), blank=True)
    campaign = models.ForeignKey(
        "surveys.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mapping_rounds",
        verbose_name=_("utskick i Samverkan"),
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="mapping_rounds", verbose_name=_("kartlagda projekt")
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["county", "start_date", "title"]
        verbose_name = _("kartläggning")
        verbose_name_plural = _("kartläggningar")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:mapping_round", args=[self.pk])

    @property
    def start_label(self) -> str:
        return date_label(self.start_date, self.start_precision)


class MappingGroup(models.Model):
    """One group of respondents in a mapping round ("länets 33 kommuner", "tio stadsdelar i
    Malmö"): how many were asked and answered (or the share, when the source gives only
    that), the organisations asked when they are named, and the named organisations that did
    not answer. Who answered is the named respondents less those that did not answer."""

    round = models.ForeignKey(
        MappingRound,
        on_delete=models.CASCADE,
        related_name="groups",
        verbose_name=_("kartläggning"),
    )
    label = models.CharField(_("tillfrågade"), max_length=200)
    respondent_kind = models.CharField(
        _("typ av svarande"),
        max_length=20,
        blank=True,
        help_text=_("Tomt när gruppen blandar olika slags aktörer."),
    )
    asked = models.PositiveIntegerField(_("tillfrågade"), null=True, blank=True)
    answered = models.PositiveIntegerField(_("svarade"), null=True, blank=True)
    answered_percent = models.PositiveSmallIntegerField(
        _("andel som svarade (%)"),
        null=True,
        blank=True,
        help_text=_("När källan bara anger andelen."),
    )
    approximate = models.BooleanField(_("ungefärligt"), default=False)
    respondents = models.ManyToManyField(
        "actors.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("tillfrågade organisationer"),
        help_text=_(
            "När de namnges; de som svarade är de namngivna som inte står bland dem som inte "
            "svarade."
        ),
    )
    non_respondents = models.ManyToManyField(
        "actors.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("svarade inte"),
    )
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["round", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered__isnull=True)
                | Q(asked__isnull=True)
                | Q(answered__lte=F("asked")),
                name="mapping_group_answered_not_above_asked",
                violation_error_message=_("Fler kan inte ha svarat än som tillfrågades."),
            ),
            models.CheckConstraint(
                condition=Q(answered_percent__isnull=True) | Q(answered_percent__lte=100),
                name="mapping_group_percent_at_most_100",
                violation_error_message=_("Andelen kan inte vara över 100 %."),
            ),
        ]
        verbose_name = _("svarandegrupp")
        verbose_name_plural = _("svarandegrupper")

    def __str__(self) -> str:
        return self.label


class SearchWord(models.Model):
    """The vocabulary of the search index: every word (and compound part) of the indexed
    projects with its lexeme, written by ``search.project_index``. Read for prefix queries
    (``search.prefix_lexemes``: an index range over ``word``) and for "Menade du …?"
    (``suggest.suggest``). Words of deleted projects stay until the next full reindex; they
    only cost a lookup that finds nothing."""

    word = models.CharField(max_length=60, primary_key=True)
    lexeme = models.CharField(max_length=60, db_index=True)

    class Meta:
        db_table = "projects_searchword"

    def __str__(self) -> str:
        return self.word
