from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.actors.models import Organisation, TargetGroup
from samverkan.plans.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    CommentDecision,
    Goal,
    Strategy,
    StrategyKind,
    StrategyLevel,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StrategyFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False)
    kind = forms.ChoiceField(
        label=_("Typ"), required=False, choices=[("", _("Alla typer")), *StrategyKind.choices]
    )
    level = forms.ChoiceField(
        label=_("Nivå"), required=False, choices=[("", _("Alla nivåer")), *StrategyLevel.choices]
    )


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = [
            "title",
            "kind",
            "level",
            "county",
            "period_start",
            "period_end",
            "vision",
            "summary",
            "status",
            "adopted_by",
            "adopted_on",
            "revision_note",
            "builds_on",
            "visibility",
            "source",
        ]
        widgets = {
            "builds_on": forms.CheckboxSelectMultiple,
            "vision": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "revision_note": forms.Textarea(attrs={"rows": 2}),
            "adopted_on": DATE,
        }


class FocusAreaForm(forms.Form):
    title = forms.CharField(label=_("Fokusområde"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "focus_area",
            "title",
            "measure",
            "baseline",
            "target",
            "target_date",
            "responsible",
        ]
        widgets = {"target_date": DATE}

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["focus_area"]
        ).queryset = strategy.focus_areas.all()
        cast(forms.ModelChoiceField, self.fields["focus_area"]).empty_label = _("Övergripande mål")


class ContributionForm(forms.Form):
    regional_goals = forms.ModelMultipleChoiceField(
        label=_("Regionala mål som målet bidrar till"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, goals: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["regional_goals"]).queryset = goals
        field = cast(forms.ModelChoiceField, self.fields["regional_goals"])
        field.label_from_instance = lambda g: f"{g.strategy}: {g.title}"  # type: ignore[method-assign,assignment]


class PlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "year_start", "year_end", "weighting", "note", "builds_on"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "builds_on": forms.CheckboxSelectMultiple,
        }


class ActivityForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
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
            "impact_note",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "impact_note": forms.Textarea(attrs={"rows": 2}),
            "status_reason": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE,
            "end_date": DATE,
        }

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["goals"]).queryset = Goal.objects.filter(
            strategy_id=plan.strategy_id
        )
        cast(
            forms.ModelChoiceField, self.fields["target_groups"]
        ).queryset = TargetGroup.objects.all()
        cast(
            forms.ModelChoiceField, self.fields["responsible_organisation"]
        ).queryset = Organisation.objects.all()
        cast(forms.ModelChoiceField, self.fields["partners"]).queryset = Organisation.objects.all()
        self.fields["partners"].widget.attrs["size"] = 6

    def clean(self) -> dict[str, Any]:
        # Model-level checks run in the service (which also compares versions).
        return self.cleaned_data

    def _post_clean(self) -> None:
        pass


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    progress = forms.IntegerField(label=_("Framsteg (%)"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RollOverForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Till plan"),
        queryset=ActionPlan.objects.none(),
        required=False,
        empty_label=_("Ny plan för nästa år"),
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = plan.strategy.plans.exclude(
            pk=plan.pk
        )


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    markdown = forms.CharField(
        label=_("Utkast (Markdown, avsnitt med # Rubrik)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    docx = forms.FileField(label=_("eller ladda upp DOCX (högst 20 MB)"), required=False)


class PublishForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Remissinstanser"), queryset=Organisation.objects.all()
    )
    deadline = forms.DateTimeField(
        label=_("Sista svarsdag"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    remind_days_before = forms.IntegerField(
        label=_("Påminn dagar före"),
        min_value=0,
        max_value=60,
        initial=3,
        help_text=_("0 = ingen automatisk påminnelse."),
    )


class CommentForm(forms.Form):
    section = forms.IntegerField(required=False, widget=forms.HiddenInput)
    passage = forms.CharField(
        label=_("Citera ett stycke (valfritt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(label=_("Synpunkt"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Ställningstagande"), choices=CommentDecision.choices)
    reason = forms.CharField(label=_("Motivering"), required=False)
