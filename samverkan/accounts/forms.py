from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-postadress"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def get_invalid_login_error(self) -> ValidationError:
        if getattr(self.request, "login_throttled", False):
            return ValidationError(
                _(
                    "För många misslyckade inloggningar för det här kontot. Vänta en stund "
                    "och försök igen, eller återställ lösenordet."
                ),
                code="throttled",
            )
        return super().get_invalid_login_error()
