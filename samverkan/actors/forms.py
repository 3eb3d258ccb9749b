from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Role
from samverkan.actors.models import (
    Agreement,
    AgreementRole,
    Meeting,
    Network,
    NetworkLink,
    NetworkRole,
    Organisation,
    OrganisationKind,
    Responsibility,
    Sector,
    Theme,
)
from samverkan.geo.models import County, Municipality


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök på namn"), required=False)
    kind = forms.ChoiceField(
        label=_("Typ"), required=False, choices=[("", _("Alla typer")), *OrganisationKind.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sektor"), required=False, choices=[("", _("Alla sektorer")), *Sector.choices]
    )
    county = forms.ChoiceField(label=_("Län"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["county"]).choices = [("", _("Alla län"))] + [
            (c.code, c.name) for c in County.objects.order_by("code")
        ]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "sector",
            "county",
            "municipality",
            "org_number",
            "description",
            "website",
            "visibility",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["sector"].required = False
        municipality = cast(forms.ModelChoiceField, self.fields["municipality"])
        municipality.queryset = Municipality.objects.select_related("county")


class MembershipForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices, initial=Role.EDITOR)


class ContactAddressForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    name = forms.CharField(label=_("Namn"), max_length=200, required=False)
    role = forms.CharField(
        label=_("Roll"),
        max_length=100,
        required=False,
        help_text=_("T.ex. registrator eller integrationssamordnare."),
    )
    for_surveys = forms.BooleanField(label=_("För enkäter"), required=False, initial=True)
    for_consultations = forms.BooleanField(label=_("För remisser"), required=False, initial=True)


def _model_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = [
            "name",
            "kind",
            "scope",
            "county",
            "municipality",
            "convener",
            "themes",
            "purpose",
            "start_date",
            "end_date",
            "parent",
            "source",
            "visibility",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Registreras av"), queryset=owners, initial=owners.first()
            )
        _model_field(self, "municipality").queryset = Municipality.objects.select_related("county")
        _model_field(self, "convener").queryset = Organisation.objects.order_by("name")
        _model_field(self, "parent").queryset = Network.objects.order_by("name")


class NetworkMembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Roller"),
        queryset=NetworkRole.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(
        label=_("Startdatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Slutdatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=300)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "date",
            "place",
            "topic",
            "arrangers",
            "attendance_public",
            "attendance_civil_society",
            "attendance_private",
            "attendance_academia",
            "attendance_total",
            "attendance_approximate",
            "attendance_note",
            "source",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "arrangers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a meeting registered here has a date; only records from sources may lack one
        self.fields["date"].required = True


class NetworkLinkForm(forms.ModelForm):
    url = forms.URLField(label=_("Adress"), max_length=500, assume_scheme="https")

    class Meta:
        model = NetworkLink
        fields = ["title"]  # ``url`` is declared above (https as the default scheme)


class ResponsibilityClaimForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    theme = forms.ModelChoiceField(label=_("Tema"), queryset=Theme.objects.all())
    responsibility = forms.ChoiceField(label=_("Ansvar"), choices=Responsibility.choices)
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=300)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _model_field(self, "organisation").queryset = organisations


class GraphFilterForm(forms.Form):
    county = forms.ChoiceField(label=_("Län"), required=False)
    theme = forms.ChoiceField(label=_("Tema"), required=False)
    sector = forms.ChoiceField(
        label=_("Sektor"), required=False, choices=[("", _("Alla sektorer")), *Sector.choices]
    )
    role = forms.ChoiceField(label=_("Roll"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choice_field(self, "county").choices = [("", _("Hela landet"))] + [
            (c.code, c.name) for c in County.objects.order_by("code")
        ]
        _choice_field(self, "theme").choices = [("", _("Alla teman"))] + [
            (t.code, t.name) for t in Theme.objects.all()
        ]
        _choice_field(self, "role").choices = [("", _("Alla roller"))] + [
            (r.code, r.name) for r in NetworkRole.objects.all()
        ]


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "name",
            "kind",
            "county",
            "municipality",
            "responsible",
            "responsible_note",
            "purpose",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "period_note",
            "network",
            "website",
            "source",
            "visibility",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, owners: Any = None, networks: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Registreras av"), queryset=owners, initial=owners.first()
            )
        _model_field(self, "municipality").queryset = Municipality.objects.select_related("county")
        _model_field(self, "responsible").queryset = Organisation.objects.order_by("name")
        _model_field(self, "network").queryset = (
            networks if networks is not None else Network.objects.none()
        )


class AgreementPartyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    name = forms.CharField(
        label=_("Eller namn"),
        max_length=200,
        required=False,
        help_text=_("När aktören inte är registrerad, t.ex. en grupp av organisationer."),
    )
    role = forms.ChoiceField(label=_("Roll i överenskommelsen"), choices=AgreementRole.choices)
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)
    source = forms.CharField(label=_("Källa"), max_length=300, required=False)


class AgreementPrincipleForm(forms.Form):
    name = forms.CharField(label=_("Princip"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(label=_("Källa"), max_length=300, required=False)
