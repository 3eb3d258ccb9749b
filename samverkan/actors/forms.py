from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Role
from samverkan.actors.models import Organisation, OrganisationKind, Sector
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
