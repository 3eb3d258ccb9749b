"""Writes for questionnaires, campaigns and responses. Views, API, CLI and jobs call these."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.accounts.models import Membership
from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.jobs import job_enqueue
from samverkan.core.models import AuditEntry, Visibility
from samverkan.core.uploads import upload_check
from samverkan.core.validators import single_line_check
from samverkan.surveys.definition import Definition
from samverkan.surveys.models import Campaign, Choice, Question, Questionnaire, Recipient, Response
from samverkan.surveys.xlsform import FormSpec, xlsform_read


def _require_act_for(user: Any, organisation: Organisation) -> None:
    if not tenancy.can_act_for(user, organisation.pk):
        raise PermissionDenied(_("Du får inte skapa uppgifter för %s.") % organisation)


@transaction.atomic
def questionnaire_create_from_spec(
    *, spec: FormSpec, owner: Organisation, user: Any, title: str = "", source: str = ""
) -> Questionnaire:
    _require_act_for(user, owner)
    questionnaire = Questionnaire.objects.create(
        owner=owner, title=title or spec.title, form_id=spec.form_id[:100], source=source
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            position=position,
            type=q.type,
            name=q.name,
            label=q.label,
            hint=q.hint,
            list_name=q.list_name,
            or_other=q.or_other,
            required=q.required,
            relevant=q.relevant,
            constraint=q.constraint,
            constraint_message=q.constraint_message[:300],
            choice_filter=q.choice_filter,
            group=q.group,
            calculation=q.calculation,
        )
        for position, q in enumerate(spec.questions, start=1)
    )
    Choice.objects.bulk_create(
        Choice(
            questionnaire=questionnaire,
            list_name=c.list_name,
            position=position,
            name=c.name,
            label=c.label[:300],
            filters=c.filters,
        )
        for position, c in enumerate(spec.choices, start=1)
    )
    return questionnaire


@dataclass
class XLSFormImport:
    questionnaire: Questionnaire
    # columns, sheets and device metadata left out of the form, in Swedish (xlsform_read)
    warnings: list[str]


def questionnaire_import_xlsform(
    *, data: bytes, owner: Organisation, user: Any, title: str = "", source: str = ""
) -> Questionnaire:
    """Create a questionnaire from an XLSForm; raises XLSFormError naming sheet, row and problem."""
    return xlsform_import(
        data=data, owner=owner, user=user, title=title, source=source
    ).questionnaire


def xlsform_import(
    *, data: bytes, owner: Organisation, user: Any, title: str = "", source: str = ""
) -> XLSFormImport:
    """As ``questionnaire_import_xlsform``, with the warnings about what was left out."""
    spec = xlsform_read(data)
    questionnaire = questionnaire_create_from_spec(
        spec=spec, owner=owner, user=user, title=title, source=source
    )
    AuditEntry.objects.create(
        action="surveys.questionnaire.imported",
        user=tenancy.db_user(user),
        organisation=owner,
        data={
            "questionnaire": questionnaire.pk,
            "questions": len(spec.questions),
            "warnings": spec.warnings[:50],
        },
    )
    return XLSFormImport(questionnaire, spec.warnings)


@transaction.atomic
def questionnaire_create(
    *, owner: Organisation, user: Any, title: str, description: str = "", form_id: str = ""
) -> Questionnaire:
    """An empty questionnaire ("Ny enkät") to fill in the builder."""
    _require_act_for(user, owner)
    title = title.strip()
    single_line_check(field="title", value=title)
    if not title:
        raise ValidationError({"title": _("Enkäten behöver en titel.")})
    slug = slugify(form_id or title)[:100].strip("-") or "enkat"
    questionnaire = Questionnaire.objects.create(
        owner=owner, title=title[:200], form_id=slug, description=description.strip()
    )
    AuditEntry.objects.create(
        action="surveys.questionnaire.created",
        user=tenancy.db_user(user),
        organisation=owner,
        data={"questionnaire": questionnaire.pk},
    )
    return questionnaire


@transaction.atomic
def questionnaire_copy(
    *, questionnaire: Questionnaire, owner: Organisation, user: Any, title: str = ""
) -> Questionnaire:
    """A copy of a questionnaire the user may read, owned by an organisation they act for
    ("Kopiera enkät" from an earlier round): questions, groups, conditions and choice lists."""
    if not tenancy.can_read(user, questionnaire):
        raise PermissionDenied(_("Du får inte läsa enkäten %s.") % questionnaire)
    _require_act_for(user, owner)
    copy = Questionnaire.objects.create(
        owner=owner,
        title=(title.strip() or _("Kopia av %s") % questionnaire.title)[:200],
        form_id=questionnaire.form_id,
        description=questionnaire.description,
        source=(_("Kopierad från ”%s”") % questionnaire.title)[:300],
    )
    questions = list(questionnaire.questions.all())
    for question in questions:
        question.pk, question.id, question.questionnaire = None, None, copy
    Question.objects.bulk_create(questions)
    choices = list(questionnaire.choices.all())
    for choice in choices:
        choice.pk, choice.id, choice.questionnaire = None, None, copy
    Choice.objects.bulk_create(choices)
    AuditEntry.objects.create(
        action="surveys.questionnaire.copied",
        user=tenancy.db_user(user),
        organisation=owner,
        data={"questionnaire": copy.pk, "from": questionnaire.pk},
    )
    return copy


def _token() -> str:
    return secrets.token_urlsafe(32)


def default_email(organisation: Organisation, *, purpose: str = "surveys") -> str:
    """Where an invitation to the organisation goes when no address is given: its contact
    address for ``purpose`` (surveys or consultations), else its first admin or editor's
    address, else empty."""
    from samverkan.actors.selectors import organisation_contact_email

    contact = organisation_contact_email(organisation=organisation, purpose=purpose)
    if contact:
        return contact
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=tenancy.WRITE_ROLES)
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user.email if membership else ""


@transaction.atomic
def campaign_create(
    *,
    user: Any,
    questionnaire: Questionnaire,
    owner: Organisation,
    title: str,
    deadline: date,
    organisations: list[Organisation],
    rule: str = "",
    message: str = "",
    source: str = "",
    visibility: str = Visibility.PRIVATE,
    grace_days: int = 0,
) -> Campaign:
    """Campaigns are private by default: the answers are for the owner until published."""
    _require_act_for(user, owner)
    single_line_check(field="title", value=title)  # the title is the invitations' subject
    if not tenancy.can_read(user, questionnaire):
        raise PermissionDenied
    if not organisations:
        raise ValidationError(_("Välj minst en mottagare."))
    if not 0 <= grace_days <= 365:
        raise ValidationError({"grace_days": _("Ange mellan 0 och 365 extra dagar.")})
    campaign = Campaign.objects.create(
        owner=owner,
        questionnaire=questionnaire,
        title=title,
        deadline=deadline,
        rule=rule,
        message=message,
        source=source,
        visibility=visibility,
        grace_days=grace_days,
    )
    recipients_add(campaign=campaign, organisations=organisations, user=user)
    return campaign


def recipients_add(*, campaign: Campaign, organisations: list[Organisation], user: Any) -> int:
    if not tenancy.can_write(user, campaign):
        raise PermissionDenied
    existing = set(campaign.recipients.values_list("organisation_id", flat=True))
    new = [
        Recipient(campaign=campaign, organisation=org, token=_token(), email=default_email(org))
        for org in organisations
        if org.pk not in existing
    ]
    Recipient.objects.bulk_create(new)
    return len(new)


def campaign_close(*, campaign: Campaign, user: Any) -> None:
    if not tenancy.can_write(user, campaign):
        raise PermissionDenied
    campaign.status = Campaign.Status.CLOSED
    campaign.save()


@dataclass
class SendResult:
    """What pressing "send" did: how many were queued, and who was not and why."""

    queued: int
    reminder: bool = False
    missing_email: list[str] = field(default_factory=list)  # organisation names
    already: list[str] = field(default_factory=list)  # invited, queued or (reminders) answered

    def message(self) -> str:
        """The sentence shown to the sender (the UI message and the API's ``message``)."""
        if self.reminder:
            text = ngettext("%d påminnelse köad.", "%d påminnelser köade.", self.queued)
        else:
            text = ngettext("%d inbjudan köad.", "%d inbjudningar köade.", self.queued)
        parts = [text % self.queued]
        if self.missing_email:
            parts.append(
                ngettext(
                    "%(count)d mottagare saknar e-postadress: %(names)s.",
                    "%(count)d mottagare saknar e-postadress: %(names)s.",
                    len(self.missing_email),
                )
                % {"count": len(self.missing_email), "names": ", ".join(self.missing_email)}
            )
        if self.already:
            if self.reminder:
                already = ngettext(
                    "%d har redan svarat.", "%d har redan svarat.", len(self.already)
                )
            else:
                already = ngettext(
                    "%d är redan inbjuden eller i kö.",
                    "%d är redan inbjudna eller i kö.",
                    len(self.already),
                )
            parts.append(already % len(self.already))
        return " ".join(parts)


def recipients_fill_from_contacts(*, campaign: Campaign, user: Any) -> int:
    """Give every recipient without an address its organisation's survey contact address
    (added since the campaign was created). Returns how many got one."""
    if not tenancy.can_write(user, campaign):
        raise PermissionDenied
    filled = 0
    for recipient in campaign.recipients.filter(email="").select_related("organisation"):
        email = default_email(recipient.organisation)
        if email:
            recipient.email = email
            recipient.save(update_fields=["email"])
            filled += 1
    return filled


def campaign_send(*, campaign: Campaign, user: Any, reminder: bool = False) -> SendResult:
    """Queue invitations (or reminders to those who have not submitted) as one job each.

    Recipients without an address first get their organisation's contact address; those
    still without one are named in the result, as are those already invited (or, for a
    reminder, who have answered)."""
    if not tenancy.can_write(user, campaign):
        raise PermissionDenied
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("Utskicket är stängt."))
    if campaign.links_expired():
        raise ValidationError(
            _("Svarslänkarna gällde till och med %s; ge fler extra dagar innan ni skickar.")
            % campaign.links_valid_until.isoformat()
        )
    recipients_fill_from_contacts(campaign=campaign, user=user)
    candidates = campaign.recipients.all()
    if reminder:
        due = candidates.exclude(response__status=Response.Status.SUBMITTED)
    else:
        due = candidates.filter(invited_at__isnull=True).exclude(
            delivery__in=[Recipient.Delivery.QUEUED, Recipient.Delivery.RETRYING]
        )
    already = list(
        candidates.exclude(pk__in=due.values("pk")).values_list("organisation__name", flat=True)
    )
    missing = list(due.filter(email="").values_list("organisation__name", flat=True))
    ids = list(due.exclude(email="").values_list("pk", flat=True))
    with transaction.atomic():
        Recipient.objects.filter(pk__in=ids).update(
            delivery=Recipient.Delivery.QUEUED, delivery_error=""
        )
        for recipient_id in ids:
            job_enqueue(
                "surveys.send_email", user=user, recipient_id=recipient_id, reminder=reminder
            )
    return SendResult(
        queued=len(ids), reminder=reminder, missing_email=sorted(missing), already=already
    )


class DraftConflict(Exception):
    """Someone saved the draft since this person loaded it; both versions are kept here."""

    def __init__(self, mine: dict[str, Any], theirs: dict[str, Any], version: int):
        super().__init__("draft conflict")
        self.mine, self.theirs, self.version = mine, theirs, version


@dataclass
class SaveResult:
    response: Response
    errors: dict[str, str] = field(default_factory=dict)


def recipient_open(*, recipient: Recipient) -> Response:
    """The recipient's response (created on first visit); records when the link was opened."""
    if recipient.opened_at is None:
        Recipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    response, _created = Response.objects.get_or_create(recipient=recipient)
    return response


class LinkExpired(ValidationError):
    """The personal link is past the campaign's deadline and grace period."""


def _check_open(recipient: Recipient) -> None:
    campaign = recipient.campaign
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("Utskicket är stängt och tar inte emot fler svar."))
    if campaign.links_expired():
        raise LinkExpired(
            _("Svarslänken gällde till och med %s och tar inte emot fler svar.")
            % campaign.links_valid_until.isoformat()
        )


def campaign_set_grace(*, campaign: Campaign, grace_days: int, user: Any) -> None:
    """The owner extends (or shortens) how long after the deadline the links still work."""
    if not tenancy.can_write(user, campaign):
        raise PermissionDenied
    if not 0 <= grace_days <= 365:
        raise ValidationError({"grace_days": _("Ange mellan 0 och 365 extra dagar.")})
    campaign.grace_days = grace_days
    campaign.save()


# What a respondent may attach to an answer (checked by content, core/uploads.py).
ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "csv", "png", "jpeg")


def response_save(
    *,
    recipient: Recipient,
    raw: dict[str, Any],
    base_version: int,
    submit: bool = False,
    attachment: Any = None,
) -> SaveResult:
    """Save the draft (and submit it if ``submit``) if nobody saved it since ``base_version``.

    Raises DraftConflict when someone else saved in between: nothing is written, and the caller
    shows both versions so that no answer is lost.
    """
    _check_open(recipient)
    if attachment is not None:
        upload_check(attachment, kinds=ATTACHMENT_KINDS)
    definition = Definition.load(recipient.campaign.questionnaire)
    answers, errors = definition.clean(raw)
    with transaction.atomic():
        response = recipient_open(recipient=recipient)
        if response.status == Response.Status.SUBMITTED:
            raise ValidationError(_("Svaret är redan inskickat och kan inte ändras."))
        claimed = Response.objects.filter(
            pk=response.pk, version=base_version, status=Response.Status.DRAFT
        ).update(version=F("version") + 1)
        if not claimed:
            response.refresh_from_db()
            raise DraftConflict(answers, response.answers, response.version)
        response.refresh_from_db(fields=["version"])
        if submit and not errors:
            errors = definition.submit_errors(answers)
        response.answers = answers
        if attachment is not None:
            response.attachment = attachment
        if submit and not errors:
            response.status = Response.Status.SUBMITTED
            response.submitted_at = timezone.now()
        response.save()
    return SaveResult(response, errors)


def response_reopen(*, response: Response, user: Any) -> None:
    """The campaign owner lets a submitted response be changed again."""
    if not tenancy.can_write(user, response.recipient.campaign):
        raise PermissionDenied
    response.status = Response.Status.DRAFT
    response.submitted_at = None
    response.version += 1
    response.save()


@dataclass
class ResponsesImportResult:
    stored: int
    warnings: list[str]


def _recipient_index(campaign: Campaign) -> dict[str, Recipient]:
    from samverkan.surveys.selectors import respondent_name

    index: dict[str, Recipient] = {}
    for recipient in campaign.recipients.select_related(
        "organisation__county", "organisation__municipality"
    ):
        organisation = recipient.organisation
        for key in (organisation.code, organisation.name, respondent_name(organisation)):
            index.setdefault(key.strip().lower(), recipient)
    return index


def responses_import_csv(
    *, campaign: Campaign, data: bytes, filename: str, user: Any
) -> ResponsesImportResult:
    """Store submitted responses from a table with a ``respondent`` column (name or code) and one
    column per question. Every row is checked first; unknown organisations, columns or choice
    names reject the file. Answers to questions that do not apply are warned about, not stored."""
    from samverkan.core.tables import TableError, read_table

    if not tenancy.can_write(user, campaign):
        raise PermissionDenied
    try:
        table = read_table(data, filename)
    except TableError as exc:
        raise ValidationError(str(exc)) from exc
    definition = Definition.load(campaign.questionnaire)
    known = {q.name for q in definition.answerable}
    known |= {f"{q.name}_other" for q in definition.answerable if q.or_other}
    # calculated columns (as the export writes them) are computed again from the answers
    calculated = {q.name for q in definition.stored if q.type == "calculate"}
    errors: list[str] = []
    if "respondent" not in table.headers:
        errors.append(_("%s: kolumnen respondent saknas.") % filename)
    unknown_columns = [
        h
        for h in table.headers
        if h not in known | calculated
        and h not in {"respondent", "respondent_code"}
        and not h.startswith("_")
    ]
    errors += [
        _("%(file)s: kolumnen %(column)s är ingen fråga i enkäten.")
        % {"file": filename, "column": h}
        for h in unknown_columns
    ]
    index = _recipient_index(campaign)
    warnings: list[str] = []
    prepared: list[tuple[Recipient, dict[str, Any]]] = []
    seen: set[int] = set()
    for number, row in table.rows:
        key = (row.get("respondent") or row.get("respondent_code") or "").strip().lower()
        recipient = index.get(key) or index.get((row.get("respondent_code") or "").lower())
        if recipient is None:
            errors.append(
                _("Rad %(row)d: %(who)s är inte mottagare i utskicket.")
                % {"row": number, "who": row.get("respondent", "")}
            )
            continue
        if recipient.pk in seen:
            errors.append(
                _("Rad %(row)d: %(who)s förekommer flera gånger.")
                % {"row": number, "who": recipient.organisation}
            )
        seen.add(recipient.pk)
        raw: dict[str, Any] = {name: value for name, value in row.items() if name in known}
        for question in definition.answerable:
            if question.type == "select_multiple" and raw.get(question.name):
                raw[question.name] = raw[question.name].split()
        answers, row_errors = definition.clean(raw)
        for name, message in row_errors.items():
            errors.append(
                _("Rad %(row)d, kolumn %(column)s: %(message)s")
                % {"row": number, "column": name, "message": message}
            )
        for name in sorted(k for k, v in raw.items() if v not in ("", []) and k not in answers):
            if name not in row_errors:
                warnings.append(
                    _(
                        "Rad %(row)d, kolumn %(column)s: frågan gäller inte utifrån "
                        "de andra svaren; svaret sparas inte."
                    )
                    % {"row": number, "column": name}
                )
        prepared.append((recipient, answers))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        for recipient, answers in prepared:
            response, _created = Response.objects.get_or_create(recipient=recipient)
            response.answers = answers
            response.status = Response.Status.SUBMITTED
            response.submitted_at = response.submitted_at or now
            response.version += 1
            response.save()
        AuditEntry.objects.create(
            action="surveys.responses.imported",
            user=tenancy.db_user(user),
            organisation=campaign.owner,
            data={"campaign": campaign.pk, "rows": len(prepared), "file": filename},
        )
    return ResponsesImportResult(len(prepared), warnings)


# --- The questionnaire builder -----------------------------------------------------------------

CHOICE_NAME = re.compile(r"^[A-Za-z0-9_.\-åäöÅÄÖ]{1,100}$")


def _require_write(user: Any, questionnaire: Questionnaire) -> None:
    if not tenancy.can_write(user, questionnaire):
        raise PermissionDenied(_("Du får inte ändra enkäten %s.") % questionnaire)


def _expression_error(expression: str, *, names: set[str]) -> str | None:
    """Why an XLSForm expression is refused (syntax, unknown function, unknown question)."""
    from samverkan.surveys.expressions import ExpressionError, compile_expression, references

    try:
        compile_expression(expression)
    except ExpressionError as exc:
        found = re.search(r"unknown function '([^']+)'", str(exc))
        if found:
            return _("Okänd funktion %s() – tillåtna är XPath 1.0 och ODK:s funktioner.") % (
                found.group(1)
            )
        return _("Uttrycket kan inte tolkas (%s).") % exc
    unknown = sorted(references(expression) - names)
    if unknown:
        return _("Okänd fråga: %s.") % ", ".join(f"${{{name}}}" for name in unknown)
    return None


def _check_conditions(
    *,
    questionnaire: Questionnaire,
    name: str,
    relevant: str,
    required: str,
    constraint: str,
    exclude: int | None = None,
    calculation: str = "",
) -> None:
    """Validate a question's expressions against the questionnaire's other questions, with the
    same rules as an XLSForm import (including circular ``relevant`` references)."""
    from samverkan.surveys.expressions import references
    from samverkan.surveys.xlsform import _find_cycle

    others = questionnaire.questions.exclude(pk=exclude) if exclude else questionnaire.questions
    rows = list(others.values_list("name", "relevant"))
    names = {n for n, _rel in rows} | {name}
    errors: dict[str, str] = {}
    for column, expression in (
        ("relevant", relevant),
        ("required", required),
        ("constraint", constraint),
        ("calculation", calculation),
    ):
        if not expression.strip() or expression.strip() in {"yes", "no", "true()", "false()"}:
            continue
        message = _expression_error(expression, names=names)
        if message:
            errors[column] = message
    if "calculation" not in errors and name in references(calculation):
        errors["calculation"] = _("Beräkningen kan inte bero på frågan själv.")
    if "relevant" not in errors and relevant.strip():
        if name in references(relevant):
            errors["relevant"] = _("Villkoret kan inte bero på frågan själv.")
        else:
            graph = {n: references(rel) & names for n, rel in rows if rel}
            graph[name] = references(relevant) & names
            cycle = _find_cycle(graph)
            if cycle:
                errors["relevant"] = _("Cirkulära villkor: %s.") % " → ".join(cycle)
    if errors:
        raise ValidationError(errors)


def _required_value(required: bool | str) -> str:
    if isinstance(required, bool):
        return "yes" if required else ""
    return required.strip()


def _clean_choices(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    errors, seen, clean = [], set(), []
    for number, (name, label) in enumerate(choices, start=1):
        name, label = name.strip(), label.strip() or name.strip()
        if not CHOICE_NAME.match(name):
            errors.append(
                _("Rad %(row)d: ”%(name)s” är inget giltigt namn (bokstäver, siffror, _ - .).")
                % {"row": number, "name": name}
            )
        elif name in seen:
            errors.append(
                _("Rad %(row)d: namnet %(name)s finns redan.") % {"row": number, "name": name}
            )
        seen.add(name)
        clean.append((name, label[:300]))
    if not clean:
        errors.append(_("Ange minst ett svarsalternativ."))
    if errors:
        raise ValidationError({"choices": errors})
    return clean


@transaction.atomic
def question_add(
    *,
    questionnaire: Questionnaire,
    user: Any,
    type: str,
    name: str,
    label: str,
    choices: list[tuple[str, str]] | None = None,
    required: bool | str = False,
    relevant: str = "",
    constraint: str = "",
    constraint_message: str = "",
    hint: str = "",
    group: str = "",
    calculation: str = "",
) -> Question:
    """Append a question in the web builder (last, or last in ``group``); the same checks as
    an XLSForm import."""
    from samverkan.surveys.models import ANSWERABLE_TYPES, SELECT_TYPES

    _require_write(user, questionnaire)
    _check_room(questionnaire)
    if type not in ANSWERABLE_TYPES and type not in {"note", "calculate"}:
        raise ValidationError({"type": _("Okänd frågetyp: %s.") % type})
    calculation = calculation.strip() if type == "calculate" else ""
    if type == "calculate" and not calculation:
        raise ValidationError({"calculation": _("Ange uttrycket som ska räknas ut.")})
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,99}", name):
        raise ValidationError(
            {"name": _("Namnet ska börja med en bokstav och bara innehålla a–z, 0–9 och _.")}
        )
    if questionnaire.questions.filter(name=name).exists():
        raise ValidationError({"name": _("Namnet %s används redan.") % name})
    required_text = _required_value(required)
    _check_conditions(
        questionnaire=questionnaire,
        name=name,
        relevant=relevant,
        required=required_text,
        constraint=constraint,
        calculation=calculation,
    )
    list_name = ""
    if type in SELECT_TYPES:
        clean = _clean_choices(choices or [])
        list_name = name
        if questionnaire.choices.filter(list_name=list_name).exists():
            raise ValidationError({"name": _("Svarslistan %s finns redan.") % name})
        Choice.objects.bulk_create(
            Choice(
                questionnaire=questionnaire,
                list_name=list_name,
                position=i,
                name=choice_name,
                label=choice_label,
            )
            for i, (choice_name, choice_label) in enumerate(clean, start=1)
        )
    question = Question.objects.create(
        questionnaire=questionnaire,
        position=_position_for(questionnaire, group),
        type=type,
        name=name,
        label=label,
        hint=hint,
        list_name=list_name,
        required=required_text,
        relevant=relevant.strip(),
        constraint=constraint.strip(),
        constraint_message=constraint_message[:300],
        group=group,
        calculation=calculation,
    )
    questionnaire.save(update_fields=["updated_at"])
    return question


# A questionnaire holds at most as many questions as an XLSForm import accepts rows.
MAX_QUESTIONS = 2000


def _check_room(questionnaire: Questionnaire, adding: int = 1) -> None:
    if questionnaire.questions.count() + adding > MAX_QUESTIONS:
        raise ValidationError(_("En enkät kan ha högst %d frågor och grupper.") % MAX_QUESTIONS)


def _position_for(questionnaire: Questionnaire, group: str) -> int:
    """Where a new row goes: last in the questionnaire, or last inside ``group`` (before its
    end row, whose followers move one step down)."""
    rows = questionnaire.questions.select_for_update()
    if not group:
        return (rows.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    end = rows.filter(type="end_group", name=group).values_list("position", flat=True).first()
    if end is None:
        raise ValidationError({"group": _("Gruppen %s finns inte.") % group})
    # two steps, so that no two rows share a position at any moment (a unique constraint)
    shift = MAX_QUESTIONS * 10
    rows.filter(position__gte=end).update(position=F("position") + shift)
    rows.filter(position__gte=end + shift).update(position=F("position") - shift + 1)
    return end


@transaction.atomic
def group_add(
    *, questionnaire: Questionnaire, user: Any, name: str, label: str, relevant: str = ""
) -> Question:
    """A group (a heading that questions sit under, shown or hidden together) at the end."""
    _require_write(user, questionnaire)
    _check_room(questionnaire, adding=2)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,99}", name):
        raise ValidationError(
            {"name": _("Namnet ska börja med en bokstav och bara innehålla a–z, 0–9 och _.")}
        )
    if questionnaire.questions.filter(name=name).exists():
        raise ValidationError({"name": _("Namnet %s används redan.") % name})
    if not label.strip():
        raise ValidationError({"label": _("Gruppen behöver en rubrik.")})
    _check_conditions(
        questionnaire=questionnaire, name=name, relevant=relevant, required="", constraint=""
    )
    position = _position_for(questionnaire, "")
    group = Question.objects.create(
        questionnaire=questionnaire,
        position=position,
        type="begin_group",
        name=name,
        label=label.strip(),
        relevant=relevant.strip(),
    )
    Question.objects.create(
        questionnaire=questionnaire, position=position + 1, type="end_group", name=name
    )
    questionnaire.save(update_fields=["updated_at"])
    return group


@transaction.atomic
def question_update(
    *,
    question: Question,
    user: Any,
    label: str,
    hint: str = "",
    required: bool | str = False,
    relevant: str = "",
    constraint: str = "",
    constraint_message: str = "",
    calculation: str | None = None,
) -> Question:
    """Change a question's text and conditions; its name and type stay (answers refer to them).
    Expressions are checked as on import: unknown questions and functions are refused.
    ``calculation`` (for a calculate question) is kept when None."""
    questionnaire = question.questionnaire
    _require_write(user, questionnaire)
    required_text = _required_value(required)
    if question.type == "calculate":
        calculation = (question.calculation if calculation is None else calculation).strip()
        if not calculation:
            raise ValidationError({"calculation": _("Ange uttrycket som ska räknas ut.")})
    else:
        calculation = ""
    _check_conditions(
        questionnaire=questionnaire,
        name=question.name,
        relevant=relevant,
        required=required_text,
        constraint=constraint,
        exclude=question.pk,
        calculation=calculation,
    )
    if not label.strip() and question.type not in {"end_group", "calculate"}:
        raise ValidationError({"label": _("Frågan behöver en text.")})
    question.calculation = calculation
    question.label = label.strip()
    question.hint = hint.strip()
    question.required = required_text
    question.relevant = relevant.strip()
    question.constraint = constraint.strip()
    question.constraint_message = constraint_message.strip()[:300]
    question.save()
    questionnaire.save(update_fields=["updated_at"])
    return question


def _choice_in_use(questionnaire: Questionnaire, list_name: str, names: set[str]) -> dict[str, int]:
    """How many responses use each of ``names`` in a question with the list ``list_name``."""
    questions = list(
        questionnaire.questions.filter(list_name=list_name).values_list("name", flat=True)
    )
    used: dict[str, int] = {}
    if not questions or not names:
        return used
    responses = Response.objects.filter(recipient__campaign__questionnaire=questionnaire)
    for answers in responses.values_list("answers", flat=True).iterator():
        for question_name in questions:
            value = answers.get(question_name)
            values = value if isinstance(value, list) else [value]
            for item in values:
                if item in names:
                    used[item] = used.get(item, 0) + 1
    return used


@transaction.atomic
def question_set_choices(*, question: Question, user: Any, choices: list[tuple[str, str]]) -> int:
    """Replace the choice list of a select question (shared lists change for every question that
    uses them). Choices that answers already use cannot be removed; labels can still change."""
    from samverkan.surveys.models import SELECT_TYPES

    questionnaire = question.questionnaire
    _require_write(user, questionnaire)
    if question.type not in SELECT_TYPES:
        raise ValidationError({"choices": _("Bara val-frågor har svarsalternativ.")})
    current = list(questionnaire.choices.filter(list_name=question.list_name))
    if len({c.name for c in current}) < len(current):
        raise ValidationError(
            {
                "choices": _(
                    "Svarslistan %s har samma namn under olika filtervärden (choice_filter) och "
                    "ändras i XLSForm-filen: exportera, ändra och importera igen."
                )
                % question.list_name
            }
        )
    clean = _clean_choices(choices)
    existing = {c.name: c for c in current}
    removed = set(existing) - {name for name, _label in clean}
    used = _choice_in_use(questionnaire, question.list_name, removed)
    if used:
        raise ValidationError(
            {
                "choices": [
                    _("Valet %(name)s finns i %(count)d svar och kan inte tas bort.")
                    % {"name": name, "count": count}
                    for name, count in sorted(used.items())
                ]
            }
        )
    for name in sorted(removed):
        existing[name].delete()
    for position, (name, label) in enumerate(clean, start=1):
        choice = existing.get(name)
        if choice is None:
            Choice.objects.create(
                questionnaire=questionnaire,
                list_name=question.list_name,
                position=position,
                name=name,
                label=label,
            )
        elif (choice.position, choice.label) != (position, label):
            choice.position, choice.label = position, label
            choice.save()
    questionnaire.save(update_fields=["updated_at"])
    return len(clean)


GROUP_TYPES = {"begin_group", "end_group"}


@transaction.atomic
def question_move(*, question: Question, user: Any, direction: str) -> bool:
    """Move a question one step up or down within its group; returns False at either end."""
    questionnaire = question.questionnaire
    _require_write(user, questionnaire)
    if direction not in {"up", "down"}:
        raise ValidationError(_("Okänd riktning."))
    if question.type in GROUP_TYPES:
        raise ValidationError(_("Grupper flyttas i XLSForm-filen, inte här."))
    siblings = questionnaire.questions.select_for_update()
    if direction == "up":
        neighbour = siblings.filter(position__lt=question.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=question.position).order_by("position").first()
    if neighbour is None:
        return False
    if neighbour.type in GROUP_TYPES or neighbour.group != question.group:
        raise ValidationError(_("Frågan kan inte flyttas ut ur eller in i en grupp här."))
    top = (siblings.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    mine, theirs = question.position, neighbour.position
    question.position = top
    question.save(update_fields=["position"])
    neighbour.position = mine
    neighbour.save()
    question.position = theirs
    question.save()
    questionnaire.save(update_fields=["updated_at"])
    return True


@transaction.atomic
def question_delete(*, question: Question, user: Any) -> None:
    """Remove a question. Its history (and answers already given) stay; questions whose
    conditions refer to it must be changed first."""
    from samverkan.surveys.expressions import references

    questionnaire = question.questionnaire
    _require_write(user, questionnaire)
    if question.type == "end_group":
        raise ValidationError(_("Ta bort gruppen med dess rubrik."))
    contents = questionnaire.questions.filter(group=question.name).exclude(type="end_group")
    if question.type == "begin_group" and contents.exists():
        raise ValidationError(_("Gruppen har frågor; ta bort eller flytta dem först."))
    dependants = [
        other.name
        for other in questionnaire.questions.exclude(pk=question.pk)
        if question.name
        in set().union(
            *(
                references(getattr(other, column))
                for column in ("relevant", "required", "constraint", "choice_filter")
            )
        )
    ]
    if dependants:
        raise ValidationError(
            _("Frågan används i villkoren för %s; ändra dem först.") % ", ".join(dependants)
        )
    AuditEntry.objects.create(
        action="surveys.question.deleted",
        user=tenancy.db_user(user),
        organisation=questionnaire.owner,
        data={"questionnaire": questionnaire.pk, "question": question.name},
    )
    if question.type == "begin_group":
        questionnaire.questions.filter(type="end_group", name=question.name).delete()
    question.delete()
    questionnaire.save(update_fields=["updated_at"])


def recipients_set_emails(*, campaign: Campaign, lines: str, user: Any) -> int:
    """Set invitation addresses from lines of "organisation-code e-mail"; all lines are checked
    first and nothing changes if one is wrong."""
    from django.core.validators import validate_email

    if not tenancy.can_write(user, campaign):
        raise PermissionDenied
    by_code = {r.organisation.code: r for r in campaign.recipients.select_related("organisation")}
    errors, changes = [], []
    for number, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.replace(";", " ").replace(",", " ").split()
        if len(parts) != 2 or parts[0] not in by_code:
            errors.append(
                _("Rad %(row)d: ange mottagarens kod och en e-postadress.") % {"row": number}
            )
            continue
        try:
            validate_email(parts[1])
        except ValidationError:
            errors.append(
                _("Rad %(row)d: %(email)s är ingen giltig e-postadress.")
                % {"row": number, "email": parts[1]}
            )
            continue
        changes.append((by_code[parts[0]], parts[1].lower()))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for recipient, email in changes:
            recipient.email = email
            recipient.save(update_fields=["email"])
    return len(changes)


@dataclass
class AddressesAdded:
    addresses: int  # recipients given an address
    contacts: int  # of those, saved as the organisation's contact address


def recipient_emails_add(
    *, campaign: Campaign, user: Any, emails: dict[int, str], save_as_contact: set[int]
) -> AddressesAdded:
    """Give recipients without an address one (recipient id → address; empty is skipped) and,
    for the ids in ``save_as_contact`` whose organisation ``user`` may edit, keep it as the
    organisation's survey contact address for later campaigns. All addresses are checked
    first; nothing changes if one is wrong."""
    from django.core.validators import validate_email

    from samverkan.actors.models import ContactAddress
    from samverkan.actors.services import contact_address_create, contact_address_may_edit

    if not tenancy.can_write(user, campaign):
        raise PermissionDenied
    recipients = {r.pk: r for r in campaign.recipients.select_related("organisation")}
    errors, changes = [], []
    for recipient_id, raw in emails.items():
        recipient = recipients.get(recipient_id)
        if recipient is None:
            raise ValidationError(_("Mottagaren hör inte till det här utskicket."))
        email = raw.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("%(org)s: %(email)s är ingen giltig e-postadress.")
                % {"org": recipient.organisation.name, "email": raw.strip()}
            )
            continue
        changes.append((recipient, email))
    if errors:
        raise ValidationError(errors)
    contacts = 0
    with transaction.atomic():
        for recipient, email in changes:
            recipient.email = email
            recipient.save(update_fields=["email"])
            organisation = recipient.organisation
            if (
                recipient.pk in save_as_contact
                and contact_address_may_edit(user=user, organisation=organisation)
                and not ContactAddress.objects.filter(
                    organisation=organisation, email=email
                ).exists()
            ):
                contact_address_create(
                    organisation=organisation,
                    user=user,
                    email=email,
                    for_surveys=True,
                    for_consultations=False,
                )
                contacts += 1
    return AddressesAdded(addresses=len(changes), contacts=contacts)
