from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Visibility
from samverkan.indicators.models import Sex
from samverkan.indicators.services import MAX_KEY_INDICATORS


class TargetForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("Organisation"))  # type: ignore[var-annotated]
    title = forms.CharField(label=_("Mål"), max_length=200)
    area_code = forms.CharField(
        label=_("Områdeskod"),
        max_length=40,
        help_text=_("0000 för riket, länskod (12) eller kommunkod (1280)."),
    )
    sex = forms.ChoiceField(label=_("Kön"), choices=Sex.choices)
    baseline_year = forms.IntegerField(label=_("Basår"), min_value=1900, max_value=2100)
    baseline_value = forms.FloatField(label=_("Utgångsvärde"))
    target_year = forms.IntegerField(label=_("Målår"), min_value=1900, max_value=2100)
    target_value = forms.FloatField(label=_("Målvärde"))
    goal = forms.ModelChoiceField(  # type: ignore[var-annotated]
        queryset=None,
        label=_("Mål i en strategi"),
        required=False,
        help_text=_("Målet i er strategi som indikatorn följer upp."),
    )
    goal_reference = forms.CharField(
        label=_("Annat strategimål (text)"), max_length=200, required=False
    )
    visibility = forms.ChoiceField(
        label=_("Synlighet"), choices=Visibility.choices, initial=Visibility.INTERNAL
    )

    def __init__(self, *args, owners=None, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["goal"].queryset = goals
        self.fields["goal"].label_from_instance = lambda g: f"{g.strategy.title} › {g.title}"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fil"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("auto", _("Känn igen automatiskt")),
            ("jsonstat", "JSON-stat 1.0/2.0"),
            ("pxweb", _("PxWeb (SCB:s API v1/v2, JSON)")),
            ("sdmx-csv", "SDMX-CSV (Eurostat)"),
            ("csv", _("CSV (mall)")),
            ("xlsx", _("XLSX (mall)")),
        ],
        initial="auto",
        required=False,
        help_text=_(
            "Formatet känns igen på innehållet: JSON-stat, PxWeb, SDMX-CSV eller CSV/XLSX med "
            "kolumnerna områdeskod, period och värde (decimalkomma går bra)."
        ),
    )
    metric = forms.CharField(label=_("Mått (ContentsCode)"), required=False)
    replace = forms.BooleanField(label=_("Ersätt värden för filens perioder"), required=False)

    def clean_format(self) -> str:
        return self.cleaned_data.get("format") or "auto"


class KeyIndicatorsForm(forms.Form):
    """Up to five key indicators for an area's hub, in the order they are shown."""

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_KEY_INDICATORS + 1):
            self.fields[f"slot_{n}"] = forms.ChoiceField(
                label=_("Nyckelindikator %(n)d") % {"n": n},
                choices=[("", _("– ingen –")), *choices],
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[str] = set()
        for name in self.fields:
            code = data.get(name)
            if code and code in seen:
                self.add_error(name, _("Indikatorn är redan vald ovanför."))
            seen.add(code or "")
        return data

    def chosen_codes(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields if self.cleaned_data.get(name)]
