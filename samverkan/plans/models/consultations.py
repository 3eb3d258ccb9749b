"""Consultations (remisser): the draft's sections, invitations, reminders and comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.plans.models.strategies import Strategy
from samverkan.surveys.models import Recipient


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Förbereds")
    OPEN = "open", _("Ute på remiss")
    CLOSED = "closed", _("Avslutad")
    WITHDRAWN = "withdrawn", _("Återkallad")


class Consultation(models.Model):
    """A consultation round (remiss) on a draft of a strategy, split into sections."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("strategi")
    )
    title = models.CharField(_("titel"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
    )
    deadline = models.DateTimeField(_("sista svarsdag"), null=True, blank=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("påminnelse dagar före sista svarsdag"),
        default=3,
        help_text=_(
            "De som inte har svarat får en påminnelse så många dagar före sista svarsdag "
            "(0 = ingen automatisk påminnelse)."
        ),
    )
    source_filename = models.CharField(_("källfil"), max_length=200, blank=True)
    # A round recorded from a source rather than sent from here: its recipients as the source
    # counts and describes them (kinds, where it names no one), not one invite per recipient.
    recipients_count = models.PositiveIntegerField(
        _("antal remissinstanser"), null=True, blank=True, help_text=_("Tomt om okänt.")
    )
    recipients_approximate = models.BooleanField(_("ungefärligt antal"), default=False)
    recipients_description = models.TextField(_("remissinstanser"), blank=True)
    period_note = models.CharField(
        _("när"), max_length=200, blank=True, help_text=_("Det källan säger om tidpunkten.")
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:consultation", args=[self.pk])


class ConsultationSection(models.Model):
    """One section of the draft (a heading and its paragraphs)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("rubrik"), max_length=300)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["consultation", "position"]

    def __str__(self) -> str:
        return self.heading

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


class ConsultationInvite(models.Model):
    """An organisation invited to respond, with its personal link token."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="invites")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    no_comments = models.BooleanField(_("inga synpunkter"), default=False)
    responded_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    delivery = models.CharField(
        _("utskick"), max_length=10, choices=Recipient.Delivery.choices, default="none"
    )
    delivery_attempts = models.PositiveIntegerField(default=0)
    delivery_error = models.TextField(blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    # Set by the one atomic conditional UPDATE that claims a reminder for this respondent
    # (``mailings.consultation_remind``), so two reminders at the same moment never both pass
    # the minimum interval.
    last_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["consultation", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"],
                name="consultation_invite_unique",
                violation_error_message=_("Organisationen är redan inbjuden."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} → {self.organisation}"


class ConsultationReminder(models.Model):
    """One reminder to one respondent who had not answered: automatic (before the deadline) or
    sent by the owner. ``round`` names the occasion; one reminder per invite and round, so a
    job that runs twice or a button pressed twice never reminds anyone twice."""

    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatisk")
        MANUAL = "manual", _("Skickad av ägaren")

    invite = models.ForeignKey(
        ConsultationInvite, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    round = models.CharField(max_length=60)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("av"),
    )
    email = models.EmailField(_("e-post"))
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    delivery = models.CharField(
        _("utskick"), max_length=10, choices=Recipient.Delivery.choices, default="queued"
    )
    delivery_error = models.TextField(blank=True)

    class Meta:
        ordering = ["invite", "-queued_at", "-pk"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["invite", "round"], name="consultation_reminder_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invite} ({self.round})"


class CommentDecision(models.TextChoices):
    PENDING = "pending", _("Ej behandlad")
    ACCEPTED = "accepted", _("Beaktad")
    REJECTED = "rejected", _("Ej beaktad")
    NOTED = "noted", _("Noterad")


class ConsultationComment(models.Model):
    """A respondent's comment on a section (or a passage of it, or the draft as a whole)."""

    invite = models.ForeignKey(
        ConsultationInvite, on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        ConsultationSection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    passage = models.TextField(_("citerat stycke"), blank=True)
    text = models.TextField(_("synpunkt"))
    decision = models.CharField(
        _("ställningstagande"),
        max_length=10,
        choices=CommentDecision.choices,
        default=CommentDecision.PENDING,
    )
    decision_reason = models.TextField(_("motivering"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section__position", "created_at", "pk"]
        verbose_name = _("remissynpunkt")
        verbose_name_plural = _("remissynpunkter")

    def __str__(self) -> str:
        return self.text[:60]
