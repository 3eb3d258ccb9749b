from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.actors import selectors as actor_selectors
from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.core.reporting.registry import section_choices
from samverkan.geo.models import County
from samverkan.reports.models import ReportFormat, ReportKind


class ReportForm(forms.Form):
    """Scope, period and sections of a report; used to save a template and to start a build."""

    title = forms.CharField(label=_("Titel (för mallen)"), max_length=200, required=False)
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, empty_label=None
    )
    kind = forms.ChoiceField(label=_("Typ av rapport"), choices=ReportKind.choices)
    county = forms.ModelChoiceField(
        label=_("Län"), queryset=County.objects.order_by("code"), required=False
    )
    network: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Nätverk"), queryset=None, required=False
    )
    year_start = forms.IntegerField(label=_("Från år"), min_value=1990, max_value=2100)
    year_end = forms.IntegerField(label=_("Till år"), min_value=1990, max_value=2100)
    sections = forms.MultipleChoiceField(
        label=_("Avsnitt"), widget=forms.CheckboxSelectMultiple, required=False
    )
    recommendations = forms.CharField(
        label=_("Utmaningar och rekommendationer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20_000,
        help_text=_(
            "Valfritt: er egen text, rapportens sista kapitel. Skilj stycken åt med en tom rad."
        ),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial="pdf")
    public_data = forms.BooleanField(
        label=_("Bygg endast på öppna uppgifter (krävs för att publicera)"), required=False
    )
    visibility = forms.ChoiceField(
        label=_("Mallens synlighet"), choices=Visibility.choices, initial=Visibility.PRIVATE
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = actor_selectors.organisation_writable_list(user=user)
        network = cast(forms.ModelChoiceField, self.fields["network"])
        network.queryset = actor_selectors.network_list(user=user)
        sections = cast(forms.MultipleChoiceField, self.fields["sections"])
        sections.choices = section_choices()
        sections.initial = [code for code, _title in sections.choices]  # all, untick to leave out
        sections.help_text = _(
            "Rapporten får de ikryssade avsnitten i den här ordningen, följda av en numrerad "
            "källförteckning."
        )
        counties = tenancy.organisation_counties(user)
        if len(counties) == 1:  # a county board's (or municipality's) own county
            self.fields["county"].initial = next(iter(counties))
        year = timezone.localdate().year
        self.fields["year_start"].initial = year - 1
        self.fields["year_end"].initial = year - 1

    @property
    def can_create(self) -> bool:
        queryset = cast(forms.ModelChoiceField, self.fields["owner"]).queryset
        return queryset is not None and queryset.exists()

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "county": data["county"],
            "network": data["network"],
            "year_start": data["year_start"],
            "year_end": data["year_end"],
            "sections": data["sections"] or None,
        }
