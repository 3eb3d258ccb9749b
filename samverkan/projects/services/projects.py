"""Writes and rules for projects: create, change, delete, review as a good example, link to the
development strategies they build on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation, OrganisationKind, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.models import REACH_FIELDS
from samverkan.core.versioning import record_edit_begin
from samverkan.geo.models import Municipality
from samverkan.projects import search
from samverkan.projects.models import (
    Project,
    ProjectFunding,
    ProjectParticipant,
)
from samverkan.projects.parsing import FundingLine

EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "county",
    "start_date",
    "end_date",
    "start_precision",
    "end_precision",
    "status",
    "budget",
    "expected_results",
    "achieved_results",
    "evaluation",
    "lessons",
    "links",
    "visibility",
    "source",
    *REACH_FIELDS,
)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")


def _clean(project: Project, municipalities: Sequence[Municipality] | None) -> None:
    if municipalities:
        counties = {m.county_id for m in municipalities}
        if project.county_id is None and len(counties) == 1:
            project.county_id = counties.pop()
        elif project.county_id is not None and counties - {project.county_id}:
            raise ValidationError({"municipalities": _("Kommunerna måste ligga i projektets län.")})
    errors = project.reach_errors(money_total=project.budget)
    if errors:
        raise ValidationError(errors)
    project.full_clean()


def _set_relations(
    project: Project,
    *,
    municipalities: Sequence[Municipality] | None,
    themes: Sequence[Theme] | None,
    target_groups: Sequence[TargetGroup] | None,
    participants: Sequence[tuple[Organisation, str]] | None,
    fundings: Sequence[FundingLine] | None,
) -> None:
    if municipalities is not None:
        project.municipalities.set(municipalities)
    if themes is not None:
        project.themes.set(themes)
    if target_groups is not None:
        project.target_groups.set(target_groups)
    if participants is not None:
        project.participants.all().delete()
        ProjectParticipant.objects.bulk_create(
            ProjectParticipant(project=project, organisation=org, role=role)
            for org, role in dict.fromkeys(participants)
        )
    if fundings is not None:
        project.fundings.all().delete()
        ProjectFunding.objects.bulk_create(
            ProjectFunding(project=project, funder=line.funder, amount=line.amount)
            for line in fundings
        )


@transaction.atomic
def project_create(
    *,
    user: Any,
    owner: Organisation,
    municipalities: Sequence[Municipality] = (),
    themes: Sequence[Theme] = (),
    target_groups: Sequence[TargetGroup] = (),
    participants: Sequence[tuple[Organisation, str]] = (),
    fundings: Sequence[FundingLine] = (),
    builds_on: Sequence[Any] | None = None,
    **fields: Any,
) -> Project:
    """Register a project owned by ``owner``, an organisation the user edits; ``builds_on``:
    the RUS or growth agreements it takes its starting point in."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte registrera projekt för %s.") % owner)
    _check_fields(fields)
    project = Project(owner=owner, **fields)
    _clean(project, municipalities)
    project.save()
    _set_relations(
        project,
        municipalities=municipalities,
        themes=themes,
        target_groups=target_groups,
        participants=participants,
        fundings=fundings,
    )
    search.project_index([project.pk])
    if builds_on:
        project_set_builds_on(project=project, user=user, development=builds_on)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    user: Any,
    municipalities: Sequence[Municipality] | None = None,
    themes: Sequence[Theme] | None = None,
    target_groups: Sequence[TargetGroup] | None = None,
    participants: Sequence[tuple[Organisation, str]] | None = None,
    fundings: Sequence[FundingLine] | None = None,
    expected_version: int | None = None,
    builds_on: Sequence[Any] | None = None,
    **fields: Any,
) -> Project:
    if not tenancy.can_write(user, project):
        raise PermissionDenied(_("Du får inte ändra %s.") % project)
    _check_fields(fields)
    record_edit_begin(project, expected_version=expected_version)
    for name, value in fields.items():
        setattr(project, name, value)
    _clean(
        project,
        municipalities if municipalities is not None else list(project.municipalities.all()),
    )
    project.save()
    _set_relations(
        project,
        municipalities=municipalities,
        themes=themes,
        target_groups=target_groups,
        participants=participants,
        fundings=fundings,
    )
    search.project_index([project.pk])
    if builds_on is not None:
        project_set_builds_on(project=project, user=user, development=builds_on)
    return project


@transaction.atomic
def project_delete(*, project: Project, user: Any) -> None:
    """Delete a project; its history keeps every version, so it can be restored."""
    if not tenancy.can_write(user, project):
        raise PermissionDenied(_("Du får inte ta bort %s.") % project)
    pk = project.pk
    project._change_reason = "deleted"  # type: ignore[attr-defined]
    project.delete()
    search.project_unindex([pk])


def project_can_review(*, user: Any, project: Project) -> bool:
    """A good example is reviewed by the *verified* county board of the project's county (or a
    superuser): registering an organisation of the kind county board gives no such right."""
    return tenancy.can_act_for_verified(
        user, kind=OrganisationKind.COUNTY_BOARD, county_id=project.county_id
    )


@transaction.atomic
def project_review_good_example(*, project: Project, user: Any, good_example: bool) -> Project:
    """Mark (or unmark) a project as a reviewed good example (lärande exempel)."""
    if not project_can_review(user=user, project=project):
        raise PermissionDenied(
            _("Bara länsstyrelsen i projektets län kan granska lärande exempel.")
        )
    project.good_example = good_example
    project.good_example_reviewed_by = tenancy.db_user(user) if good_example else None
    project.good_example_reviewed_at = timezone.now() if good_example else None
    project.save(
        update_fields=[
            "good_example",
            "good_example_reviewed_by",
            "good_example_reviewed_at",
            "updated_at",
        ]
    )
    search.project_index([project.pk])
    return project


@transaction.atomic
def project_set_builds_on(*, project: Project, user: Any, development: Sequence[Any]) -> Project:
    """Say which regional development strategies (RUS) or growth agreements the project takes
    its starting point in. Links to ones the user cannot read are kept as they are."""
    from samverkan.plans.models import DEVELOPMENT_KINDS

    if not tenancy.can_write(user, project):
        raise PermissionDenied(_("Du kan inte ändra %s.") % project)
    for strategy in development:
        if strategy.kind not in DEVELOPMENT_KINDS:
            raise ValidationError(
                {
                    "builds_on": _(
                        "%s är inte en regional utvecklingsstrategi eller ett tillväxtavtal."
                    )
                    % strategy
                }
            )
        if not tenancy.can_read(user, strategy):
            raise PermissionDenied(_("Du kan inte läsa %s.") % strategy)
    hidden = [s for s in project.builds_on.all() if not tenancy.can_read(user, s)]
    project.builds_on.set([*development, *hidden])
    return project
