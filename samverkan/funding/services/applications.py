"""Applications: drafts, the budget check, submission (which makes the knowledge-bank project),
withdrawal and bringing a withdrawn application back."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation, TargetGroup, Theme
from samverkan.core import history, tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.core.models import Visibility
from samverkan.core.versioning import record_edit_begin
from samverkan.funding import access
from samverkan.funding.models import (
    Application,
    ApplicationPartner,
    ApplicationStatus,
    BudgetLine,
    Call,
    CallStatus,
    CoFinancing,
    Decision,
    Perspective,
    PromisedIndicator,
)
from samverkan.funding.services.common import duration, kr, local
from samverkan.projects.models import ParticipantRole, Project, ProjectStatus

AUDIT_APPLICATION_WITHDRAWN = audit_action("funding.application_withdrawn")


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
    if call.eligible_kinds and owner.carries_rights and not owner.verified:
        # a call open to municipalities (say) is open to verified ones, not to anyone who
        # registered an organisation of that kind
        raise ValidationError(
            _("%(org)s är inte verifierad som %(kind)s och får inte söka i den här utlysningen.")
            % {"org": owner, "kind": owner.get_kind_display().lower()}
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
    return _save_with_parts(
        application,
        partners=partners,
        budget_lines=budget_lines,
        co_financing=co_financing,
        indicators=indicators,
        themes=themes,
        target_groups=target_groups,
    )


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
    expected_version: int | None = None,
    **fields: Any,
) -> Application:
    """Save a draft; a submitted application can no longer change."""
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan ändra ansökan."))
    record_edit_begin(application, expected_version=expected_version)
    if application.is_submitted:
        raise ValidationError(_("Ansökan är redan inskickad och kan inte ändras."))
    if application.is_withdrawn:
        raise ValidationError(withdrawn_message())
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(application, name, value)
    return _save_with_parts(
        application,
        partners=partners,
        budget_lines=budget_lines,
        co_financing=co_financing,
        indicators=indicators,
        themes=themes,
        target_groups=target_groups,
    )


def _save_with_parts(
    application: Application,
    *,
    budget_lines: Sequence[tuple[str, int]] | None,
    co_financing: Sequence[tuple[str, int]] | None,
    **parts: Any,
) -> Application:
    """Validate (budgets must add up) and save a new or changed draft with its parts."""
    _check_budget_of(application, budget_lines, co_financing)
    application.full_clean(exclude=["perspectives"])
    application.save()
    _set_parts(application, budget_lines=budget_lines, co_financing=co_financing, **parts)
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
    if application.project_id:
        return application.project  # type: ignore[return-value]
    existing = (
        Project.objects.filter(owner_id=application.owner_id, title__iexact=application.title)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    return application_project_create(
        application=application,
        user=user,
        partners=[
            (p.organisation, p.role) for p in application.partners.select_related("organisation")
        ],
        themes=list(application.themes.all()),
        target_groups=list(application.target_groups.all()),
    )


def application_project_create(
    *,
    application: Application,
    user: Any,
    partners: Sequence[tuple[Organisation, str]],
    themes: Sequence[Theme] = (),
    target_groups: Sequence[TargetGroup] = (),
) -> Project:
    """A new planned, private knowledge-bank project made from the application, owned by the
    applicant (on submission; on import when the linked project is not there)."""
    from samverkan.projects.services import project_create

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
        themes=themes,
        target_groups=target_groups,
        participants=[(application.owner, ParticipantRole.IMPLEMENTING), *partners],
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
        raise ValidationError(withdrawn_message())
    now = now or timezone.now()
    call = application.call
    if now > call.deadline:
        late = now - call.deadline
        raise ValidationError(
            _(
                "Sista ansökningsdag var %(deadline)s (svensk tid); ansökan kom in %(late)s "
                "för sent och tas inte emot. Utkastet finns kvar."
            )
            % {"deadline": local(call.deadline), "late": duration(late)}
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


def withdrawn_message() -> str:
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
    audit_log(
        AUDIT_APPLICATION_WITHDRAWN,
        user=user,
        organisation=application.owner,
        data={"application": application.pk, "reason": reason},
    )
    return application


@transaction.atomic
def application_restore(*, application: Application, user: Any) -> Application:
    """Bring a withdrawn application back as it was before the withdrawal: the same as
    restoring that version from the history page (the restore is itself a new version)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan återställa ansökan."))
    if not application.is_withdrawn:
        raise ValidationError(_("Ansökan är inte återtagen."))
    before = (
        application.history.exclude(status=ApplicationStatus.WITHDRAWN)  # type: ignore[attr-defined]
        .order_by("-history_date", "-history_id")
        .first()
    )
    if before is None:
        raise ValidationError(_("Historiken har ingen version från före återtagandet."))
    history.record_restore(
        model=Application, pk=application.pk, history_id=before.history_id, user=user
    )
    return Application.objects.get(pk=application.pk)
