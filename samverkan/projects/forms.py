from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.actors.models import Organisation, OrganisationKind, TargetGroup, Theme
from samverkan.core.models import Visibility
from samverkan.geo.models import County
from samverkan.projects.models import MappingRound, Project, ProjectStatus
from samverkan.projects.parsing import (
    ParseError,
    parse_amount,
    parse_fundings,
    parse_partial_date,
    parse_partners,
    partial_date_text,
)
from samverkan.projects.services import (
    MAPPING_COUNT_MAX,
    MAPPING_GROUPS_MAX,
    MappingGroupData,
    mapping_group_problems,
)


class ProjectSearchForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=1000)
    county = forms.ChoiceField(label=_("Län"), required=False)
    theme = forms.ChoiceField(label=_("Tema"), required=False)
    target_group = forms.ChoiceField(label=_("Målgrupp"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla")), *ProjectStatus.choices]
    )
    good_example = forms.ChoiceField(
        label=_("Lärande exempel"),
        required=False,
        choices=[("", _("Alla")), ("1", _("Ja")), ("0", _("Nej"))],
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["county"].choices = [("", _("Alla län"))] + [
            (c.code, c.name) for c in County.objects.order_by("code")
        ]
        fields["theme"].choices = [("", _("Alla teman"))] + [
            (t.code, t.name) for t in Theme.objects.all()
        ]
        fields["target_group"].choices = [("", _("Alla målgrupper"))] + [
            (g.code, g.name) for g in TargetGroup.objects.all()
        ]


def organisation_by_code_or_name(value: str) -> Organisation | None:
    return (
        Organisation.objects.filter(code=value.lower()).first()
        or Organisation.objects.filter(name__iexact=value).first()
    )


class ProjectForm(forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Ägare"), queryset=Organisation.objects.none())
    budget_text = forms.CharField(
        label=_("Budget"), required=False, help_text=_("T.ex. 1 200 000 kr")
    )
    partners_text = forms.CharField(
        label=_("Partner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "En per rad: organisationens kod eller namn: roll "
            "(finansiär, ansvarig, genomförare, partner)."
        ),
    )
    fundings_text = forms.CharField(
        label=_("Finansiärer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En per rad: finansiär: belopp, t.ex. ESF: 500 000 kr"),
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "summary",
            "description",
            "county",
            "municipalities",
            "themes",
            "target_groups",
            "start_date",
            "end_date",
            "status",
            "expected_results",
            "achieved_results",
            "evaluation",
            "lessons",
            "participants_total",
            "participants_women",
            "participants_men",
            "participants_foreign_born",
            "participants_swedish_born",
            "money_women",
            "money_men",
            "money_foreign_born",
            "money_swedish_born",
            "links",
            "visibility",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "expected_results",
                    "achieved_results",
                    "evaluation",
                    "lessons",
                    "links",
                )
            },
        }

    builds_on = forms.ModelMultipleChoiceField(
        label=_("Tar sin utgångspunkt i"),
        required=False,
        queryset=Organisation.objects.none(),  # set in __init__: the user's readable RUS etc.
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Den regionala utvecklingsstrategin (RUS) eller det tillväxtavtal som "
            "projektet utgår från."
        ),
    )

    def __init__(self, *args: Any, owners: Any = None, development: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner"].queryset = owners if owners is not None else Organisation.objects.none()
        if development is not None:
            fields["builds_on"].queryset = development
            if self.instance.pk:
                self.initial["builds_on"] = list(
                    development.filter(pk__in=self.instance.builds_on.values("pk"))
                )
        else:
            self.fields.pop("builds_on")
        fields["municipalities"].queryset = fields["municipalities"].queryset.select_related(
            "county"
        )
        project = self.instance
        if project.pk:
            self.fields.pop("owner")
            self.initial["budget_text"] = (
                f"{project.budget:,} kr".replace(",", " ") if project.budget else ""
            )
            self.initial["partners_text"] = "\n".join(
                f"{p.organisation.code}: {p.get_role_display().lower()}"
                for p in project.participants.select_related("organisation")
            )
            self.initial["fundings_text"] = "\n".join(
                f"{f.funder}: {f.amount or ''}" for f in project.fundings.all()
            )

    def clean_budget_text(self) -> int | None:
        try:
            return parse_amount(self.cleaned_data["budget_text"])
        except ParseError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_fundings_text(self) -> Any:
        try:
            return parse_fundings(self.cleaned_data["fundings_text"])
        except ParseError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_partners_text(self) -> list[tuple[Organisation, str]]:
        try:
            lines = parse_partners(self.cleaned_data["partners_text"])
        except ParseError as exc:
            raise ValidationError(str(exc)) from exc
        partners = []
        for line in lines:
            organisation = organisation_by_code_or_name(line.organisation)
            if organisation is None:
                raise ValidationError(_("Okänd organisation ”%s”.") % line.organisation)
            partners.append((organisation, line.role))
        return partners

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        return {
            **{
                k: v
                for k, v in data.items()
                if k
                not in {
                    "budget_text",
                    "partners_text",
                    "fundings_text",
                    "municipalities",
                    "themes",
                    "target_groups",
                    "builds_on",
                }
            },
            "budget": data["budget_text"],
            "participants": data["partners_text"],
            "fundings": data["fundings_text"],
            "municipalities": list(data["municipalities"]),
            "themes": list(data["themes"]),
            "target_groups": list(data["target_groups"]),
            "builds_on": list(data["builds_on"]) if "builds_on" in data else None,
        }


class ProjectImportForm(forms.Form):
    acting_for: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Registreras av organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Ägare för rader utan kolumnen ”ägare”."),
    )
    file = forms.FileField(label=_("Fil i kartläggningsmallen (CSV, XLSX eller JSON)"))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast_field: Any = self.fields["acting_for"]
        cast_field.queryset = organisations


def _count_field(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAPPING_COUNT_MAX,
        help_text=help_text or _("Tomt om okänt (aldrig 0 för okänt)."),
    )


class MappingRoundForm(forms.Form):
    """A mapping round's own fields; its groups of respondents are ``MappingGroupForm``s. A
    plain form (not bound to the record), so that the service sees the record as stored."""

    owner = forms.ModelChoiceField(
        label=_("Genomförs av"), queryset=Organisation.objects.none(), required=True
    )
    title = forms.CharField(label=_("Titel"), max_length=300)
    county = forms.ModelChoiceField(
        label=_("Län"),
        queryset=County.objects.order_by("code"),
        required=False,
        empty_label=_("Hela landet / inget län"),
    )
    when = forms.CharField(
        label=_("När"),
        required=False,
        max_length=40,
        help_text=_(
            "År (1999), månad (1999-11) eller dag (1999-11-18), så noga som källan anger. "
            "Tomt om okänt."
        ),
    )
    description = forms.CharField(
        label=_("Vad som efterfrågades"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    projects_reported = _count_field(_("Inrapporterade projekt"))
    projects_selected = _count_field(_("Projekt utvalda för fördjupning"))
    selection_note = forms.CharField(label=_("Om urvalet"), max_length=300, required=False)
    result = forms.CharField(
        label=_("Resultat och rapport"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    campaign = forms.ModelChoiceField(
        label=_("Utskick i Samverkan"),
        queryset=MappingRound._meta.get_field("campaign").related_model._default_manager.none(),
        required=False,
        help_text=_("När kartläggningen gjordes med en enkät i Samverkan."),
    )
    source = forms.CharField(
        label=_("Källa"),
        max_length=300,
        required=False,
        help_text=_("Rapportens titel, utgivare, år och avsnitt."),
    )
    visibility = forms.ChoiceField(label=_("Synlighet"), choices=Visibility.choices)

    def __init__(
        self,
        *args: Any,
        owners: Any = None,
        campaigns: Any = None,
        mapping: MappingRound | None = None,
        **kwargs: Any,
    ):
        if mapping is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": mapping.title,
                    "county": mapping.county_id,
                    "when": partial_date_text(mapping.start_date, mapping.start_precision),
                    "description": mapping.description,
                    "projects_reported": mapping.projects_reported,
                    "projects_selected": mapping.projects_selected,
                    "selection_note": mapping.selection_note,
                    "result": mapping.result,
                    "campaign": mapping.campaign_id,
                    "source": mapping.source,
                    "visibility": mapping.visibility,
                },
            )
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if owners is None:
            self.fields.pop("owner")
        else:
            fields["owner"].queryset = owners
        if campaigns is not None:
            fields["campaign"].queryset = campaigns
        if "visibility" not in self.initial:
            self.initial["visibility"] = MappingRound._meta.get_field("visibility").default

    def clean_when(self) -> tuple[Any, str]:
        try:
            return parse_partial_date(self.cleaned_data["when"])
        except ParseError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reported, selected = data.get("projects_reported"), data.get("projects_selected")
        if reported is not None and selected is not None and selected > reported:
            self.add_error(
                "projects_selected", _("Fler projekt kan inte ha valts ut än som rapporterades in.")
            )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        data["start_date"], data["start_precision"] = data.pop("when")
        return data


class OrganisationsField(forms.ModelMultipleChoiceField):
    """Organisations by name with their kind ("Malmö stad (Kommun)")."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


RESPONDENT_KINDS = [
    ("", _("Blandat eller annat")),
    (OrganisationKind.MUNICIPALITY, OrganisationKind.MUNICIPALITY.label),
    (OrganisationKind.CITY_DISTRICT, OrganisationKind.CITY_DISTRICT.label),
    *(
        (value, label)
        for value, label in OrganisationKind.choices
        if value not in (OrganisationKind.MUNICIPALITY, OrganisationKind.CITY_DISTRICT)
    ),
]


class MappingGroupForm(forms.Form):
    """One group of respondents: who was asked, how many answered, who did not."""

    label = forms.CharField(
        label=_("Tillfrågade"),
        max_length=200,
        help_text=_("T.ex. ”Länets kommuner” eller ”Stadsdelar i Malmö stad”."),
    )
    respondent_kind = forms.ChoiceField(
        label=_("Typ av svarande"), choices=RESPONDENT_KINDS, required=False
    )
    asked = _count_field(_("Antal tillfrågade"))
    answered = _count_field(_("Antal som svarade"))
    answered_percent = forms.IntegerField(
        label=_("Andel som svarade (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("När källan bara anger andelen."),
    )
    approximate = forms.BooleanField(label=_("Antalen är ungefärliga"), required=False)
    respondents = OrganisationsField(
        label=_("Tillfrågade organisationer"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Om de namnges. Välj flera med Ctrl eller Cmd."),
    )
    non_respondents = OrganisationsField(
        label=_("Svarade inte"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Organisationerna som inte svarade, om de namnges. De som svarade är de "
            "tillfrågade som inte står här."
        ),
    )
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.county_id: int | None = None  # the round's county, set before validation
        fields: Any = self.fields
        if organisations is not None:
            fields["respondents"].queryset = organisations
            fields["non_respondents"].queryset = organisations

    def group_data(self) -> MappingGroupData:
        data = self.cleaned_data
        return MappingGroupData(
            label=data.get("label") or "",
            respondent_kind=data.get("respondent_kind") or "",
            asked=data.get("asked"),
            answered=data.get("answered"),
            answered_percent=data.get("answered_percent"),
            approximate=bool(data.get("approximate")),
            respondents=list(data.get("respondents") or []),
            non_respondents=list(data.get("non_respondents") or []),
            note=data.get("note") or "",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE"):
            return data
        already = set(self.errors)  # a field that failed its own checks is not checked again
        problems = mapping_group_problems(self.group_data(), county_id=self.county_id)
        for field, messages in problems.items():
            if field not in already:
                for message in messages:
                    self.add_error(field, message)
        return data


class BaseMappingGroupFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Ta bort gruppen")

    def groups(self) -> list[MappingGroupData]:
        """The groups to keep, in order: the existing ones and the filled-in new ones, less
        those marked for removal (an untouched blank form has no cleaned data)."""
        return [
            form.group_data()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def mapping_group_formset(*, extra: int) -> type[BaseMappingGroupFormSet]:
    return forms.formset_factory(  # type: ignore[return-value]  # a BaseMappingGroupFormSet
        MappingGroupForm,
        formset=BaseMappingGroupFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAPPING_GROUPS_MAX,
        validate_max=True,
        absolute_max=MAPPING_GROUPS_MAX,
    )
