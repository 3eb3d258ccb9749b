"""Questionnaires, campaigns (utskick) to organisations, and their responses."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.core.models import OwnedRecord


class QuestionType(models.TextChoices):
    TEXT = "text", _("Fritext")
    INTEGER = "integer", _("Heltal")
    DECIMAL = "decimal", _("Decimaltal")
    DATE = "date", _("Datum")
    SELECT_ONE = "select_one", _("Ett val")
    SELECT_MULTIPLE = "select_multiple", _("Flera val")
    NOTE = "note", _("Information")
    ACKNOWLEDGE = "acknowledge", _("Bekräftelse (OK)")
    CALCULATE = "calculate", _("Beräkning")
    BEGIN_GROUP = "begin_group", _("Början på grupp")
    END_GROUP = "end_group", _("Slut på grupp")


SELECT_TYPES = {QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE}
ANSWERABLE_TYPES = {
    QuestionType.TEXT,
    QuestionType.INTEGER,
    QuestionType.DECIMAL,
    QuestionType.DATE,
    QuestionType.SELECT_ONE,
    QuestionType.SELECT_MULTIPLE,
    QuestionType.ACKNOWLEDGE,
}
# Stored with the answers, compiled and exported: what is answered and what is calculated.
STORED_TYPES = ANSWERABLE_TYPES | {QuestionType.CALCULATE}


class Questionnaire(OwnedRecord):
    """A questionnaire (enkät): ordered questions and choice lists, importable as an XLSForm."""

    title = models.CharField(_("titel"), max_length=200)
    form_id = models.SlugField(_("formulär-id"), max_length=100)
    description = models.TextField(_("beskrivning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire", args=[self.pk])


class Question(models.Model):
    """One row of the XLSForm survey sheet; access follows its questionnaire."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("ordning"))
    type = models.CharField(_("typ"), max_length=20, choices=QuestionType.choices)
    name = models.CharField(_("namn"), max_length=100)
    label = models.TextField(_("fråga"), blank=True)
    hint = models.TextField(_("hjälptext"), blank=True)
    list_name = models.CharField(_("svarslista"), max_length=100, blank=True)
    or_other = models.BooleanField(_("med ”annat”"), default=False)
    required = models.CharField(_("obligatorisk"), max_length=500, blank=True)
    relevant = models.TextField(_("villkor (relevant)"), blank=True)
    constraint = models.TextField(_("kontroll (constraint)"), blank=True)
    constraint_message = models.CharField(_("kontrollmeddelande"), max_length=300, blank=True)
    choice_filter = models.TextField(_("svarsfilter"), blank=True)
    group = models.CharField(_("grupp"), max_length=100, blank=True)
    calculation = models.TextField(
        _("beräkning (calculation)"),
        blank=True,
        help_text=_("För typen calculate: uttrycket som räknas ut när svaret sparas."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="question_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def owner_ids(self) -> set[int]:
        return self.questionnaire.owner_ids()


class Choice(models.Model):
    """One row of the XLSForm choices sheet; ``filters`` holds extra columns for choice_filter."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="choices"
    )
    list_name = models.CharField(_("svarslista"), max_length=100)
    position = models.PositiveIntegerField(_("ordning"))
    name = models.CharField(_("namn"), max_length=100)
    label = models.CharField(_("etikett"), max_length=300)
    filters = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "list_name", "position"]

    def __str__(self) -> str:
        return f"{self.list_name}:{self.name}"


class Campaign(OwnedRecord):
    """A campaign (utskick): one questionnaire sent to a set of organisations with a deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        OPEN = "open", _("Öppen")
        CLOSED = "closed", _("Stängd")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("enkät")
    )
    title = models.CharField(_("titel"), max_length=200)
    deadline = models.DateField(_("sista svarsdag"))
    grace_days = models.PositiveSmallIntegerField(
        _("extra dagar efter sista svarsdag"),
        default=0,
        help_text=_("Så många dagar efter sista svarsdag fungerar svarslänkarna fortfarande."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    rule = models.CharField(
        _("urval"),
        max_length=200,
        blank=True,
        help_text=_("Hur mottagarna valdes, t.ex. ”alla länsstyrelser”."),
    )
    message = models.TextField(_("meddelande i inbjudan"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline", "title"]
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:campaign", args=[self.pk])

    @property
    def links_valid_until(self) -> date:
        """The last day the personal links work: the deadline plus the grace period."""
        return self.deadline + timedelta(days=self.grace_days)

    def links_expired(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.links_valid_until


class Recipient(models.Model):
    """An organisation invited to a campaign, with its personal link and e-mail delivery status."""

    class Delivery(models.TextChoices):
        NONE = "none", _("Ej skickad")
        QUEUED = "queued", _("I kö")
        SENT = "sent", _("Skickad")
        RETRYING = "retrying", _("Försöker igen")
        FAILED = "failed", _("Misslyckades")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("e-post"), blank=True)
    delivery = models.CharField(
        _("utskick"), max_length=10, choices=Delivery.choices, default=Delivery.NONE
    )
    delivery_attempts = models.PositiveIntegerField(default=0)
    delivery_error = models.TextField(blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"],
                name="recipient_unique_organisation",
                violation_error_message=_("Organisationen är redan mottagare."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.organisation}"

    def owner_ids(self) -> set[int]:
        return self.campaign.owner_ids()

    def get_answer_url(self) -> str:
        return reverse("surveys:answer", args=[self.token])


class Response(models.Model):
    """The one response of a recipient organisation: a draft until submitted once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")

    recipient = models.OneToOneField(Recipient, on_delete=models.CASCADE, related_name="response")
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    attachment = models.FileField(_("bilaga"), upload_to="surveys/attachments/%Y/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.recipient} ({self.status})"

    def owner_ids(self) -> set[int]:
        return self.recipient.owner_ids()
