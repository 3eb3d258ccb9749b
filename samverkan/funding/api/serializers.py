"""Serializers of the funding API (``api``): what calls, applications and reports look like
out, and what the writes take in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from samverkan.actors.models import Organisation, OrganisationKind, TargetGroup, Theme
from samverkan.core.api import version_field
from samverkan.core.models import REACH_FIELDS, Job
from samverkan.funding.models import (
    SCORE_MAX,
    SCORE_MIN,
    Application,
    Attachment,
    Call,
    Criterion,
    FundingReport,
    Outcome,
    Perspective,
)
from samverkan.funding.services import applications, attachments, reporting
from samverkan.geo.models import County
from samverkan.projects.models import ParticipantRole

CRITERION_FIELDS = ("title", "weight", "guidance", "perspective")


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "position", "title", "weight", "guidance", "perspective"]
        read_only_fields = ["id", "position"]


class CallOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code")
    eligible_county_codes = serializers.SerializerMethodField()
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "owner_code",
            "purpose",
            "budget",
            "eligible_kinds",
            "eligible_county_codes",
            "required_perspectives",
            "period_start",
            "period_end",
            "deadline",
            "status",
            "criteria",
            "source",
            "version",
        ]

    def get_eligible_county_codes(self, call: Call) -> list[str]:
        return [c.code for c in call.eligible_counties.all()]


class CallFields(serializers.Serializer):
    """The fields of a call a funder sets, on creating it and (``partial``) on editing it."""

    title = serializers.CharField(max_length=300)
    purpose = serializers.CharField(required=False, allow_blank=True)
    budget = serializers.IntegerField(min_value=0)
    eligible_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices), required=False
    )
    eligible_county_codes = serializers.SlugRelatedField(
        slug_field="code",
        queryset=County.objects.all(),
        many=True,
        required=False,
        source="eligible_counties",
    )
    required_perspectives = serializers.ListField(
        child=serializers.ChoiceField(choices=Perspective.choices), required=False
    )
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    deadline = serializers.DateTimeField()


class CallInput(CallFields):
    owner_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="owner"
    )
    criteria = CriterionSerializer(many=True, required=False)


class AmountLine(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    amount = serializers.IntegerField(min_value=0)


class PartnerLine(serializers.Serializer):
    organisation_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="organisation"
    )
    role = serializers.ChoiceField(choices=ParticipantRole.choices)


class IndicatorLine(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = serializers.CharField(max_length=50, required=False, allow_blank=True)


class ApplicationOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code")
    call_id = serializers.IntegerField()
    county_code = serializers.CharField(source="county.code", default=None)
    budget_lines = serializers.SerializerMethodField()
    co_financing = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()
    indicators = IndicatorLine(many=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "call_id",
            "owner_code",
            "title",
            "summary",
            "description",
            "county_code",
            "start_date",
            "end_date",
            "total_budget",
            "requested_amount",
            "budget_lines",
            "co_financing",
            "partners",
            "expected_results",
            "indicators",
            "perspectives",
            "status",
            "submitted_at",
            "project_id",
            "decision",
            "version",
        ]

    def get_budget_lines(self, a: Application) -> list[dict[str, Any]]:
        return [{"text": b.item, "amount": b.amount} for b in a.budget_lines.all()]

    def get_co_financing(self, a: Application) -> list[dict[str, Any]]:
        return [{"text": c.funder, "amount": c.amount} for c in a.co_financing.all()]

    def get_partners(self, a: Application) -> list[dict[str, str]]:
        return [
            {"organisation_code": p.organisation.code, "role": p.role}
            for p in a.partners.select_related("organisation")
        ]

    def get_decision(self, a: Application) -> dict[str, Any] | None:
        decision = getattr(a, "decision", None)
        if decision is None:
            return None
        return {
            "outcome": decision.outcome,
            "amount": decision.amount,
            "conditions": decision.conditions,
            "reasons": decision.reasons,
            "decided_at": decision.decided_at,
        }


class ApplicationInput(serializers.Serializer):
    version = version_field()
    call_id = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all(), source="call")
    owner_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="owner"
    )
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    county_code = serializers.SlugRelatedField(
        slug_field="code", queryset=County.objects.all(), source="county", required=False
    )
    theme_codes = serializers.SlugRelatedField(
        slug_field="code", queryset=Theme.objects.all(), many=True, required=False, source="themes"
    )
    target_group_codes = serializers.SlugRelatedField(
        slug_field="code",
        queryset=TargetGroup.objects.all(),
        many=True,
        required=False,
        source="target_groups",
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    total_budget = serializers.IntegerField(min_value=0, required=False)
    requested_amount = serializers.IntegerField(min_value=0, required=False)
    budget_lines = AmountLine(many=True, required=False)
    co_financing = AmountLine(many=True, required=False)
    partners = PartnerLine(many=True, required=False)
    expected_results = serializers.CharField(required=False, allow_blank=True)
    indicators = IndicatorLine(many=True, required=False)
    perspectives = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False
    )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("version", None)  # the edit passes it as expected_version
        for name in ("budget_lines", "co_financing"):
            if name in data:
                data[name] = [(line["text"], line["amount"]) for line in data[name]]
        if "partners" in data:
            data["partners"] = [(p["organisation"], p["role"]) for p in data["partners"]]
        if "indicators" in data:
            data["indicators"] = [
                applications.IndicatorSpec(i["name"], Decimal(i["target"]), i.get("unit", ""))
                for i in data["indicators"]
            ]
        return data


class ScoreInput(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    score = serializers.IntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    amount = serializers.IntegerField(min_value=0, required=False, default=0)
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    reasons = serializers.CharField(required=False, allow_blank=True, default="")


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ConflictInput(serializers.Serializer):
    has_conflict = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _granted(report: FundingReport) -> int:
    granted = getattr(report, "granted_amount", None)  # set by selectors.reports_readable
    return reporting.report_granted_amount(report) if granted is None else int(granted)


@extend_schema_serializer(component_name="FundingReportOutput")  # reports.api has a ReportOutput
class ReportOutput(serializers.ModelSerializer):
    """A report back; ``granted``, ``overspent``, ``overspend`` and ``overspend_note`` are the
    over-spend flag the report page shows (money spent over the grant is accepted and
    flagged, not refused: docs/funding.md)."""

    application_id = serializers.IntegerField()
    granted = serializers.SerializerMethodField(
        help_text="Beviljat belopp i kronor (0 om ansökan inte beviljats)."
    )
    overspent = serializers.SerializerMethodField(
        help_text="Sant om använda medel överstiger beviljat belopp."
    )
    overspend = serializers.SerializerMethodField(
        help_text="Hur många kronor använda medel överstiger beviljat belopp (0 annars)."
    )
    overspend_note = serializers.SerializerMethodField(
        help_text="Flaggan som på återrapportsidan, med beloppen (tom om inget överskridande)."
    )

    class Meta:
        model = FundingReport
        fields = [
            "id",
            "application_id",
            "kind",
            "due_date",
            "submitted_at",
            "progress",
            "money_spent",
            "results",
            *REACH_FIELDS,
            "granted",
            "overspent",
            "overspend",
            "overspend_note",
        ]
        read_only_fields = fields

    def get_granted(self, report: FundingReport) -> int:
        return _granted(report)

    def get_overspent(self, report: FundingReport) -> bool:
        return report.overspend(_granted(report)) > 0

    def get_overspend(self, report: FundingReport) -> int:
        return report.overspend(_granted(report))

    def get_overspend_note(self, report: FundingReport) -> str:
        return reporting.report_overspend_note(report, _granted(report))


@extend_schema_serializer(component_name="FundingReportInput")
class ReportInput(serializers.Serializer):
    progress = serializers.CharField()
    money_spent = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    results = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2), required=False
    )
    # whom the work reached, by sex and background; a figure left out stays unknown
    participants_total = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    participants_women = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    participants_men = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    participants_foreign_born = serializers.IntegerField(
        min_value=0, required=False, allow_null=True
    )
    participants_swedish_born = serializers.IntegerField(
        min_value=0, required=False, allow_null=True
    )
    money_women = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    money_men = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    money_foreign_born = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    money_swedish_born = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class CallUpdateInput(CallFields):
    """The fields of a call the funder may change (``PATCH``, validated with ``partial=True``:
    fields left out keep their value). The funder (``owner_code``) is not changed by editing."""

    # the metaclass takes declared fields off the class, so Field.source is not shadowed
    source = serializers.CharField(max_length=300, required=False, allow_blank=True)  # type: ignore[assignment]
    version = version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "owner_code" in self.initial_data:
            raise serializers.ValidationError(
                {"owner_code": ["Finansiären kan inte bytas på en befintlig utlysning."]}
            )
        return attrs


class AttachmentOutput(serializers.ModelSerializer):
    application_id = serializers.IntegerField()
    content_type = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "application_id",
            "filename",
            "file_type",
            "content_type",
            "size",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_content_type(self, attachment: Attachment) -> str:
        return attachments.CONTENT_TYPES[attachment.file_type]

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("api:funding-attachment-download", args=[attachment.pk])


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="PDF, DOCX, XLSX, ODT, PNG eller JPEG, högst 10 MB; typen avgörs av innehållet."
    )


class LettersJobOutput(serializers.Serializer):
    """A run of the decision-letters job of a call (as on the letters page)."""

    job_id = serializers.IntegerField(source="pk")
    call_id = serializers.SerializerMethodField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    progress_message = serializers.CharField()
    letters = serializers.SerializerMethodField(
        help_text="Antal brev som skapades (när jobbet är klart)."
    )
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    status_url = serializers.SerializerMethodField()

    def get_call_id(self, job: Job) -> int:
        return int(job.kwargs["call_id"])

    def get_letters(self, job: Job) -> int | None:
        return job.result.get("letters") if job.status == Job.Status.DONE else None

    def get_status_url(self, job: Job) -> str:
        return reverse("api:funding-letter-job-detail", args=[job.pk])
