from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.core import tenancy
from samverkan.core.exchange import EXPORTERS, IMPORTERS


def add_form_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vad importeras"))
    acting_for: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Registreras av organisation"),
        queryset=tenancy.organisation_model()._default_manager.none(),
        required=False,
        help_text=_("Din organisation förvaltar de importerade posterna."),
    )
    file = forms.FileField(label=_("Fil (CSV, XLSX eller JSON)"))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (k, i.label) for k, i in sorted(IMPORTERS.items())
        ]
        cast(forms.ModelChoiceField, self.fields["acting_for"]).queryset = organisations
        only = list(organisations[:2])
        if len(only) == 1:  # the one organisation this user may act for
            self.fields["acting_for"].initial = only[0].pk


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vad exporteras"))
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV"), ("json", "JSON")]
    )
    county = forms.CharField(label=_("Länskod (valfritt)"), required=False, max_length=2)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (k, e.label) for k, e in sorted(EXPORTERS.items())
        ]
