from typing import Any, cast

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samverkan.actors.models import Network, Organisation, OrganisationKind
from samverkan.geo.models import County
from samverkan.surveys import conditions
from samverkan.surveys.models import QuestionType

RULES = [
    ("county_boards", _("Alla länsstyrelser")),
    ("county_boards_outside_metropolitan", _("Alla länsstyrelser utom storstadslänen")),
    ("municipalities", _("Alla kommuner (i valt län)")),
    ("municipalities_and_city_districts", _("Alla kommuner och stadsdelar (i valt län)")),
    ("regions", _("Alla regioner")),
    ("network", _("Medlemmarna i ett nätverk (nuvarande medlemmar)")),
    ("manual", _("Valda för hand")),
]


def _counties() -> list[tuple[str, str | Promise]]:
    return [("", _("Alla län"))] + [(c.code, c.name) for c in County.objects.order_by("code")]


class OwnerMixin(forms.Form):
    owner = forms.ModelChoiceField(label=_("Ägare"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["owner"])
        field.queryset = owners if owners is not None else Organisation.objects.none()
        # one organisation to choose from: chosen already
        only = list(field.queryset[:2])
        if len(only) == 1 and not self.initial.get("owner"):
            self.initial["owner"] = only[0].pk


class XLSFormImportForm(OwnerMixin):
    file = forms.FileField(label=_("XLSForm-fil (.xlsx)"))


class QuestionnaireForm(OwnerMixin):
    """ "Ny enkät": the questionnaire's title and owner; questions are added next."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visas inte för de som svarar; till för er som använder enkäten."),
    )


class QuestionnaireCopyForm(OwnerMixin):
    title = forms.CharField(label=_("Titel på kopian"), max_length=200)


class ConditionMixin(forms.Form):
    """ "Visas om": a question, an operator and a value, turned into an XLSForm expression by
    ``conditions.condition_build``; the expression itself can be written under "Avancerat"."""

    condition_question = forms.ChoiceField(label=_("Visas om frågan"), required=False)
    condition_operator = forms.ChoiceField(
        label=_("Villkor"), required=False, choices=conditions.OPERATORS
    )
    condition_value = forms.CharField(
        label=_("Värde"),
        required=False,
        max_length=300,
        help_text=_("För val-frågor: svarsalternativets text, t.ex. Ja."),
    )
    relevant = forms.CharField(
        label=_("Avancerat: villkor som XLSForm-uttryck"),
        required=False,
        max_length=2000,
        help_text=_("Används bara om ingen fråga är vald ovan. T.ex. ${q1} = 'ja'"),
    )

    def __init__(self, *args: Any, questions: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["condition_question"]).choices = [
            ("", _("(visas alltid)")),
            *(questions or []),
        ]
        self.fields["condition_value"].widget.attrs["list"] = "condition-values"

    def relevant_value(self, definition: Any) -> str:
        """The expression to store; raises ValidationError naming the condition field."""
        data = self.cleaned_data
        if data.get("condition_question"):
            return conditions.condition_build(
                definition=definition,
                question_name=data["condition_question"],
                operator=data.get("condition_operator") or "eq",
                value=data.get("condition_value") or "",
            )
        return str(data.get("relevant") or "").strip()

    @staticmethod
    def initial_for(expression: str) -> dict[str, str]:
        """Builder fields for a stored expression it can show, else the advanced field."""
        condition = conditions.condition_parse(expression) if expression else None
        if condition is None:
            return {"relevant": expression}
        return {
            "condition_question": condition.name,
            "condition_operator": condition.operator,
            "condition_value": condition.value,
        }


class GroupForm(ConditionMixin):
    name = forms.SlugField(label=_("Namn (kolumnnamn)"), max_length=100)
    label = forms.CharField(label=_("Rubrik"), max_length=300)


class QuestionForm(ConditionMixin):
    type = forms.ChoiceField(
        label=_("Typ"),
        choices=[c for c in QuestionType.choices if c[0] not in {"begin_group", "end_group"}],
    )
    name = forms.SlugField(label=_("Namn (kolumnnamn)"), max_length=100)
    label = forms.CharField(label=_("Fråga"), widget=forms.Textarea(attrs={"rows": 2}))
    choices = forms.CharField(
        label=_("Svarsalternativ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ett per rad, ”namn Etikett”, t.ex. ”ja Ja”. Endast för val-frågor."),
    )
    required = forms.BooleanField(label=_("Obligatorisk"), required=False)
    group = forms.ChoiceField(label=_("I gruppen"), required=False)
    constraint = forms.CharField(
        label=_("Kontroll (constraint)"),
        required=False,
        help_text=_("Punkten står för svaret, t.ex. . >= 0 and . < 1000"),
    )
    calculation = forms.CharField(
        label=_("Beräkning (calculation)"),
        required=False,
        max_length=2000,
        help_text=_("Bara för typen Beräkning, t.ex. ${antal} * 12; räknas ut när svaret sparas."),
    )
    field_order = [
        "type",
        "name",
        "label",
        "choices",
        "required",
        "group",
        "condition_question",
        "condition_operator",
        "condition_value",
        "relevant",
        "constraint",
        "calculation",
    ]

    def __init__(self, *args: Any, groups: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = [
            ("", _("(ingen grupp)")),
            *(groups or []),
        ]
        if not groups:
            del self.fields["group"]


class QuestionEditForm(ConditionMixin):
    """Edit a question's text, conditions and (for select questions) its choice list."""

    label = forms.CharField(label=_("Fråga"), widget=forms.Textarea(attrs={"rows": 2}))
    hint = forms.CharField(label=_("Hjälptext"), required=False)
    required = forms.BooleanField(label=_("Obligatorisk"), required=False)
    required_if = forms.CharField(
        label=_("Obligatorisk om (villkor)"),
        required=False,
        help_text=_("Lämna tomt om frågan alltid eller aldrig är obligatorisk."),
    )
    constraint = forms.CharField(
        label=_("Kontroll (constraint)"),
        required=False,
        help_text=_("Punkten står för svaret, t.ex. . >= 0 and . < 1000"),
    )
    constraint_message = forms.CharField(
        label=_("Meddelande när kontrollen inte uppfylls"), required=False, max_length=300
    )
    choices = forms.CharField(
        label=_("Svarsalternativ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ett per rad, ”namn Etikett”, i den ordning de ska visas."),
    )

    field_order = [
        "label",
        "hint",
        "choices",
        "required",
        "required_if",
        "condition_question",
        "condition_operator",
        "condition_value",
        "relevant",
        "constraint",
        "constraint_message",
    ]

    calculation = forms.CharField(
        label=_("Beräkning (calculation)"),
        required=False,
        max_length=2000,
        help_text=_("Uttrycket som räknas ut när svaret sparas, t.ex. ${antal} * 12."),
    )

    def __init__(
        self,
        *args: Any,
        with_choices: bool = False,
        is_group: bool = False,
        is_calculation: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if not with_choices:
            del self.fields["choices"]
        if is_group or is_calculation:
            for name in ("required", "required_if", "constraint", "constraint_message"):
                del self.fields[name]
        if is_group:
            self.fields["label"].label = _("Rubrik")
        if is_calculation:
            self.fields["label"].required = False
            self.fields["label"].label = _("Beskrivning (visas inte för de som svarar)")
            self.fields["calculation"].required = True
        else:
            del self.fields["calculation"]

    def required_value(self) -> str:
        data = self.cleaned_data
        if "required" not in data:
            return ""
        condition = data["required_if"].strip()
        return condition or ("yes" if data["required"] else "")


def parse_choice_lines(text: str) -> list[tuple[str, str]]:
    """ "namn Etikett" per line; a line with only a name uses it as the label."""
    return [
        (parts[0], parts[1] if len(parts) > 1 else parts[0])
        for parts in (line.strip().split(None, 1) for line in text.splitlines() if line.strip())
    ]


class CampaignForm(OwnerMixin):
    title = forms.CharField(label=_("Titel"), max_length=200)
    deadline = forms.DateField(
        label=_("Sista svarsdag"), widget=forms.DateInput(attrs={"type": "date"})
    )
    rule = forms.ChoiceField(label=_("Mottagare"), choices=RULES)
    county = forms.ChoiceField(label=_("Län (för kommuner)"), required=False)
    network = forms.ModelChoiceField(
        label=_("Nätverk (för nätverkets medlemmar)"),
        required=False,
        queryset=Network.objects.none(),
    )
    organisations = forms.CharField(
        label=_("Organisationer för hand"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Koder, en per rad, t.ex. kommun-1214."),
    )
    grace_days = forms.IntegerField(
        label=_("Extra dagar efter sista svarsdag"),
        required=False,
        min_value=0,
        max_value=365,
        initial=0,
        help_text=_("Svarslänkarna slutar fungera efter sista svarsdag plus så många dagar."),
    )
    message = forms.CharField(
        label=_("Meddelande i inbjudan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, networks: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["county"]).choices = _counties()
        cast(forms.ModelChoiceField, self.fields["network"]).queryset = (
            networks if networks is not None else Network.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rule") == "network" and not data.get("network"):
            self.add_error("network", _("Välj nätverket vars medlemmar ska svara."))
        return data


class GraceForm(forms.Form):
    grace_days = forms.IntegerField(
        label=_("Extra dagar efter sista svarsdag"), min_value=0, max_value=365
    )


class CompilationFilterForm(forms.Form):
    county = forms.ChoiceField(label=_("Län"), required=False)
    kind = forms.ChoiceField(
        label=_("Typ"), required=False, choices=[("", _("Alla typer")), *OrganisationKind.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["county"]).choices = _counties()
