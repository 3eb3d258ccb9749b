"""Serializers of the plans API: what it answers (``…Output``) and accepts (``…Input``)."""

from __future__ import annotations

from rest_framework import serializers

from samverkan.actors.models import Organisation, TargetGroup
from samverkan.core.models import Visibility
from samverkan.plans.models import (
    Activity,
    ActivityStatus,
    Goal,
    Strategy,
    StrategyKind,
    StrategyLevel,
    StrategyStatus,
)


class StrategyOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code")

    class Meta:
        model = Strategy
        fields = [
            "id",
            "owner_code",
            "title",
            "kind",
            "level",
            "period_start",
            "period_end",
            "vision",
            "status",
            "adopted_by",
            "adopted_on",
            "visibility",
            "updated_at",
        ]


class StrategyInput(serializers.Serializer):
    owner_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="owner"
    )
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=StrategyKind.choices, required=False)
    level = serializers.ChoiceField(choices=StrategyLevel.choices, required=False)
    period_start = serializers.IntegerField(required=False, allow_null=True)
    period_end = serializers.IntegerField(required=False, allow_null=True)
    vision = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=StrategyStatus.choices, required=False)
    adopted_by = serializers.CharField(required=False, allow_blank=True)
    adopted_on = serializers.DateField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class ActivityOutput(serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "plan",
            "title",
            "description",
            "goals",
            "responsible_organisation",
            "responsible_unit",
            "partners",
            "start_date",
            "duration_months",
            "end_date",
            "budget",
            "hours",
            "target_groups",
            "status",
            "status_reason",
            "progress",
            "impact_note",
            "overdue",
            "version",
        ]


class ActivityInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="Versionen ändringen utgår från (krävs vid ändring)."
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    goals = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Goal.objects.all(), required=False
    )
    responsible_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    responsible_unit = serializers.CharField(required=False, allow_blank=True)
    partners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.all(), required=False
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    duration_months = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    end_date = serializers.DateField(required=False, allow_null=True)
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=0, required=False, allow_null=True
    )
    hours = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    target_groups = serializers.PrimaryKeyRelatedField(
        many=True, queryset=TargetGroup.objects.all(), required=False
    )
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    status_reason = serializers.CharField(required=False, allow_blank=True)
    impact_note = serializers.CharField(required=False, allow_blank=True)


class DevelopmentRefOutput(serializers.Serializer):
    """A regional development strategy (RUS/RUP) or growth agreement, as the export names it."""

    title = serializers.CharField()
    owner_code = serializers.CharField()
    kind = serializers.ChoiceField(choices=StrategyKind.choices)


class PlanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    strategy = serializers.IntegerField()
    title = serializers.CharField()
    year_start = serializers.IntegerField()
    year_end = serializers.IntegerField()
    weighting = serializers.CharField()
    previous = serializers.IntegerField(allow_null=True)
    progress = serializers.FloatField(help_text="Viktat framsteg 0–100 (se RollUp i selectors.py).")
    counted = serializers.IntegerField()
    overdue = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    builds_on = DevelopmentRefOutput(
        many=True,
        help_text="RUS eller tillväxtavtal som planen utgår från (de du kan läsa); strategins "
        "egna står på strategin.",
    )
    activities = ActivityOutput(many=True)


class ConsultationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)
    answered = serializers.ListField(child=serializers.CharField())
    not_answered = serializers.ListField(child=serializers.CharField())
    no_comments = serializers.ListField(child=serializers.CharField())
    general_comments = serializers.JSONField()
    sections = serializers.JSONField()


class ConsultationDraftOutput(serializers.Serializer):
    consultation = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    sections = serializers.JSONField()


class FollowUpInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True)
    date = serializers.DateField(required=False)


class CommentInput(serializers.Serializer):
    section = serializers.IntegerField(required=False, allow_null=True)
    passage = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField()
