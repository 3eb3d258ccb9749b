"""Writes and rules of the funding workflow: calls, applications, assessment, decisions, reports.

Every refusal raises ``ValidationError`` (bad input: the message says what to change) or
``PermissionDenied`` (wrong person), and nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.actors.models import Organisation, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.models import AuditEntry, Visibility
from samverkan.funding import access
from samverkan.funding.models import (
    SCORE_MAX,
    SCORE_MIN,
    Application,
    ApplicationPartner,
    ApplicationStatus,
    Attachment,
    BudgetLine,
    Call,
    CallStatus,
    CoFinancing,
    ConflictDeclaration,
    Criterion,
    Decision,
    FundingReport,
    Outcome,
    Perspective,
    PromisedIndicator,
    ReportKind,
    Score,
)
from samverkan.geo.models import County
from samverkan.projects.models import ParticipantRole, Project, ProjectFunding, ProjectStatus

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def kr(amount: int | None) -> str:
    """``1 234 567 kr`` with a non-breaking thin space as thousands separator."""
    return f"{amount or 0:,} kr".replace(",", "\u00a0")


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


# --- calls --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    title: str
    weight: int = 1
    guidance: str = ""
    perspective: str = ""


CALL_FIELDS = (
    "title",
    "purpose",
    "budget",
    "eligible_kinds",
    "required_perspectives",
    "period_start",
    "period_end",
    "deadline",
    "source",
)


def _clean_call(call: Call) -> None:
    errors: dict[str, str] = {}
    if call.deadline is not None and timezone.is_naive(call.deadline):
        errors["deadline"] = _("Sista ansökningsdag måste ha en tidszon.")
    if call.period_start and call.period_end and call.period_end < call.period_start:
        errors["period_end"] = _("Projektperioden kan inte sluta innan den börjar.")
    unknown = set(call.required_perspectives) - set(Perspective.values)
    if unknown:
        errors["required_perspectives"] = _("Okänt perspektiv: %s") % ", ".join(sorted(unknown))
    from samverkan.actors.models import OrganisationKind

    bad_kinds = set(call.eligible_kinds) - set(OrganisationKind.values)
    if bad_kinds:
        errors["eligible_kinds"] = _("Okänd organisationstyp: %s") % ", ".join(sorted(bad_kinds))
    if errors:
        raise ValidationError(errors)
    call.full_clean(exclude=["eligible_kinds", "required_perspectives"])


@transaction.atomic
def call_create(
    *,
    user: Any,
    owner: Organisation,
    criteria: Sequence[CriterionSpec] = (),
    eligible_counties: Sequence[County] = (),
    **fields: Any,
) -> Call:
    """A new call (a draft, visible only to the funder) owned by ``owner``."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte skapa utlysningar för %s.") % owner)
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    call = Call(owner=owner, visibility=Visibility.PRIVATE, **fields)
    _clean_call(call)
    call.save()
    call.eligible_counties.set(eligible_counties)
    for spec in criteria:
        criterion_add(call=call, user=user, spec=spec)
    return call


@transaction.atomic
def call_update(
    *, call: Call, user: Any, eligible_counties: Sequence[County] | None = None, **fields: Any
) -> Call:
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(call, name, value)
    _clean_call(call)
    call.save()
    if eligible_counties is not None:
        call.eligible_counties.set(eligible_counties)
    return call


def criterion_add(*, call: Call, user: Any, spec: CriterionSpec) -> Criterion:
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    if spec.weight < 1:
        raise ValidationError({"weight": _("Vikten måste vara minst 1.")})
    if spec.perspective and spec.perspective not in Perspective.values:
        raise ValidationError({"perspective": _("Okänt perspektiv: %s") % spec.perspective})
    position = call.criteria.count() + 1
    return Criterion.objects.create(
        call=call,
        position=position,
        title=spec.title,
        weight=spec.weight,
        guidance=spec.guidance,
        perspective=spec.perspective,
    )


CRITERION_RULE = gettext_lazy(
    "Ett kriterium som har fått poäng kan inte tas bort och bara dess vägledning kan ändras: "
    "poängen gavs mot den lydelsen. När bedömningen av utlysningen har börjat (någon poäng är "
    "given) ligger vikterna fast, eftersom en ändrad vikt skulle ändra rangordningen i efterhand."
)


def criterion_rule() -> str:
    """The rule for changing criteria, shown next to the criteria on the call page."""
    return str(CRITERION_RULE)


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    user: Any,
    title: str,
    weight: int,
    guidance: str = "",
    perspective: str = "",
) -> Criterion:
    """Change a criterion; refused with the reason once scores depend on what would change
    (see ``CRITERION_RULE``)."""
    call = Call.objects.select_for_update().get(pk=criterion.call_id)
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Ange kriteriets titel.")
    if weight < 1:
        errors["weight"] = _("Vikten måste vara minst 1.")
    if perspective and perspective not in Perspective.values:
        errors["perspective"] = _("Okänt perspektiv: %s") % perspective
    scored = criterion.scores.count()
    if scored and (title != criterion.title or perspective != criterion.perspective):
        errors["title"] = _(
            "Kriteriet har fått %(n)d poäng mot nuvarande lydelse; bara vägledningen kan ändras."
        ) % {"n": scored}
    if weight != criterion.weight:
        call_scores = Score.objects.filter(application__call_id=call.pk).count()
        if call_scores:
            errors["weight"] = _(
                "Bedömningen har börjat (%(n)d poäng givna i utlysningen); vikten %(old)d kan "
                "inte ändras till %(new)d utan att rangordningen ändras i efterhand."
            ) % {"n": call_scores, "old": criterion.weight, "new": weight}
    if errors:
        raise ValidationError(errors)
    before = {"title": criterion.title, "weight": criterion.weight}
    criterion.title, criterion.weight = title, weight
    criterion.guidance, criterion.perspective = guidance, perspective
    criterion.save()
    AuditEntry.objects.create(
        action="funding.criterion_changed",
        user=tenancy.db_user(user),
        organisation=call.owner,
        data={"call": call.pk, "criterion": criterion.pk, "before": before},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, user: Any) -> None:
    """Remove a criterion that has no scores; the others are renumbered."""
    call = Call.objects.select_for_update().get(pk=criterion.call_id)
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    scored = criterion.scores.count()
    if scored:
        raise ValidationError(
            _(
                "”%(title)s” har fått %(n)d poäng och kan inte tas bort; poängen skulle försvinna "
                "och rangordningen ändras."
            )
            % {"title": criterion.title, "n": scored}
        )
    if call.status != CallStatus.DRAFT and call.criteria.count() == 1:
        raise ValidationError(_("En publicerad utlysning behöver minst ett bedömningskriterium."))
    AuditEntry.objects.create(
        action="funding.criterion_removed",
        user=tenancy.db_user(user),
        organisation=call.owner,
        data={"call": call.pk, **exchange_criterion(criterion)},
    )
    criterion.delete()
    for position, other in enumerate(call.criteria.order_by("position", "pk"), start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


def exchange_criterion(criterion: Criterion) -> dict[str, Any]:
    return {
        "title": criterion.title,
        "weight": criterion.weight,
        "guidance": criterion.guidance,
        "perspective": criterion.perspective,
    }


@transaction.atomic
def call_publish(*, call: Call, user: Any) -> Call:
    """Open the call for applications: everyone can read it from now on."""
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    if not call.criteria.exists():
        raise ValidationError(_("Utlysningen behöver minst ett bedömningskriterium."))
    call.status = CallStatus.OPEN
    call.visibility = Visibility.PUBLIC
    call.save(update_fields=["status", "visibility", "updated_at"])
    return call


# --- applications -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    target: Decimal
    unit: str = ""


APPLICATION_FIELDS = (
    "title",
    "summary",
    "description",
    "county",
    "start_date",
    "end_date",
    "total_budget",
    "requested_amount",
    "expected_results",
    "perspectives",
    "source",
)


def budget_check(
    *,
    total: int,
    requested: int,
    lines: Sequence[tuple[str, int]],
    co_financing: Sequence[tuple[str, int]],
) -> None:
    """The budget table adds up: cost lines sum to the total, and the requested amount plus
    co-financing pays for the total. Raises ``ValidationError`` naming the figures."""
    errors: dict[str, list[str]] = {}
    line_sum = sum(amount for _item, amount in lines)
    if lines and line_sum != total:
        errors.setdefault("budget_lines", []).append(
            _(
                "Kostnadsposterna summerar till %(sum)s men den totala budgeten är %(total)s "
                "(skillnad %(diff)s)."
            )
            % {"sum": kr(line_sum), "total": kr(total), "diff": kr(abs(line_sum - total))}
        )
    financed = requested + sum(amount for _funder, amount in co_financing)
    if (lines or co_financing or requested) and financed != total:
        errors.setdefault("co_financing", []).append(
            _(
                "Sökt belopp (%(requested)s) och medfinansiering (%(co)s) blir %(financed)s, "
                "men budgeten är %(total)s: finansieringen måste täcka exakt hela budgeten."
            )
            % {
                "requested": kr(requested),
                "co": kr(financed - requested),
                "financed": kr(financed),
                "total": kr(total),
            }
        )
    if errors:
        raise ValidationError(errors)


def _eligibility_check(call: Call, owner: Organisation) -> None:
    if call.eligible_kinds and owner.kind not in call.eligible_kinds:
        raise ValidationError(
            _("%(org)s (%(kind)s) får inte söka i den här utlysningen.")
            % {"org": owner, "kind": owner.get_kind_display()}
        )
    counties = set(call.eligible_counties.values_list("pk", flat=True))
    if counties and owner.county_id not in counties:
        raise ValidationError(
            _("Utlysningen gäller bara sökande i %s.")
            % ", ".join(str(c) for c in call.eligible_counties.all())
        )


def _set_parts(
    application: Application,
    *,
    partners: Sequence[tuple[Organisation, str]] | None,
    budget_lines: Sequence[tuple[str, int]] | None,
    co_financing: Sequence[tuple[str, int]] | None,
    indicators: Sequence[IndicatorSpec] | None,
    themes: Sequence[Theme] | None,
    target_groups: Sequence[TargetGroup] | None,
) -> None:
    if partners is not None:
        for _org, role in partners:
            if role not in ParticipantRole.values:
                raise ValidationError({"partners": _("Okänd roll: %s") % role})
        application.partners.all().delete()
        ApplicationPartner.objects.bulk_create(
            ApplicationPartner(application=application, organisation=org, role=role)
            for org, role in dict.fromkeys(partners)
        )
    if budget_lines is not None:
        application.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(application=application, position=i, item=item[:200], amount=amount)
            for i, (item, amount) in enumerate(budget_lines, start=1)
        )
    if co_financing is not None:
        application.co_financing.all().delete()
        CoFinancing.objects.bulk_create(
            CoFinancing(application=application, funder=funder[:200], amount=amount)
            for funder, amount in co_financing
        )
    if indicators is not None:
        application.indicators.all().delete()
        PromisedIndicator.objects.bulk_create(
            PromisedIndicator(application=application, name=i.name, unit=i.unit, target=i.target)
            for i in indicators
        )
    if themes is not None:
        application.themes.set(themes)
    if target_groups is not None:
        application.target_groups.set(target_groups)


def _check_budget_of(
    application: Application,
    budget_lines: Sequence[tuple[str, int]] | None,
    co_financing: Sequence[tuple[str, int]] | None,
) -> None:
    lines = (
        budget_lines
        if budget_lines is not None
        else [(b.item, b.amount) for b in application.budget_lines.all()]
        if application.pk
        else []
    )
    co = (
        co_financing
        if co_financing is not None
        else [(c.funder, c.amount) for c in application.co_financing.all()]
        if application.pk
        else []
    )
    budget_check(
        total=application.total_budget,
        requested=application.requested_amount,
        lines=lines,
        co_financing=co,
    )


@transaction.atomic
def application_create(
    *,
    user: Any,
    call: Call,
    owner: Organisation,
    partners: Sequence[tuple[Organisation, str]] = (),
    budget_lines: Sequence[tuple[str, int]] = (),
    co_financing: Sequence[tuple[str, int]] = (),
    indicators: Sequence[IndicatorSpec] = (),
    themes: Sequence[Theme] = (),
    target_groups: Sequence[TargetGroup] = (),
    **fields: Any,
) -> Application:
    """A draft application by ``owner`` (an organisation the user edits) to an open call."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte söka för %s.") % owner)
    if call.status != CallStatus.OPEN:
        raise ValidationError(_("Utlysningen är inte öppen för ansökningar."))
    if owner.pk == call.owner_id:
        raise ValidationError(_("Finansiären kan inte söka i sin egen utlysning."))
    _eligibility_check(call, owner)
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    application = Application(call=call, owner=owner, visibility=Visibility.PRIVATE, **fields)
    _check_budget_of(application, budget_lines, co_financing)
    application.full_clean(exclude=["perspectives"])
    application.save()
    _set_parts(
        application,
        partners=partners,
        budget_lines=budget_lines,
        co_financing=co_financing,
        indicators=indicators,
        themes=themes,
        target_groups=target_groups,
    )
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    user: Any,
    partners: Sequence[tuple[Organisation, str]] | None = None,
    budget_lines: Sequence[tuple[str, int]] | None = None,
    co_financing: Sequence[tuple[str, int]] | None = None,
    indicators: Sequence[IndicatorSpec] | None = None,
    themes: Sequence[Theme] | None = None,
    target_groups: Sequence[TargetGroup] | None = None,
    **fields: Any,
) -> Application:
    """Save a draft; a submitted application can no longer change."""
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan ändra ansökan."))
    if application.is_submitted:
        raise ValidationError(_("Ansökan är redan inskickad och kan inte ändras."))
    if application.is_withdrawn:
        raise ValidationError(_withdrawn_message())
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(application, name, value)
    _check_budget_of(application, budget_lines, co_financing)
    application.full_clean(exclude=["perspectives"])
    application.save()
    _set_parts(
        application,
        partners=partners,
        budget_lines=budget_lines,
        co_financing=co_financing,
        indicators=indicators,
        themes=themes,
        target_groups=target_groups,
    )
    return application


def _submission_problems(application: Application) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not application.description.strip():
        problems["description"] = _("Projektbeskrivningen saknas.")
    if not application.requested_amount:
        problems["requested_amount"] = _("Ange sökt belopp.")
    if not application.budget_lines.exists():
        problems["budget_lines"] = _("Budgeten saknar kostnadsposter.")
    if not application.expected_results.strip():
        problems["expected_results"] = _("Förväntade resultat saknas.")
    labels = dict(Perspective.choices)
    missing = [
        str(labels.get(p, p))
        for p in application.call.required_perspectives
        if not str((application.perspectives or {}).get(p, "")).strip()
    ]
    if missing:
        problems["perspectives"] = _("Utlysningen kräver att ansökan beskriver: %s.") % ", ".join(
            missing
        )
    return problems


def _project_link(application: Application, user: Any) -> Project:
    """The knowledge-bank project of the application: the one already linked, an existing one
    of the applicant with the same title, or a new planned one."""
    from samverkan.projects.services import project_create

    if application.project_id:
        return application.project  # type: ignore[return-value]
    existing = (
        Project.objects.filter(owner_id=application.owner_id, title__iexact=application.title)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    return project_create(
        user=user,
        owner=application.owner,
        title=application.title,
        summary=application.summary,
        description=application.description,
        county=application.county,
        start_date=application.start_date,
        end_date=application.end_date,
        status=ProjectStatus.PLANNED,
        budget=application.total_budget or None,
        expected_results=application.expected_results,
        themes=list(application.themes.all()),
        target_groups=list(application.target_groups.all()),
        participants=[(application.owner, ParticipantRole.IMPLEMENTING)]
        + [(p.organisation, p.role) for p in application.partners.select_related("organisation")],
        visibility=Visibility.PRIVATE,
        source=_("Ansökan till %s") % application.call.title,
    )


@transaction.atomic
def application_submit(
    *, application: Application, user: Any, now: datetime.datetime | None = None
) -> Application:
    """Submit before the call's deadline; the application becomes a planned project."""
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan skicka in ansökan."))
    if application.is_submitted:
        raise ValidationError(_("Ansökan är redan inskickad."))
    if application.is_withdrawn:
        raise ValidationError(_withdrawn_message())
    now = now or timezone.now()
    call = application.call
    if now > call.deadline:
        late = now - call.deadline
        raise ValidationError(
            _(
                "Sista ansökningsdag var %(deadline)s (svensk tid); ansökan kom in %(late)s "
                "för sent och tas inte emot. Utkastet finns kvar."
            )
            % {"deadline": local(call.deadline), "late": _duration(late)}
        )
    if call.status != CallStatus.OPEN:
        raise ValidationError(_("Utlysningen är inte öppen för ansökningar."))
    problems = _submission_problems(application)
    if problems:
        raise ValidationError(problems)
    _check_budget_of(application, None, None)
    application.project = _project_link(application, user)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["project", "status", "submitted_at", "updated_at"])
    return application


def _duration(delta: datetime.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return _("%d sekund(er)") % seconds
    if seconds < 7200:
        return _("%d minuter") % (seconds // 60)
    if seconds < 172800:
        return _("%d timmar") % (seconds // 3600)
    return _("%d dagar") % (seconds // 86400)


MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
]
ZIP_KINDS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
}
ALLOWED_TYPES = ("pdf", "docx", "xlsx", "odt", "png", "jpeg")


def attachment_type(data: bytes) -> str | None:
    """The file type read from the content itself (magic bytes, and the parts of a zip
    package for DOCX/XLSX/ODT), never from the file name."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").strip()
                    return "odt" if mimetype == b"application/vnd.oasis.opendocument.text" else None
                for part, kind in ZIP_KINDS.items():
                    if part in names:
                        return kind
        except zipfile.BadZipFile:
            return None
    return None


@transaction.atomic
def attachment_add(
    *, application: Application, user: Any, filename: str, data: bytes
) -> Attachment:
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan lägga till bilagor."))
    if application.is_submitted:
        raise ValidationError(_("Ansökan är redan inskickad och kan inte ändras."))
    if application.is_withdrawn:
        raise ValidationError(_withdrawn_message())
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(file)s är %(size).1f MB; en bilaga får vara högst %(max)d MB.")
            % {"file": filename, "size": len(data) / 2**20, "max": MAX_ATTACHMENT_BYTES // 2**20}
        )
    if not data:
        raise ValidationError(_("%s är tom.") % filename)
    kind = attachment_type(data)
    if kind is None:
        raise ValidationError(
            _("%(file)s är inte en tillåten filtyp (innehållet är inte %(types)s).")
            % {"file": filename, "types": "PDF, DOCX, XLSX, ODT, PNG eller JPEG"}
        )
    return Attachment.objects.create(
        application=application,
        filename=filename.replace("/", "_").replace("\\", "_")[:200],
        file_type=kind,
        size=len(data),
        content=data,
    )


def _withdrawn_message() -> str:
    return _(
        "Ansökan är återtagen. Den kan återställas från historiken innan den ändras eller "
        "skickas in igen."
    )


@transaction.atomic
def application_withdraw(*, application: Application, user: Any, reason: str = "") -> Application:
    """The applicant withdraws the application before a decision: it is kept (status
    withdrawn, left out of the ranking) and can be brought back from its history."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan återta ansökan."))
    if application.is_withdrawn:
        raise ValidationError(_("Ansökan är redan återtagen."))
    if Decision.objects.filter(application=application).exists():
        raise ValidationError(
            _("Finansiären har redan beslutat om ansökan; den kan inte återtas efter beslut.")
        )
    application.status = ApplicationStatus.WITHDRAWN
    application._change_reason = reason or _("Återtagen av sökande")  # type: ignore[attr-defined]
    application.save(update_fields=["status", "updated_at"])
    AuditEntry.objects.create(
        action="funding.application_withdrawn",
        user=tenancy.db_user(user),
        organisation=application.owner,
        data={"application": application.pk, "reason": reason},
    )
    return application


# --- assessment ---------------------------------------------------------------------------------


def _assessor_check(application: Application, user: Any) -> None:
    if not application.is_submitted or not access.is_funder(user, application.call):
        raise PermissionDenied(_("Bara finansiärens handläggare kan bedöma ansökan."))


def assessor_conflict_reason(*, application: Application, user: Any) -> str:
    """Why ``user`` may not score ``application`` (empty if they may)."""
    if application.owner_id in tenancy.organisation_ids(user):
        return (
            _(
                "Du är medlem i den sökande organisationen (%s) och är därför jävig; "
                "en annan handläggare måste bedöma ansökan."
            )
            % application.owner
        )
    declaration = ConflictDeclaration.objects.filter(
        application=application, assessor=tenancy.db_user(user)
    ).first()
    if declaration is None:
        return _("Deklarera först om du är jävig i förhållande till ansökan.")
    if declaration.has_conflict:
        return _("Du har anmält jäv för den här ansökan och kan inte bedöma den.")
    return ""


@transaction.atomic
def conflict_declare(
    *, application: Application, user: Any, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    _assessor_check(application, user)
    assessor = tenancy.db_user(user)
    if assessor is None:
        raise PermissionDenied(_("Jäv deklareras av en inloggad handläggare."))
    if has_conflict:
        Score.objects.filter(application=application, assessor=assessor).delete()
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        application=application,
        assessor=assessor,
        defaults={"has_conflict": has_conflict, "note": note},
    )
    return declaration


@transaction.atomic
def scores_set(
    *, application: Application, user: Any, scores: dict[int, tuple[int, str]]
) -> list[Score]:
    """Score criteria of the call (criterion id → (score, comment)); refused for an assessor
    who has a conflict of interest."""
    _assessor_check(application, user)
    reason = assessor_conflict_reason(application=application, user=user)
    if reason:
        raise PermissionDenied(reason)
    criteria = {c.pk: c for c in application.call.criteria.all()}
    errors: dict[str, str] = {}
    for criterion_id, (score, _comment) in scores.items():
        if criterion_id not in criteria:
            errors[f"criterion_{criterion_id}"] = _("Kriteriet hör inte till utlysningen.")
        elif not SCORE_MIN <= score <= SCORE_MAX:
            errors[f"criterion_{criterion_id}"] = _(
                "%(title)s: poängen %(score)s ligger utanför skalan %(low)d–%(high)d."
            ) % {
                "title": criteria[criterion_id].title,
                "score": score,
                "low": SCORE_MIN,
                "high": SCORE_MAX,
            }
    if errors:
        raise ValidationError(errors)
    saved = []
    for criterion_id, (score, comment) in scores.items():
        row, _created = Score.objects.update_or_create(
            application=application,
            criterion_id=criterion_id,
            assessor=tenancy.db_user(user),
            defaults={"score": score, "comment": comment},
        )
        saved.append(row)
    return saved


# --- decisions ----------------------------------------------------------------------------------


def granted_total(call: Call, *, excluding: Application | None = None) -> int:
    decisions = Decision.objects.filter(
        application__call=call, outcome__in=[Outcome.GRANTED, Outcome.PARTLY]
    )
    if excluding is not None:
        decisions = decisions.exclude(application=excluding)
    return int(decisions.aggregate(total=Sum("amount"))["total"] or 0)


def _reporting_deadlines(application: Application, decided: datetime.date) -> list[FundingReport]:
    end = application.end_date or decided + datetime.timedelta(days=365)
    final = end + datetime.timedelta(days=60)
    reports = []
    if (end - decided).days > 180:
        reports.append(
            FundingReport(
                application=application,
                kind=ReportKind.PROGRESS,
                due_date=decided + (end - decided) / 2,
            )
        )
    reports.append(FundingReport(application=application, kind=ReportKind.FINAL, due_date=final))
    return reports


@transaction.atomic
def decision_make(
    *,
    application: Application,
    user: Any,
    outcome: str,
    amount: int = 0,
    conditions: str = "",
    reasons: str = "",
    decided_at: datetime.datetime | None = None,
) -> Decision:
    """Decide an application. The call's budget is never exceeded: the call row is locked while
    the granted sum is checked, so two decisions at once cannot both slip under the budget."""
    _assessor_check(application, user)
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Okänt beslut: %s") % outcome})
    errors: dict[str, str] = {}
    if outcome == Outcome.REJECTED:
        amount = 0
        if not reasons.strip():
            errors["reasons"] = _("Ett avslag måste motiveras.")
    elif amount <= 0:
        errors["amount"] = _("Ange beviljat belopp.")
    elif amount > application.requested_amount:
        errors["amount"] = _("Beviljat belopp (%(a)s) är större än sökt belopp (%(r)s).") % {
            "a": kr(amount),
            "r": kr(application.requested_amount),
        }
    elif outcome == Outcome.GRANTED and amount != application.requested_amount:
        errors["amount"] = _(
            "Beviljat belopp (%(a)s) är mindre än sökt (%(r)s): välj ”Delvis beviljad”."
        ) % {"a": kr(amount), "r": kr(application.requested_amount)}
    if errors:
        raise ValidationError(errors)
    already = granted_total(call, excluding=application)
    if already + amount > call.budget:
        raise ValidationError(
            {
                "amount": _(
                    "Beslutet skulle ge beviljade belopp på %(sum)s, över utlysningens budget "
                    "%(budget)s. Kvar att fördela: %(left)s."
                )
                % {
                    "sum": kr(already + amount),
                    "budget": kr(call.budget),
                    "left": kr(max(0, call.budget - already)),
                }
            }
        )
    decided_at = decided_at or timezone.now()
    decision, _created = Decision.objects.update_or_create(
        application=application,
        defaults={
            "outcome": outcome,
            "amount": amount,
            "conditions": conditions,
            "reasons": reasons,
            "decided_by": tenancy.db_user(user),
            "decided_at": decided_at,
            "letter_pdf": None,
            "letter_docx": None,
            "letter_generated_at": None,
        },
    )
    application.reports.filter(submitted_at__isnull=True).delete()
    if decision.is_granted and not application.reports.exists():
        FundingReport.objects.bulk_create(
            _reporting_deadlines(application, timezone.localdate(decided_at))
        )
    if application.project_id:
        _project_record_grant(application, decision)
    AuditEntry.objects.create(
        action="funding.decided",
        user=tenancy.db_user(user),
        organisation=call.owner,
        data={"application": application.pk, "outcome": outcome, "amount": amount},
    )
    return decision


def _project_record_grant(application: Application, decision: Decision) -> None:
    """Keep the knowledge bank current: the grant becomes a funding line of the project (a
    system write, since the project belongs to the applicant)."""
    funder = application.call.owner
    project = application.project
    if project is None:
        return
    ProjectFunding.objects.filter(project=project, organisation=funder).delete()
    if decision.is_granted:
        ProjectFunding.objects.create(
            project=project,
            funder=funder.name,
            organisation=funder,
            amount=decision.amount,
        )


# --- reporting back -----------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    report: FundingReport,
    user: Any,
    progress: str,
    money_spent: int | None,
    results: dict[int, Decimal],
    now: datetime.datetime | None = None,
) -> FundingReport:
    application = report.application
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan lämna återrapporten."))
    if report.submitted_at is not None:
        raise ValidationError(_("Återrapporten är redan inlämnad."))
    errors: dict[str, str] = {}
    if not progress.strip():
        errors["progress"] = _("Beskriv hur arbetet har gått.")
    indicator_ids = set(application.indicators.values_list("pk", flat=True))
    unknown = set(results) - indicator_ids
    if unknown:
        errors["results"] = _("Okända indikatorer: %s") % ", ".join(map(str, sorted(unknown)))
    if errors:
        raise ValidationError(errors)
    report.progress = progress
    report.money_spent = money_spent
    report.results = {str(k): format(Decimal(v).normalize(), "f") for k, v in results.items()}
    report.submitted_at = now or timezone.now()
    report.save()
    granted = report_granted_amount(report)
    if report.overspend(granted):
        AuditEntry.objects.create(
            action="funding.report_overspent",
            user=tenancy.db_user(user),
            organisation=application.call.owner,
            data={
                "report": report.pk,
                "application": application.pk,
                "money_spent": money_spent,
                "granted": granted,
            },
        )
    return report


def report_granted_amount(report: FundingReport) -> int:
    decision = Decision.objects.filter(application_id=report.application_id).first()
    return decision.amount if decision is not None and decision.is_granted else 0


def report_overspend_note(report: FundingReport, granted: int) -> str:
    """The over-spend flag with its figures ('' when the money spent is within the grant)."""
    over = report.overspend(granted)
    if not over:
        return ""
    return _(
        "Använda medel %(spent)s överstiger beviljat belopp %(granted)s med %(over)s. "
        "Följ upp med den sökande (medfinansiering, återbetalning eller ändrat beslut)."
    ) % {"spent": kr(report.money_spent), "granted": kr(granted), "over": kr(over)}


def decision_letters_enqueue(*, call: Call, user: Any) -> Any:
    """Generate every decision letter of the call in the background; returns the job."""
    from samverkan.core.jobs import job_enqueue

    if not access.is_funder(user, call):
        raise PermissionDenied(_("Bara finansiären kan skapa beslutsbrev."))
    if not Decision.objects.filter(application__call=call).exists():
        raise ValidationError(_("Det finns inga beslut att skriva brev för ännu."))
    return job_enqueue("funding.decision_letters", user=user, call_id=call.pk)
