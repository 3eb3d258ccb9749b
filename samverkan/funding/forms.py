"""Forms of the funding pages. Table-like parts (budget lines, co-financing, partners,
indicators) are typed one per line, ``Text: amount``, and parsed with the projects app's parsers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.actors.models import Organisation, OrganisationKind, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.models import REACH_FIELDS
from samverkan.funding.models import (
    SCORE_MAX,
    SCORE_MIN,
    Application,
    Call,
    Outcome,
    Perspective,
)
from samverkan.funding.services.applications import IndicatorSpec
from samverkan.geo.models import County
from samverkan.projects.parsing import ParseError, parse_amount, parse_fundings, parse_partners


class CallForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Finansiär")
    )
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=300)
    purpose = forms.CharField(label=gettext_lazy("Syfte"), widget=forms.Textarea, required=False)
    budget = forms.IntegerField(label=gettext_lazy("Budget (kr)"), min_value=0)
    eligible_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Vilka typer av organisationer får söka (inget val: alla)"),
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    eligible_counties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Län (inget val: hela landet)"),
        queryset=County.objects.all(),
        required=False,
    )
    required_perspectives = forms.MultipleChoiceField(
        label=gettext_lazy("Perspektiv som varje ansökan ska beskriva"),
        choices=Perspective.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    period_start = forms.DateField(label=gettext_lazy("Projektperiod från"), required=False)
    period_end = forms.DateField(label=gettext_lazy("Projektperiod till"), required=False)
    deadline = forms.DateTimeField(
        label=gettext_lazy("Sista ansökningsdag (svensk tid, ÅÅÅÅ-MM-DD TT:MM)"),
    )
    source = forms.CharField(label=gettext_lazy("Källa"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, call: Call | None = None, **kwargs: Any):
        if call is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{f: getattr(call, f) for f in ("title", "purpose", "budget", "source")},
                    "owner": call.owner,
                    "eligible_kinds": call.eligible_kinds,
                    "eligible_counties": list(call.eligible_counties.all()),
                    "required_perspectives": call.required_perspectives,
                    "period_start": call.period_start,
                    "period_end": call.period_end,
                    "deadline": call.deadline,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = tenancy.acting_organisations(user)  # type: ignore[attr-defined]
        if call is not None:
            del self.fields["owner"]


class CriterionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Kriterium"), max_length=300)
    weight = forms.IntegerField(label=gettext_lazy("Vikt"), min_value=1, max_value=100, initial=1)
    guidance = forms.CharField(
        label=gettext_lazy("Vägledning"), widget=forms.Textarea, required=False
    )
    perspective = forms.ChoiceField(
        label=gettext_lazy("Perspektiv"), choices=[("", "–"), *Perspective.choices], required=False
    )


LINE = re.compile(r"^(?P<text>.+?)\s*:\s*(?P<value>[^:]+)$")


def _amount_lines(raw: str, field: str) -> list[tuple[str, int]]:
    try:
        lines = parse_fundings(raw)
    except ParseError as exc:
        raise forms.ValidationError(str(exc)) from exc
    result = []
    for line in lines:
        if line.amount is None:
            raise forms.ValidationError(_("Belopp saknas för ”%s”.") % line.funder)
        result.append((line.funder, line.amount))
    return result


def _indicator_lines(raw: str) -> list[IndicatorSpec]:
    """``Deltagare: 40 personer`` per line."""
    result = []
    for part in raw.splitlines():
        if not part.strip():
            continue
        match = LINE.match(part.strip())
        if not match:
            raise forms.ValidationError(_("Skriv ”Indikator: målvärde enhet” – ”%s”") % part)
        value, _sep, unit = match["value"].strip().partition(" ")
        try:
            target = Decimal(value.replace(",", "."))
        except InvalidOperation as exc:
            raise forms.ValidationError(_("”%s” är inget tal.") % value) from exc
        result.append(IndicatorSpec(match["text"][:200], target, unit.strip()[:50]))
    return result


class ApplicationForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Sökande")
    )
    title = forms.CharField(label=gettext_lazy("Projektets namn"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Sammanfattning"), widget=forms.Textarea, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Projektbeskrivning"), widget=forms.Textarea, required=False
    )
    county = forms.ModelChoiceField(
        label=gettext_lazy("Län"), queryset=County.objects.all(), required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Teman"), queryset=Theme.objects.all(), required=False
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Målgrupper"), queryset=TargetGroup.objects.all(), required=False
    )
    start_date = forms.DateField(label=gettext_lazy("Startdatum"), required=False)
    end_date = forms.DateField(label=gettext_lazy("Slutdatum"), required=False)
    partners = forms.CharField(
        label=gettext_lazy("Partner (en per rad: organisationskod eller namn: roll)"),
        help_text=gettext_lazy("Roller: finansiär, ansvarig, genomförare, partner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    total_budget = forms.IntegerField(
        label=gettext_lazy("Total budget (kr)"), min_value=0, initial=0
    )
    budget_lines = forms.CharField(
        label=gettext_lazy("Budget (en kostnadspost per rad: post: belopp)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    requested_amount = forms.IntegerField(
        label=gettext_lazy("Sökt belopp (kr)"), min_value=0, initial=0
    )
    co_financing = forms.CharField(
        label=gettext_lazy("Medfinansiering (en per rad: finansiär: belopp)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    expected_results = forms.CharField(
        label=gettext_lazy("Förväntade resultat"), widget=forms.Textarea, required=False
    )
    indicators = forms.CharField(
        label=gettext_lazy("Indikatorer (en per rad: indikator: målvärde enhet)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(
        self, *args: Any, user: Any, call: Call, application: Application | None = None, **kw: Any
    ):
        if application is not None:
            kw.setdefault("initial", application_initial(application))
        super().__init__(*args, **kw)
        self.call = call
        self.fields["owner"].queryset = tenancy.acting_organisations(user).exclude(pk=call.owner_id)  # type: ignore[attr-defined]
        if application is not None:
            del self.fields["owner"]
        for value, label in Perspective.choices:
            self.fields[f"perspective_{value}"] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                help_text=_("Krävs i den här utlysningen.")
                if value in call.required_perspectives
                else "",
            )

    def clean_budget_lines(self) -> list[tuple[str, int]]:
        return _amount_lines(self.cleaned_data["budget_lines"], "budget_lines")

    def clean_co_financing(self) -> list[tuple[str, int]]:
        return _amount_lines(self.cleaned_data["co_financing"], "co_financing")

    def clean_indicators(self) -> list[IndicatorSpec]:
        return _indicator_lines(self.cleaned_data["indicators"])

    def clean_partners(self) -> list[tuple[Organisation, str]]:
        try:
            lines = parse_partners(self.cleaned_data["partners"])
        except ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc
        result = []
        for line in lines:
            org = (
                Organisation.objects.filter(code=line.organisation).first()
                or Organisation.objects.filter(name__iexact=line.organisation).first()
            )
            if org is None:
                raise forms.ValidationError(_("Okänd organisation: %s") % line.organisation)
            result.append((org, line.role))
        return result

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        data["perspectives"] = {
            value: data.pop(f"perspective_{value}", "") for value in Perspective.values
        }
        return data


def application_initial(application: Application) -> dict[str, Any]:
    return {
        **{
            f: getattr(application, f)
            for f in (
                "title",
                "summary",
                "description",
                "county",
                "start_date",
                "end_date",
                "total_budget",
                "requested_amount",
                "expected_results",
            )
        },
        "themes": list(application.themes.all()),
        "target_groups": list(application.target_groups.all()),
        "partners": "\n".join(
            f"{p.organisation.code}: {p.get_role_display()}"
            for p in application.partners.select_related("organisation")
        ),
        "budget_lines": "\n".join(f"{b.item}: {b.amount}" for b in application.budget_lines.all()),
        "co_financing": "\n".join(
            f"{c.funder}: {c.amount}" for c in application.co_financing.all()
        ),
        "indicators": "\n".join(
            f"{i.name}: {i.target.normalize()} {i.unit}".strip()
            for i in application.indicators.all()
        ),
        **{f"perspective_{k}": v for k, v in (application.perspectives or {}).items()},
    }


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bilaga (PDF, DOCX, XLSX, ODT, PNG eller JPEG, högst 10 MB)")
    )


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=gettext_lazy("Är du jävig i förhållande till den sökande eller projektet?"),
        choices=[
            ("no", gettext_lazy("Nej, jag är inte jävig")),
            ("yes", gettext_lazy("Ja, jag är jävig")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Kommentar"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ScoreForm(forms.Form):
    def __init__(self, *args: Any, criteria: Any, existing: dict[int, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(i, str(i)) for i in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            previous = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.title} ({_('vikt')} {criterion.weight})",
                choices=choices,
                coerce=int,
                help_text=criterion.guidance,
                initial=previous.score if previous else None,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Kommentar: %s") % criterion.title,
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=previous.comment if previous else "",
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Beslut"), choices=Outcome.choices)
    amount = forms.IntegerField(label=gettext_lazy("Beviljat belopp (kr)"), min_value=0, initial=0)
    conditions = forms.CharField(
        label=gettext_lazy("Villkor"), widget=forms.Textarea, required=False
    )
    reasons = forms.CharField(
        label=gettext_lazy("Motivering"), widget=forms.Textarea, required=False
    )


class ReportForm(forms.Form):
    progress = forms.CharField(label=gettext_lazy("Hur har arbetet gått?"), widget=forms.Textarea)
    money_spent = forms.IntegerField(
        label=gettext_lazy("Använda medel (kr)"), min_value=0, required=False
    )
    participants_total = forms.IntegerField(
        label=gettext_lazy("Deltagare totalt"), min_value=0, required=False
    )
    participants_women = forms.IntegerField(
        label=gettext_lazy("Varav kvinnor"), min_value=0, required=False
    )
    participants_men = forms.IntegerField(
        label=gettext_lazy("Varav män"), min_value=0, required=False
    )
    participants_foreign_born = forms.IntegerField(
        label=gettext_lazy("Varav utrikes födda"), min_value=0, required=False
    )
    participants_swedish_born = forms.IntegerField(
        label=gettext_lazy("Varav inrikes födda"), min_value=0, required=False
    )
    money_women = forms.IntegerField(
        label=gettext_lazy("Medel som nått kvinnor (kr)"), min_value=0, required=False
    )
    money_men = forms.IntegerField(
        label=gettext_lazy("Medel som nått män (kr)"), min_value=0, required=False
    )
    money_foreign_born = forms.IntegerField(
        label=gettext_lazy("Medel som nått utrikes födda (kr)"), min_value=0, required=False
    )
    money_swedish_born = forms.IntegerField(
        label=gettext_lazy("Medel som nått inrikes födda (kr)"), min_value=0, required=False
    )

    def __init__(self, *args: Any, indicators: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"result_{indicator.pk}"] = forms.DecimalField(
                label=_("Uppnått: %(name)s (mål %(target)s %(unit)s)")
                % {
                    "name": indicator.name,
                    "target": indicator.target.normalize(),
                    "unit": indicator.unit,
                },
                required=False,
            )

    def results(self) -> dict[int, Decimal]:
        return {
            i.pk: self.cleaned_data[f"result_{i.pk}"]
            for i in self.indicators
            if self.cleaned_data.get(f"result_{i.pk}") is not None
        }

    def reach(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in REACH_FIELDS}


__all__ = ["parse_amount"]
