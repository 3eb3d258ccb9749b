"""Reads: respondent sets by rule, response tracking and the compilation (sammanställning)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.actors.models import Network, NetworkMembership, Organisation, OrganisationKind
from samverkan.core import tenancy
from samverkan.core.tables import write_csv, write_xlsx
from samverkan.surveys.definition import Definition
from samverkan.surveys.models import (
    SELECT_TYPES,
    Campaign,
    Questionnaire,
    Recipient,
    Response,
)
from samverkan.surveys.xlsform import xlsform_write

METROPOLITAN_COUNTIES = ("01", "12", "14")
_SWEDISH = str.maketrans(
    {
        "å": "{",
        "ä": "|",
        "ö": "}",
        "Å": "[",
        "Ä": "\\",
        "Ö": "]",
        "é": "e",
        "É": "E",
        "w": "v",
        "W": "V",
    }
)


def swedish_key(text: str) -> str:
    """Sort key in Swedish alphabetical order (å, ä, ö after z)."""
    return text.lower().translate(_SWEDISH)


def respondent_name(organisation: Organisation) -> str:
    """The short name used in compilations: "Gotland" for Länsstyrelsen i Gotlands län."""
    kind = organisation.kind
    if kind == OrganisationKind.COUNTY_BOARD and organisation.county_id and organisation.county:
        return organisation.county.short_name
    if (
        kind == OrganisationKind.MUNICIPALITY
        and organisation.municipality_id
        and organisation.municipality
    ):
        return organisation.municipality.name
    return organisation.name


def questionnaire_list(*, user: Any) -> QuerySet[Questionnaire]:
    return tenancy.readable(Questionnaire.objects.select_related("owner"), user)


def campaign_list(*, user: Any) -> QuerySet[Campaign]:
    return tenancy.readable(Campaign.objects.select_related("owner", "questionnaire"), user)


def recipients_for_user(*, user: Any) -> QuerySet[Recipient]:
    """Open campaigns addressed to the user's organisations (answering signed in)."""
    return Recipient.objects.filter(
        organisation_id__in=tenancy.organisation_ids(user, tenancy.WRITE_ROLES),
        campaign__status=Campaign.Status.OPEN,
    ).select_related("campaign", "organisation")


def network_current_members(*, network: Network, on: date | None = None) -> list[Organisation]:
    """The organisations that are members of ``network`` on a day (today by default): the
    membership has started (or has no start date) and has not ended (or has no end date)."""
    on = on or timezone.localdate()
    memberships = NetworkMembership.objects.filter(network=network).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=on),
        Q(end_date__isnull=True) | Q(end_date__gte=on),
    )
    return list(
        Organisation.objects.filter(pk__in=memberships.values("organisation_id"))
        .select_related("county")
        .order_by("name")
    )


def organisations_by_rule(
    *, rule: str, county_code: str = "", network: Network | None = None
) -> list[Organisation]:
    """Respondent sets: all county boards (optionally outside the metropolitan counties),
    all municipalities in a county (with or without its city districts), all regions, the
    current members of a network."""
    if rule == "network":
        return network_current_members(network=network) if network is not None else []
    # Only verified organisations stand for their kind: a self-registered "county board" is
    # not sent the county boards' survey, nor compiled under its county's name.
    organisations = Organisation.objects.select_related("county").filter(verified=True)
    if rule == "county_boards":
        organisations = organisations.filter(kind=OrganisationKind.COUNTY_BOARD)
    elif rule == "county_boards_outside_metropolitan":
        organisations = organisations.filter(kind=OrganisationKind.COUNTY_BOARD).exclude(
            county__code__in=METROPOLITAN_COUNTIES
        )
    elif rule == "municipalities":
        organisations = organisations.filter(kind=OrganisationKind.MUNICIPALITY)
        if county_code:
            organisations = organisations.filter(county__code=county_code)
    elif rule == "municipalities_and_city_districts":
        organisations = organisations.filter(
            kind__in=(OrganisationKind.MUNICIPALITY, OrganisationKind.CITY_DISTRICT)
        )
        if county_code:
            organisations = organisations.filter(county__code=county_code)
    elif rule == "regions":
        organisations = organisations.filter(kind=OrganisationKind.REGION)
    else:
        return []
    return list(organisations.order_by("name"))


ORG_FIELDS = (
    "organisation_id",
    "organisation__name",
    "organisation__code",
    "organisation__kind",
    "organisation__county__short_name",
    "organisation__municipality__name",
)


def _name(kind: str, name: str, county_short: str | None, municipality: str | None) -> str:
    """respondent_name() from plain values, for pages and compilations of thousands of rows."""
    if kind == OrganisationKind.COUNTY_BOARD and county_short:
        return county_short
    if kind == OrganisationKind.MUNICIPALITY and municipality:
        return municipality
    return name


STATE_LABELS = {
    "submitted": _("inskickat"),
    "draft": _("utkast"),
    "opened": _("öppnat"),
    "invited": _("inbjuden"),
    "not_invited": _("ej inbjuden"),
}


@dataclass
class TrackingRow:
    recipient_id: int
    name: str
    state: str
    email: str
    delivery: str
    delivery_error: str
    answer_url: str
    reopen_url: str
    state_label: str


@dataclass
class Tracking:
    total: int
    opened: int
    draft: int
    submitted: int
    overdue: bool
    missing: list[str]
    rows: list[TrackingRow]

    @property
    def summary(self) -> str:
        text = f"{self.submitted} av {self.total} har svarat"
        if self.missing:
            text += "; saknas: " + ", ".join(self.missing)
        return text


def campaign_tracking(*, campaign: Campaign) -> Tracking:
    """Invited, opened, draft, submitted and the named missing, in one query of plain values."""
    deliveries = {key: str(label) for key, label in Recipient.Delivery.choices}
    states = {key: str(label) for key, label in STATE_LABELS.items()}
    answer_prefix = reverse("surveys:answer", args=["TOKEN"]).replace("TOKEN/", "")
    reopen = reverse("surveys:response_reopen", args=[campaign.pk, 0]).replace("/0/", "/{}/")
    rows: list[TrackingRow] = []
    opened = draft = submitted = 0
    for values in campaign.recipients.values_list(
        "pk",
        *ORG_FIELDS[1:],
        "email",
        "delivery",
        "delivery_error",
        "token",
        "opened_at",
        "invited_at",
        "response__status",
        "response__version",
    ):
        (
            pk,
            name,
            _code,
            kind,
            county,
            municipality,
            email,
            delivery,
            error,
            token,
            opened_at,
            invited_at,
            status,
            version,
        ) = values
        if status == Response.Status.SUBMITTED:
            state, submitted = "submitted", submitted + 1
        elif version:
            state, draft = "draft", draft + 1
        elif opened_at:
            state = "opened"
        else:
            state = "invited" if invited_at else "not_invited"
        opened += opened_at is not None
        rows.append(
            TrackingRow(
                pk,
                _name(kind, name, county, municipality),
                state,
                email,
                str(deliveries.get(delivery, delivery)),
                error,
                f"{answer_prefix}{token}/",
                reopen.format(pk),
                states[state],
            )
        )
    rows.sort(key=lambda row: swedish_key(row.name))
    missing = [row.name for row in rows if row.state != "submitted"]
    return Tracking(
        total=len(rows),
        opened=opened,
        draft=draft,
        submitted=submitted,
        overdue=timezone.localdate() > campaign.deadline and bool(missing),
        missing=missing,
        rows=rows,
    )


@dataclass
class Answered:
    organisation_id: int
    name: str
    full_name: str
    code: str
    answers: dict[str, Any]
    status: str
    submitted_at: Any


def _recipients(campaign: Campaign, county: str, kind: str) -> QuerySet[Recipient]:
    recipients = campaign.recipients.all()
    if county:
        recipients = recipients.filter(organisation__county__code=county)
    if kind:
        recipients = recipients.filter(organisation__kind=kind)
    return recipients


def _responses(
    campaign: Campaign, *, county: str = "", kind: str = "", submitted_only: bool = True
) -> list[Answered]:
    recipients = _recipients(campaign, county, kind)
    if submitted_only:
        recipients = recipients.filter(response__status=Response.Status.SUBMITTED)
    else:
        recipients = recipients.filter(response__isnull=False)
    rows = [
        Answered(
            org_id,
            _name(org_kind, name, county_short, municipality),
            name,
            code,
            answers or {},
            status,
            submitted_at,
        )
        for (
            org_id,
            name,
            code,
            org_kind,
            county_short,
            municipality,
            answers,
            status,
            submitted_at,
        ) in recipients.values_list(
            *ORG_FIELDS, "response__answers", "response__status", "response__submitted_at"
        )
    ]
    rows.sort(key=lambda row: swedish_key(row.name))
    return rows


def _by_respondent(pairs: list[tuple[Any, Any]], named: bool) -> Any:
    """Answers per respondent: {short name: answer}, or [{code, name, answer}] when named."""
    if named:
        return [{**who, "answer": value} for who, value in pairs]
    return dict(pairs)


def campaign_compile(
    *, campaign: Campaign, county: str = "", kind: str = "", named: bool = False
) -> dict[str, Any]:
    """Per question: answered, counts and named respondents per choice, text answers per
    organisation; plus respondents_total, responded and missing.

    Respondents are given by their short names ("Gotland"), as in the 1999 report; ``named``
    (the JSON form) gives each as ``{"code": …, "name": <full name>}`` instead, since a short
    name can stand for two organisations (the county board and the municipality of Gotland)."""
    definition = Definition.load(campaign.questionnaire)
    ordered = _responses(campaign, county=county, kind=kind)
    answered_ids = {row.organisation_id for row in ordered}
    pairs: list[tuple[Any, dict[str, Any]]] = [
        ({"code": row.code, "name": row.full_name} if named else row.name, row.answers)
        for row in ordered
    ]
    questions: list[dict[str, Any]] = []
    for question in definition.stored:
        entry: dict[str, Any] = {
            "name": question.name,
            "label": question.label,
            "type": question.type,
            "answered": 0,
        }
        if question.type in SELECT_TYPES:
            choice_names = definition.choice_names(question)
            counts = dict.fromkeys(choice_names, 0)
            respondents: dict[str, list[Any]] = {name: [] for name in choice_names}
            labels = {name: definition.choice_label(question, name) for name in choice_names}
            others: list[tuple[Any, Any]] = []
            key, other_key, answered = question.name, f"{question.name}_other", 0
            for who, answers in pairs:  # the hot loop of a compilation: kept plain
                value = answers.get(key)
                if not value:
                    continue
                answered += 1
                for item in value if isinstance(value, list) else (value,):
                    if item in counts:
                        counts[item] += 1
                        respondents[item].append(who)
                if question.or_other and answers.get(other_key):
                    others.append((who, answers[other_key]))
            entry.update(answered=answered, counts=counts, respondents=respondents, labels=labels)
            if question.or_other:
                entry["other_answers"] = _by_respondent(others, named)
        else:
            texts: list[tuple[Any, Any]] = []
            key = question.name
            for who, answers in pairs:
                value = answers.get(key)
                if value is not None and value != "":
                    texts.append((who, value))
            entry["answered"] = len(texts)
            entry["answers"] = _by_respondent(texts, named)
        questions.append(entry)
    everyone = _recipients(campaign, county, kind).values_list(*ORG_FIELDS)
    absent = [values for values in everyone if values[0] not in answered_ids]
    missing: list[Any]
    if named:
        absent.sort(key=lambda values: swedish_key(values[1]))
        missing = [{"code": values[2], "name": values[1]} for values in absent]
    else:
        missing = sorted(
            (_name(values[3], values[1], values[4], values[5]) for values in absent),
            key=swedish_key,
        )
    return {
        "campaign": campaign.title,
        "questionnaire": campaign.questionnaire.title,
        "respondents_total": len(everyone),
        "responded": len(answered_ids),
        "missing": missing,
        "questions": questions,
    }


def compilation_markdown(compilation: dict[str, Any]) -> str:
    """The report in the form of the 1999 compilation: "Ja: Gotland, Halland, … (11)"."""
    lines = [
        f"# {compilation['campaign']}",
        "",
        f"{compilation['responded']} av {compilation['respondents_total']} har svarat.",
    ]
    if compilation["missing"]:
        lines[-1] += " Saknas: " + ", ".join(compilation["missing"]) + "."
    for question in compilation["questions"]:
        lines += ["", f"## {question['label'] or question['name']}", ""]
        if "counts" in question:
            for name, count in question["counts"].items():
                if count:
                    who = ", ".join(question["respondents"][name])
                    lines.append(f"- **{question['labels'][name]}**: {who} ({count})")
            for who, text in question.get("other_answers", {}).items():
                lines.append(f"- *{who}* (annat): {text}")
        else:
            for who, text in question["answers"].items():
                lines.append(f"- *{who}*: {str(text).replace(chr(10), ' ')}")
        if not question["answered"]:
            lines.append("*Inga svar.*")
    return "\n".join(lines) + "\n"


def responses_table(*, campaign: Campaign) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per response with XLSForm column names (select_multiple space-separated)."""
    definition = Definition.load(campaign.questionnaire)
    columns = ["respondent", "respondent_code"]
    for question in definition.stored:
        columns.append(question.name)
        if question.or_other:
            columns.append(f"{question.name}_other")
    columns += ["_status", "_submission_time"]
    rows = []
    for answered in sorted(
        _responses(campaign, submitted_only=False), key=lambda item: swedish_key(item.full_name)
    ):
        row: dict[str, Any] = {
            "respondent": answered.full_name,
            "respondent_code": answered.code,
            "_status": answered.status,
            "_submission_time": answered.submitted_at.isoformat() if answered.submitted_at else "",
        }
        for column in columns[2:-2]:
            value = answered.answers.get(column, "")
            row[column] = " ".join(value) if isinstance(value, list) else value
        rows.append(row)
    return columns, rows


def responses_csv(*, campaign: Campaign) -> bytes:
    columns, rows = responses_table(campaign=campaign)
    out = io.StringIO()
    write_csv(columns, rows, out)
    return out.getvalue().encode("utf-8")


def compilation_xlsx(*, campaign: Campaign, compilation: dict[str, Any]) -> bytes:
    columns, rows = responses_table(campaign=campaign)
    summary = []
    for question in compilation["questions"]:
        if "counts" in question:
            for name, count in question["counts"].items():
                share = count / question["answered"] if question["answered"] else 0
                summary.append(
                    {
                        "fråga": question["name"],
                        "etikett": question["label"],
                        "svar": question["labels"][name],
                        "antal": count,
                        "andel": round(share, 3),
                        "svarande": ", ".join(question["respondents"][name]),
                    }
                )
        else:
            for who, text in question["answers"].items():
                summary.append(
                    {
                        "fråga": question["name"],
                        "etikett": question["label"],
                        "svar": str(text),
                        "antal": 1,
                        "andel": "",
                        "svarande": who,
                    }
                )
    out = io.BytesIO()
    write_xlsx(
        [
            (
                "Sammanställning",
                ("fråga", "etikett", "svar", "antal", "andel", "svarande"),
                summary,
            ),
            ("Svar", columns, rows),
        ],
        out,
    )
    return out.getvalue()


def questionnaire_xlsform(*, questionnaire: Questionnaire) -> bytes:
    definition = Definition.load(questionnaire)
    questions = [
        {
            f: getattr(q, f)
            for f in (
                "type",
                "name",
                "label",
                "hint",
                "list_name",
                "or_other",
                "required",
                "relevant",
                "constraint",
                "constraint_message",
                "choice_filter",
                "calculation",
            )
        }
        for q in definition.questions
    ]
    choices = [
        {"list_name": c.list_name, "name": c.name, "label": c.label, "filters": c.filters}
        for options in definition.choices.values()
        for c in options
    ]
    return xlsform_write(
        title=questionnaire.title,
        form_id=questionnaire.form_id,
        questions=questions,
        choices=choices,
    )
