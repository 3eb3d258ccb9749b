from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.actors.models import Organisation, TargetGroup, Theme
from samverkan.geo.models import County
from samverkan.projects.models import Project, ProjectStatus
from samverkan.projects.parsing import ParseError, parse_amount, parse_fundings, parse_partners


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
