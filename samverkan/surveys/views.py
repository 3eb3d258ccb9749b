"""Web pages for questionnaires, campaigns, answering by link, tracking and compilation."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samverkan.actors.models import Organisation
from samverkan.actors.selectors import contact_address_editable_ids, network_list
from samverkan.core import tenancy
from samverkan.core.forms import add_form_errors
from samverkan.core.uploads import UploadRejected, upload_check
from samverkan.surveys import conditions, expressions, selectors, services
from samverkan.surveys.definition import OTHER, Definition
from samverkan.surveys.forms import (
    RULES,
    CampaignForm,
    CompilationFilterForm,
    GraceForm,
    GroupForm,
    QuestionEditForm,
    QuestionForm,
    QuestionnaireCopyForm,
    QuestionnaireForm,
    XLSFormImportForm,
    parse_choice_lines,
)
from samverkan.surveys.models import (
    SELECT_TYPES,
    Campaign,
    Question,
    Questionnaire,
    QuestionType,
    Recipient,
    Response,
)
from samverkan.surveys.xlsform import XLSFormError, checked_text_kind


def _owners(user: Any) -> Any:
    """Whom the user may build surveys for: the organisations the services let them act for
    (an organisation they only steward is edited, not acted for)."""
    return tenancy.acting_organisations(user)


def survey_list(request: HttpRequest) -> HttpResponse:
    to_answer = (
        selectors.recipients_for_user(user=request.user) if request.user.is_authenticated else []
    )
    return render(
        request,
        "surveys/list.html",
        {
            "questionnaires": selectors.questionnaire_list(user=request.user),
            "campaigns": selectors.campaign_list(user=request.user),
            "to_answer": to_answer,
        },
    )


def _condition_questions(definition: Definition, exclude: str = "") -> list[tuple[str, str]]:
    """The questions a condition can refer to, as "3. Har länet en strategi?"."""
    numbers = conditions.question_numbers(definition)
    return [
        (q.name, f"{numbers[q.name]}. {Truncator(q.label or q.name).chars(70)}")
        for q in definition.answerable
        if q.name != exclude
    ]


def _groups(definition: Definition) -> list[tuple[str, str]]:
    numbers = conditions.question_numbers(definition)
    return [
        (q.name, f"{numbers[q.name]}. {Truncator(q.label or q.name).chars(70)}")
        for q in definition.questions
        if q.type == QuestionType.BEGIN_GROUP
    ]


def _choice_labels(definition: Definition) -> dict[str, list[str]]:
    """Per question, the labels a condition's value can take (the builder's suggestions)."""
    return {
        q.name: [c.label for c in definition.choices.get(q.list_name, [])]
        for q in definition.answerable
        if q.type in SELECT_TYPES
    }


def _choice_tags(definition: Definition, question: Question) -> list[str]:
    """A question's choices for the questionnaire page; a filtered choice names its filter
    values ("Centrum (lan: m)"), since the same name may come once per filter value."""
    tags = []
    for choice in definition.choices.get(question.list_name, []):
        filters = ", ".join(f"{key}: {value}" for key, value in sorted(choice.filters.items()))
        tags.append(f"{choice.label} ({filters})" if filters else choice.label)
    return tags


def _question_rows(definition: Definition) -> list[dict[str, Any]]:
    """The questionnaire page's rows: each question with its conditions in words."""
    numbers = conditions.question_numbers(definition)
    depth, rows = 0, []
    for q in definition.questions:
        if q.type == QuestionType.END_GROUP:
            depth = max(depth - 1, 0)
            continue
        rows.append(
            {
                "q": q,
                "number": numbers[q.name],
                "depth": depth,
                "relevant": conditions.relevant_words(q, definition, numbers),
                "required": conditions.required_words(q, definition, numbers),
                "constraint": conditions.constraint_words(q),
                "choices": _choice_tags(definition, q),
            }
        )
        if q.type == QuestionType.BEGIN_GROUP:
            depth += 1
    return rows


def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = tenancy.get_readable_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    can_write = tenancy.can_write(request.user, questionnaire)
    definition = Definition.load(questionnaire)
    questions = _condition_questions(definition)
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "definition": definition,
            "rows": _question_rows(definition),
            "can_write": can_write,
            "can_copy": request.user.is_authenticated and _owners(request.user).exists(),
            "question_form": (
                QuestionForm(questions=questions, groups=_groups(definition)) if can_write else None
            ),
            "group_form": GroupForm(questions=questions) if can_write else None,
            "choice_labels": _choice_labels(definition),
            "campaigns": selectors.campaign_list(user=request.user).filter(
                questionnaire=questionnaire
            ),
        },
    )


@login_required
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    """ "Ny enkät": a title and an owner, then the builder on the questionnaire's page."""
    form = QuestionnaireForm(request.POST or None, owners=_owners(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire = services.questionnaire_create(
                owner=data["owner"],
                user=request.user,
                title=data["title"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Enkäten är skapad. Lägg till frågorna nedan."))
            return redirect(f"{questionnaire.get_absolute_url()}#lagg-till")
    return render(request, "surveys/questionnaire_form.html", {"form": form})


@login_required
def questionnaire_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Kopiera enkät": start a new round from an earlier questionnaire."""
    original = tenancy.get_readable_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    form = QuestionnaireCopyForm(
        request.POST or None,
        owners=_owners(request.user),
        initial={"title": _("Kopia av %s") % original.title},
    )
    if request.method == "POST" and form.is_valid():
        copy = services.questionnaire_copy(
            questionnaire=original,
            owner=form.cleaned_data["owner"],
            user=request.user,
            title=form.cleaned_data["title"],
        )
        messages.success(request, _("Enkäten är kopierad. Kopian kan ändras fritt."))
        return redirect(copy)
    return render(
        request, "surveys/questionnaire_copy.html", {"form": form, "questionnaire": original}
    )


def _preview_answers(request: HttpRequest, definition: Definition) -> tuple[dict, dict]:
    if request.method != "POST":
        return {}, {}
    raw = _raw_answers(request, definition)
    answers, errors = definition.clean(raw)
    if request.POST.get("action") == "submit":
        errors = {**definition.submit_errors(answers), **errors}
    return answers, errors


def questionnaire_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire as a respondent sees it. Answers typed here are checked (conditions,
    required questions, types) but never stored."""
    questionnaire = tenancy.get_readable_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    definition = Definition.load(questionnaire)
    answers, errors = _preview_answers(request, definition)
    raw = _raw_answers(request, definition) if request.method == "POST" else {}
    items = _answer_items(definition, answers, errors, raw, None)
    summary = [
        {"href": f"#id_{item['q'].name}", "label": item["q"].label, "message": item["error"]}
        for item in items
        if item["error"]
    ]
    checked = request.method == "POST" and not errors
    return render(
        request,
        "surveys/answer.html",
        {
            "preview": True,
            "questionnaire": questionnaire,
            "campaign": {"title": questionnaire.title},
            "items": items,
            "summary": summary,
            "checked": checked,
            "relevance_url": reverse("surveys:preview_relevance", args=[questionnaire.pk]),
        },
    )


@require_POST
def preview_relevance(request: HttpRequest, pk: int) -> JsonResponse:
    questionnaire = tenancy.get_readable_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    definition = Definition.load(questionnaire)
    answers, _errors = definition.clean(_raw_answers(request, definition))
    return _relevance_json(definition, answers)


@login_required
@require_POST
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = tenancy.get_writable_or_403(Questionnaire.objects.all(), request.user, pk=pk)
    definition = Definition.load(questionnaire)
    form = GroupForm(request.POST, questions=_condition_questions(definition))
    try:
        if not form.is_valid():
            raise ValidationError(_("Gruppen kunde inte läggas till: kontrollera fälten."))
        data = form.cleaned_data
        services.group_add(
            questionnaire=questionnaire,
            user=request.user,
            name=data["name"],
            label=data["label"],
            relevant=form.relevant_value(definition),
        )
    except ValidationError as exc:
        messages.error(request, _field_messages(exc, form))
    else:
        messages.success(request, _("Gruppen är tillagd. Välj den när du lägger till frågor."))
    return redirect(f"{questionnaire.get_absolute_url()}#lagg-till")


def _field_messages(exc: ValidationError, form: Any) -> str:
    """A refusal as one message that names each field by its label."""
    if not hasattr(exc, "error_dict"):
        errors = {
            name: [str(e) for e in field_errors] for name, field_errors in form.errors.items()
        }
        if not errors:
            return " ".join(exc.messages)
    else:
        errors = {
            name: [str(m) for e in es for m in e.messages] for name, es in exc.error_dict.items()
        }
    parts = []
    for name, texts in errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None else ""
        parts.append(f"{label}: {' '.join(texts)}" if label else " ".join(texts))
    return " ".join(parts)


MAX_SHOWN_WARNINGS = 30


@login_required
def questionnaire_import(request: HttpRequest) -> HttpResponse:
    owners = _owners(request.user)
    form = XLSFormImportForm(request.POST or None, request.FILES or None, owners=owners)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            upload_check(upload, kinds=("xlsx",))
            imported = services.xlsform_import(
                data=upload.read(), owner=form.cleaned_data["owner"], user=request.user
            )
        except UploadRejected as exc:
            errors = [str(exc)]
        except XLSFormError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Enkäten %s är importerad.") % imported.questionnaire)
            if imported.warnings:
                # shown on the questionnaire page after the redirect, one line per warning
                shown = imported.warnings[:MAX_SHOWN_WARNINGS]
                messages.warning(
                    request,
                    _(
                        "Importerad. Ignorerade (%d): det som inte kan användas i en enkät till "
                        "organisationer."
                    )
                    % len(imported.warnings),
                )
                for warning in shown:
                    messages.warning(request, warning)
                if len(imported.warnings) > len(shown):
                    messages.warning(
                        request, _("… och %d till.") % (len(imported.warnings) - len(shown))
                    )
            return redirect(imported.questionnaire)
    return render(request, "surveys/questionnaire_import.html", {"form": form, "errors": errors})


def questionnaire_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = tenancy.get_readable_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    response = HttpResponse(
        selectors.questionnaire_xlsform(questionnaire=questionnaire),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # form_id is checked at import; questionnaires stored before that may hold anything
    filename = f"{slugify(questionnaire.form_id) or 'enkat'}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = tenancy.get_writable_or_403(Questionnaire.objects.all(), request.user, pk=pk)
    definition = Definition.load(questionnaire)
    form = QuestionForm(
        request.POST, questions=_condition_questions(definition), groups=_groups(definition)
    )
    try:
        if not form.is_valid():
            raise ValidationError(_("Frågan kunde inte läggas till: kontrollera fälten."))
        data = form.cleaned_data
        question = services.question_add(
            questionnaire=questionnaire,
            user=request.user,
            type=data["type"],
            name=data["name"],
            label=data["label"],
            choices=parse_choice_lines(data["choices"]),
            required=data["required"],
            relevant=form.relevant_value(definition),
            constraint=data["constraint"],
            group=data.get("group") or "",
            calculation=data.get("calculation") or "",
        )
    except ValidationError as exc:
        if form.is_valid():
            add_form_errors(form, exc)
        return render(
            request,
            "surveys/question_add.html",
            {
                "questionnaire": questionnaire,
                "question_form": form,
                "choice_labels": _choice_labels(definition),
            },
            status=400,
        )
    messages.success(request, _("Frågan %s är tillagd.") % question.name)
    return redirect(f"{questionnaire.get_absolute_url()}#q-{question.pk}")


def _writable_question(request: HttpRequest, pk: int, question_id: int) -> Question:
    questionnaire = tenancy.get_writable_or_403(Questionnaire.objects.all(), request.user, pk=pk)
    return get_object_or_404(
        Question.objects.select_related("questionnaire"),
        questionnaire=questionnaire,
        pk=question_id,
    )


@login_required
def question_edit(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Edit a question's text, conditions and choice list; expressions are checked on save."""
    question = _writable_question(request, pk, question_id)
    with_choices = question.type in SELECT_TYPES
    definition = Definition.load(question.questionnaire)
    required = question.required.strip()
    initial = {
        "label": question.label,
        "hint": question.hint,
        "required": required == "yes",
        "required_if": "" if required in {"", "yes", "no"} else required,
        **QuestionEditForm.initial_for(question.relevant),
        "constraint": question.constraint,
        "constraint_message": question.constraint_message,
        "choices": "\n".join(
            f"{c.name} {c.label}" for c in definition.choices.get(question.list_name, [])
        ),
    }
    is_group = question.type == QuestionType.BEGIN_GROUP
    initial["calculation"] = question.calculation
    form = QuestionEditForm(
        request.POST or None,
        initial=initial,
        with_choices=with_choices,
        is_group=is_group,
        is_calculation=question.type == QuestionType.CALCULATE,
        questions=_condition_questions(definition, exclude=question.name),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.question_update(
                    question=question,
                    user=request.user,
                    label=data["label"],
                    hint=data["hint"],
                    required=form.required_value(),
                    relevant=form.relevant_value(definition),
                    constraint=data.get("constraint", ""),
                    constraint_message=data.get("constraint_message", ""),
                    calculation=data.get("calculation"),
                )
                if with_choices:
                    services.question_set_choices(
                        question=question,
                        user=request.user,
                        choices=parse_choice_lines(data["choices"]),
                    )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "required" in exc.error_dict:
                exc.error_dict["required_if"] = exc.error_dict.pop("required")
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Frågan %s är sparad.") % question.name)
            return redirect(question.questionnaire)
    shared = [
        q.name
        for q in definition.questions
        if with_choices and q.list_name == question.list_name and q.pk != question.pk
    ]
    return render(
        request,
        "surveys/question_edit.html",
        {
            "question": question,
            "questionnaire": question.questionnaire,
            "form": form,
            "shared": shared,
            "names": [q.name for q in definition.answerable if q.pk != question.pk],
            "choice_labels": _choice_labels(definition),
            "is_group": is_group,
        },
    )


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    question = _writable_question(request, pk, question_id)
    try:
        services.question_move(
            question=question, user=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{question.questionnaire.get_absolute_url()}#q-{question.pk}")


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    question = _writable_question(request, pk, question_id)
    try:
        services.question_delete(question=question, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Frågan %s är borttagen (den finns kvar i historiken).") % question.name
        )
    return redirect(question.questionnaire)


@login_required
def campaign_create(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = tenancy.get_readable_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    form = CampaignForm(
        request.POST or None,
        owners=_owners(request.user),
        networks=network_list(user=request.user),
        initial={"title": questionnaire.title},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["rule"] == "manual":
            codes = [c.strip() for c in data["organisations"].split() if c.strip()]
            organisations = list(Organisation.objects.filter(code__in=codes))
            unknown = set(codes) - {o.code for o in organisations}
            if unknown:
                form.add_error("organisations", _("Okända koder: %s.") % ", ".join(sorted(unknown)))
        else:
            organisations = selectors.organisations_by_rule(
                rule=data["rule"], county_code=data["county"], network=data["network"]
            )
        if form.is_valid():
            rule = str(dict(RULES)[data["rule"]])
            if data["rule"] == "network":
                rule = _("Medlemmarna i %(network)s den %(day)s") % {
                    "network": data["network"].name,
                    "day": timezone.localdate().isoformat(),
                }
            try:
                campaign = services.campaign_create(
                    user=request.user,
                    questionnaire=questionnaire,
                    owner=data["owner"],
                    title=data["title"],
                    deadline=data["deadline"],
                    organisations=organisations,
                    rule=rule,
                    message=data["message"],
                    grace_days=data["grace_days"] or 0,
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(
                    request, _("Utskicket är skapat med %d mottagare.") % len(organisations)
                )
                return redirect(campaign)
    return render(
        request, "surveys/campaign_form.html", {"form": form, "questionnaire": questionnaire}
    )


def _tracking_rows_html(request: HttpRequest, tracking: selectors.Tracking, can_write: bool) -> str:
    """The table body, built in Python: a campaign to 2,000 organisations renders in time."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
    reopen, link = escape(_("Öppna igen")), escape(_("svarslänk"))
    rows = []
    for row in tracking.rows:
        error = (
            f' <span class="muted">({escape(Truncator(row.delivery_error).chars(80))})</span>'
            if row.delivery_error
            else ""
        )
        action = ""
        if can_write and row.state == "submitted":
            action = (
                f'<td><form method="post" action="{escape(row.reopen_url)}" '
                f'class="inline-form">{csrf}<button type="submit" class="button-small">'
                f"{reopen}</button></form></td>"
            )
        elif can_write:
            action = f'<td><a href="{escape(row.answer_url)}">{link}</a></td>'
        rows.append(
            f'<tr><td>{escape(row.name)}</td><td><span class="badge state-{row.state}">'
            f"{escape(row.state_label)}</span></td><td>{escape(row.email or '–')}</td>"
            f"<td>{escape(row.delivery)}{error}</td>{action}</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308  (every value passed through escape()) # nosec B308, B703


def _missing_rows(
    request: HttpRequest, campaign: Campaign, typed: dict[int, tuple[str, bool]] | None = None
) -> list[dict[str, Any]]:
    """Recipients not yet invited who have no address, by organisation name, each with the
    address typed so far and whether it may (and by default will) become the organisation's
    contact address."""
    missing = list(
        campaign.recipients.filter(email="", invited_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    editable = contact_address_editable_ids(
        user=request.user, organisation_ids={r.organisation_id for r in missing}
    )
    rows = []
    for recipient in missing:
        may_save = recipient.organisation_id in editable
        email, save = (typed or {}).get(recipient.pk, ("", may_save))
        rows.append(
            {
                "recipient": recipient,
                "email": email,
                "may_save": may_save,
                "save": may_save and save,
            }
        )
    return rows


def _campaign_page(
    request: HttpRequest,
    campaign: Campaign,
    *,
    typed: dict[int, tuple[str, bool]] | None = None,
    address_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    tracking = selectors.campaign_tracking(campaign=campaign)
    can_write = tenancy.can_write(request.user, campaign)
    missing = (
        _missing_rows(request, campaign, typed)
        if can_write and campaign.status == Campaign.Status.OPEN
        else []
    )
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "tracking": tracking,
            "can_write": can_write,
            "rows_html": _tracking_rows_html(request, tracking, can_write),
            "missing_addresses": missing,
            "address_errors": address_errors or [],
        },
        status=status,
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The tracking page: invited, opened, draft, submitted, overdue, named missing; and the
    recipients still without an address, with a row each to add one."""
    campaign = tenancy.get_readable_or_404(
        Campaign.objects.select_related("questionnaire"), request.user, pk=pk
    )
    return _campaign_page(request, campaign)


def _send_message(request: HttpRequest, result: services.SendResult) -> None:
    if result.missing_email:
        messages.warning(request, result.message())
    else:
        messages.success(request, result.message())


@login_required
@require_POST
def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = tenancy.get_writable_or_403(Campaign.objects.all(), request.user, pk=pk)
    reminder = request.POST.get("reminder") == "1"
    try:
        result = services.campaign_send(campaign=campaign, user=request.user, reminder=reminder)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _send_message(request, result)
    return redirect(campaign)


@login_required
@require_POST
def campaign_missing_addresses(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the addresses of recipients that had none (one field per recipient, ``email-<id>``,
    with ``contact-<id>`` to keep it as the organisation's contact address), and send the
    invitations if asked to."""
    campaign = tenancy.get_writable_or_403(
        Campaign.objects.select_related("questionnaire"), request.user, pk=pk
    )
    emails: dict[int, str] = {}
    save: set[int] = set()
    for key in request.POST:
        prefix, _sep, number = key.partition("-")
        if prefix == "email" and number.isdigit():
            emails[int(number)] = request.POST.get(key, "")
        elif prefix == "contact" and number.isdigit():
            save.add(int(number))
    try:
        added = services.recipient_emails_add(
            campaign=campaign, user=request.user, emails=emails, save_as_contact=save
        )
    except ValidationError as exc:
        typed = {rid: (email, rid in save) for rid, email in emails.items()}
        return _campaign_page(
            request, campaign, typed=typed, address_errors=exc.messages, status=400
        )
    text = ngettext("%d adress är sparad", "%d adresser är sparade", added.addresses) % (
        added.addresses
    )
    if added.contacts:
        text += (
            ngettext(
                ", %d som organisationens kontaktadress",
                ", %d som organisationernas kontaktadress",
                added.contacts,
            )
            % added.contacts
        )
    messages.success(request, text + ".")
    if request.POST.get("action") == "send":
        try:
            result = services.campaign_send(campaign=campaign, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            _send_message(request, result)
    return redirect(campaign)


@login_required
def campaign_emails(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the invitation addresses of many recipients at once ("kod e-post" per line)."""
    campaign = tenancy.get_writable_or_403(Campaign.objects.all(), request.user, pk=pk)
    lines = request.POST.get("lines", "")
    errors: list[str] = []
    if request.method == "POST":
        try:
            count = services.recipients_set_emails(
                campaign=campaign, lines=lines, user=request.user
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%d adresser är sparade.") % count)
            return redirect(campaign)
    current = "\n".join(
        f"{code} {email}"
        for code, email in campaign.recipients.values_list("organisation__code", "email").order_by(
            "organisation__name"
        )
    )
    return render(
        request,
        "surveys/campaign_emails.html",
        {"campaign": campaign, "lines": lines or current, "errors": errors},
    )


@login_required
@require_POST
def campaign_grace(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner sets how many days after the deadline the personal links keep working."""
    campaign = tenancy.get_writable_or_403(Campaign.objects.all(), request.user, pk=pk)
    form = GraceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange mellan 0 och 365 extra dagar."))
        return redirect(campaign)
    services.campaign_set_grace(
        campaign=campaign, grace_days=form.cleaned_data["grace_days"], user=request.user
    )
    messages.success(
        request,
        _("Svarslänkarna gäller till och med %s.") % campaign.links_valid_until.isoformat(),
    )
    return redirect(campaign)


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = tenancy.get_writable_or_403(Campaign.objects.all(), request.user, pk=pk)
    services.campaign_close(campaign=campaign, user=request.user)
    messages.success(request, _("Utskicket är stängt."))
    return redirect(campaign)


@login_required
@require_POST
def response_reopen(request: HttpRequest, pk: int, recipient_id: int) -> HttpResponse:
    campaign = tenancy.get_writable_or_403(Campaign.objects.all(), request.user, pk=pk)
    response = get_object_or_404(Response, recipient__campaign=campaign, recipient_id=recipient_id)
    services.response_reopen(response=response, user=request.user)
    messages.success(request, _("Svaret från %s är öppnat igen.") % response.recipient.organisation)
    return redirect(campaign)


def _compilation_context(
    request: HttpRequest, pk: int, *, named: bool = False
) -> tuple[Campaign, dict[str, Any], Any]:
    campaign = tenancy.get_readable_or_404(
        Campaign.objects.select_related("questionnaire"), request.user, pk=pk
    )
    form = CompilationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    compilation = selectors.campaign_compile(
        campaign=campaign,
        county=filters.get("county", ""),
        kind=filters.get("kind", ""),
        named=named,
    )
    return campaign, compilation, form


def campaign_compilation(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, compilation, form = _compilation_context(request, pk)
    for question in compilation["questions"]:
        if "counts" in question:
            answered = question["answered"] or 1
            question["rows"] = [
                {
                    "name": name,
                    "label": question["labels"][name],
                    "count": count,
                    "share": round(100 * count / answered),
                    "respondents": question["respondents"][name],
                }
                for name, count in question["counts"].items()
            ]
    return render(
        request,
        "surveys/compilation.html",
        {"campaign": campaign, "compilation": compilation, "form": form},
    )


def campaign_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    # the JSON form names each respondent by code and full name; the others by short name
    campaign, compilation, _form = _compilation_context(request, pk, named=fmt == "json")
    if fmt == "json":
        body: bytes = json.dumps(compilation, ensure_ascii=False, indent=2).encode()
        content_type, ext = "application/json", "json"
    elif fmt == "md":
        body = selectors.compilation_markdown(compilation).encode()
        content_type, ext = "text/markdown; charset=utf-8", "md"
    elif fmt == "csv":
        body = selectors.responses_csv(campaign=campaign)
        content_type, ext = "text/csv; charset=utf-8", "csv"
    elif fmt == "xlsx":
        body = selectors.compilation_xlsx(campaign=campaign, compilation=compilation)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ext = "xlsx"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="sammanstallning-{campaign.pk}.{ext}"'
    return response


def _raw_answers(request: HttpRequest, definition: Definition) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for question in definition.answerable:
        if question.type == QuestionType.SELECT_MULTIPLE:
            raw[question.name] = request.POST.getlist(question.name)
        else:
            raw[question.name] = request.POST.get(question.name, "")
        if question.or_other:
            raw[f"{question.name}_other"] = request.POST.get(f"{question.name}_other", "")
    return raw


def _recipient_by_token(token: str) -> Recipient:
    recipient = (
        Recipient.objects.select_related("campaign__questionnaire", "organisation")
        .filter(token=token)
        .first()
    )
    if recipient is None or len(token) < 32:
        raise Http404(_("Länken är ogiltig."))
    return recipient


@require_POST
def answer_relevance(request: HttpRequest, token: str) -> JsonResponse:
    """Which questions apply to the answers typed so far: the form's script shows and hides
    questions with the same server-side evaluation that saving uses. Nothing is stored."""
    recipient = _recipient_by_token(token)
    if recipient.campaign.links_expired():
        return JsonResponse({"error": _("Svarslänken har gått ut.")}, status=410)
    definition = Definition.load(recipient.campaign.questionnaire)
    answers, _errors = definition.clean(_raw_answers(request, definition))
    return _relevance_json(definition, answers)


def _relevance_json(definition: Definition, answers: dict[str, Any]) -> JsonResponse:
    """Which questions apply; with ``choices`` when a list has a choice_filter."""
    result: dict[str, Any] = {"relevant": sorted(definition.relevant_names(answers))}
    shown = _choice_visibility(definition, answers)
    if shown:
        result["choices"] = shown
    return JsonResponse(result)


def _choice_visibility(definition: Definition, answers: dict[str, Any]) -> dict[str, list[int]]:
    """For each question with a choice_filter: the places in its list of the choices shown."""
    shown = {}
    for question in definition.answerable:
        if question.choice_filter:
            visible = {id(c) for c in definition.visible_choices(question, answers)}
            options = definition.choices.get(question.list_name, [])
            shown[question.name] = [i for i, c in enumerate(options) if id(c) in visible]
    return shown


def _display(definition: Definition, question: Question, answers: dict[str, Any]) -> str:
    """An answer as the respondent reads it: choice labels, "Annat: …" for the own text."""
    value = answers.get(question.name)
    if value in (None, "", []):
        return ""
    if question.type in SELECT_TYPES:
        names = value if isinstance(value, list) else [value]
        labels = [definition.choice_label(question, name, answers) for name in names]
        other = answers.get(f"{question.name}_other")
        if other:
            labels = [
                f"{label}: {other}" if name == OTHER else label
                for name, label in zip(names, labels, strict=True)
            ]
        return ", ".join(labels)
    return str(value)


def _receipt(definition: Definition, answers: dict[str, Any]) -> list[dict[str, str]]:
    """The questions that applied, in form order, with what was answered (the receipt)."""
    relevant = definition.relevant_names(answers)
    return [
        {
            "label": question.label or question.name,
            "answer": _display(definition, question, answers),
        }
        for question in definition.answerable
        if question.name in relevant
    ]


def _answer_items(
    definition: Definition,
    answers: dict[str, Any],
    errors: dict[str, str],
    raw: dict[str, Any],
    conflict: services.DraftConflict | None,
) -> list[dict[str, Any]]:
    """One entry per question for the form; a value refused as of the wrong type is shown as
    typed, so that the respondent can correct it."""
    relevant = definition.relevant_names(answers)
    items = []
    for question in definition.questions:
        if question.type == QuestionType.END_GROUP:
            continue
        multiple = question.type == QuestionType.SELECT_MULTIPLE
        value = answers.get(question.name, [] if multiple else "")
        if question.name in errors and question.name in raw and question.type not in SELECT_TYPES:
            value = raw[question.name]
        # a filtered list is rendered whole, the choices the filter leaves out hidden, so that
        # the form's script can show them as earlier answers change (see _choice_visibility)
        visible = {id(c) for c in definition.visible_choices(question, answers)}
        options = [
            {
                "name": c.name,
                "label": c.label,
                "index": index,
                "hidden": id(c) not in visible,
                "checked": id(c) in visible
                and (c.name in value if isinstance(value, list) else c.name == value),
            }
            for index, c in enumerate(definition.choices.get(question.list_name, []))
            if question.choice_filter or id(c) in visible
        ]
        if question.or_other:
            options.append(
                {
                    "name": OTHER,
                    "label": _("Annat"),
                    "checked": OTHER in value if isinstance(value, list) else value == OTHER,
                }
            )
        theirs = None
        if conflict and conflict.theirs.get(question.name) != conflict.mine.get(question.name):
            theirs = conflict.theirs.get(question.name, "")
        required = bool(question.required) and expressions.is_true(
            question.required, answers, default=False
        )
        items.append(
            {
                "q": question,
                "value": value,
                "options": options,
                "other": answers.get(f"{question.name}_other", ""),
                "error": errors.get(question.name),
                "theirs": theirs,
                "hidden": question.name not in relevant,
                "required": required,
                "input_type": checked_text_kind(question.constraint)
                if question.type == QuestionType.TEXT
                else "",
                "conflicting": conflict is not None and theirs is not None,
            }
        )
    return items


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """Answer by the recipient's personal link: no account needed; drafts saved as they go.
    Errors are listed in a summary at the top (each linked to its question) and next to each
    question; a submitted response is shown as a receipt that can be printed."""
    recipient = _recipient_by_token(token)
    campaign = recipient.campaign
    if campaign.status == Campaign.Status.CLOSED:
        return render(request, "surveys/answer_closed.html", {"campaign": campaign}, status=410)
    if campaign.links_expired():
        return render(request, "surveys/answer_expired.html", {"campaign": campaign}, status=410)
    definition = Definition.load(campaign.questionnaire)
    response = services.recipient_open(recipient=recipient)
    answers, conflict = response.answers, None
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    general_errors: list[str] = []
    saved_with_errors = False
    if request.method == "POST":
        raw = _raw_answers(request, definition)
        submit = request.POST.get("action") == "submit"
        try:
            base = int(request.POST.get("version", "-1"))
            result = services.response_save(
                recipient=recipient,
                raw=raw,
                base_version=base,
                submit=submit,
                attachment=request.FILES.get("attachment"),
            )
        except services.DraftConflict as exc:
            response.refresh_from_db()
            answers, conflict = exc.mine, exc
        except UploadRejected as exc:
            # nothing is stored: the answers typed stay in the form, the file is asked again
            response.refresh_from_db()
            answers, errors = definition.clean(raw)
            errors = {**errors, "attachment": str(exc)}
        except (ValidationError, ValueError) as exc:
            general_errors = list(getattr(exc, "messages", [str(exc)]))
            response.refresh_from_db()
            answers = response.answers
        else:
            response, errors, answers = result.response, result.errors, result.response.answers
            if not errors:
                if response.status == Response.Status.DRAFT:
                    messages.success(request, _("Utkastet är sparat."))
                # a submitted response is shown as its receipt
                return redirect("surveys:answer", token=token)
            saved_with_errors = True
    if response.status == Response.Status.SUBMITTED:
        attachment = Path(response.attachment.name or "").name
        return render(
            request,
            "surveys/answer_receipt.html",
            {
                "recipient": recipient,
                "campaign": campaign,
                "response": response,
                "rows": _receipt(definition, response.answers),
                "attachment": attachment,
                "general_errors": general_errors,
            },
        )
    items = _answer_items(definition, answers, errors, raw, conflict)
    summary = [
        {"href": f"#id_{item['q'].name}", "label": item["q"].label, "message": item["error"]}
        for item in items
        if item["error"]
    ]
    if "attachment" in errors:
        summary.append(
            {
                "href": "#id_attachment",
                "label": _("Bilaga"),
                "message": errors["attachment"],
            }
        )
    return render(
        request,
        "surveys/answer.html",
        {
            "recipient": recipient,
            "campaign": campaign,
            "response": response,
            "items": items,
            "conflict": conflict,
            "summary": summary,
            "general_errors": general_errors,
            "saved_with_errors": saved_with_errors,
            "attachment_error": errors.get("attachment"),
        },
    )
