from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Visibility
from samverkan.indicators.models import Direction, Sex, SourceKind
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


def _birth_region_choices() -> list[tuple[str, Any]]:
    from samverkan.indicators.models import BirthRegion

    return [(value, label) for value, label in BirthRegion.choices if value]


class IndicatorForm(forms.Form):
    """An organisation's own indicator: what it measures, how, from where, broken down how."""

    owner = forms.ModelChoiceField(queryset=None, label=_("Ägare"))  # type: ignore[var-annotated]
    title = forms.CharField(label=_("Namn"), max_length=200)
    definition = forms.CharField(
        label=_("Definition"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad som räknas, täljare och nämnare, och vilken tidpunkt värdet avser."),
    )
    unit = forms.CharField(
        label=_("Enhet"), max_length=40, help_text=_("T.ex. procent, antal, år.")
    )
    direction = forms.ChoiceField(label=_("Riktning"), choices=Direction.choices)
    source_kind = forms.ChoiceField(
        label=_("Källa"), choices=SourceKind.choices, initial=SourceKind.OWN
    )
    source_id = forms.CharField(
        label=_("Källans id"),
        max_length=60,
        required=False,
        help_text=_("Kolada-KPI (N02268), SCB-tabell (TAB6471) eller Eurostat-dataset."),
    )
    source_note = forms.CharField(
        label=_("Källhänvisning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Som en läsare citerar en rapport: titel, utgivare, år, avsnitt."),
    )
    by_sex = forms.BooleanField(label=_("Redovisas per kön"), required=False)
    birth_regions = forms.MultipleChoiceField(
        label=_("Redovisas per födelseregion"),
        choices=_birth_region_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    age_bands = forms.CharField(
        label=_("Åldersgrupper"),
        required=False,
        max_length=400,
        help_text=_("Kommaseparerade, t.ex. 20-64, 65+. Tomt om värdena gäller alla åldrar."),
    )
    visibility = forms.ChoiceField(
        label=_("Synlighet"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
            if owners.count() == 1:
                self.fields["owner"].initial = owners.first()

    def clean_age_bands(self) -> list[str]:
        return [b.strip() for b in self.cleaned_data["age_bands"].split(",") if b.strip()]


class ObservationForm(forms.Form):
    value = forms.CharField(
        label=_("Värde"),
        required=False,
        max_length=40,
        help_text=_("Decimalkomma eller punkt. Tomt: värdet saknas."),
    )
    status = forms.TypedChoiceField(label=_("Status"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("Varför ändras värdet?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('Sparas i historiken med ditt namn, t.ex. "rättat efter SCB:s revidering".'),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from samverkan.indicators.authoring import STATUSES_BY_HAND

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s.value, s.label or _("Normal")) for s in STATUSES_BY_HAND
        ]

    def clean_value(self) -> float | None:
        text = self.cleaned_data["value"].strip().replace("\u2212", "-").replace(" ", "")
        if not text:
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise forms.ValidationError(_("Skriv ett tal, t.ex. 63,5.")) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise forms.ValidationError(_("Skriv ett tal, t.ex. 63,5."))
        return number


class ObservationDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför tas värdet bort?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _county_choices() -> list[tuple[str, Any]]:
    from samverkan.geo.models import County

    return [("", _("Hela landet (alla län och kommuner)"))] + [
        (code, name) for code, name in County.objects.order_by("code").values_list("code", "name")
    ]


class FetchForm(forms.Form):
    """Fetching an indicator's values from its source (Kolada or SCB)."""

    years = forms.CharField(
        label=_("År"),
        required=False,
        max_length=100,
        help_text=_("T.ex. 2015-2024 eller 2020, 2022. Tomt: de senaste tio åren."),
    )
    county = forms.ChoiceField(label=_("Område"), choices=_county_choices, required=False)
    replace = forms.BooleanField(
        label=_("Ersätt värden som redan finns för samma år"), required=False, initial=True
    )


class IndicatorFromFileForm(forms.Form):
    """A statistics file that describes its own table (JSON-stat, PxWeb): the indicator is
    made from its title, unit and source, or the owner's indicator for the same table reused."""

    owner = forms.ModelChoiceField(queryset=None, label=_("Ägare"))  # type: ignore[var-annotated]
    file = forms.FileField(
        label=_("Statistikfil"),
        help_text=_(
            "JSON-stat eller ett svar från SCB:s PxWeb-API (formatet känns igen). Finns "
            "indikatorn redan ersätts värdena för filens perioder."
        ),
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        if owners is not None and owners.count() == 1:
            self.fields["owner"].initial = owners.first()
