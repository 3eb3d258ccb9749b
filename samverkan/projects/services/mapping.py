"""Writes and rules for mapping rounds (kartläggningar) and their respondent groups."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation, OrganisationKind
from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.projects.models import (
    DatePrecision,
    MappingGroup,
    MappingRound,
)

AUDIT_MAPPINGROUND_CREATED = audit_action("projects.mappinground.created")
AUDIT_MAPPINGROUND_GROUPS_CHANGED = audit_action("projects.mappinground.groups_changed")


MAPPING_ROUND_FIELDS = (
    "title",
    "county",
    "description",
    "start_date",
    "start_precision",
    "projects_reported",
    "projects_selected",
    "selection_note",
    "result",
    "campaign",
    "source",
    "visibility",
)


# The largest count a form or the API accepts: far above any county's respondents or projects,
# far below what the database column holds.
MAPPING_COUNT_MAX = 1_000_000
MAPPING_GROUPS_MAX = 20


@dataclass(frozen=True)
class MappingGroupData:
    """One group of respondents as a form or the API gives it (see ``MappingGroup``)."""

    label: str
    respondent_kind: str = ""
    asked: int | None = None
    answered: int | None = None
    answered_percent: int | None = None
    approximate: bool = False
    respondents: Sequence[Organisation] = ()
    non_respondents: Sequence[Organisation] = ()
    note: str = ""


def _org_names(organisations: Iterable[Organisation]) -> str:
    return ", ".join(sorted(o.name for o in organisations))


def mapping_group_problems(
    group: MappingGroupData, *, county_id: int | None
) -> dict[str, list[str]]:
    """What is wrong with one group, field by field (empty when nothing is): the counts must
    fit together, the named organisations must fit the counts, the kind and the county, and
    those that did not answer must be among those asked when those are named."""
    problems: dict[str, list[str]] = defaultdict(list)
    if not group.label.strip():
        problems["label"].append(_("Ange vilka som tillfrågades, t.ex. ”Länets kommuner”."))
    if group.respondent_kind and group.respondent_kind not in OrganisationKind.values:
        problems["respondent_kind"].append(_("Okänd typ av svarande ”%s”.") % group.respondent_kind)
    for name in ("asked", "answered"):
        value = getattr(group, name)
        if value is not None and not 0 <= value <= MAPPING_COUNT_MAX:
            problems[name].append(
                _("Ange ett antal mellan 0 och %(max)d, eller lämna tomt om det är okänt.")
                % {"max": MAPPING_COUNT_MAX}
            )
    if group.answered_percent is not None and not 0 <= group.answered_percent <= 100:
        problems["answered_percent"].append(_("Andelen ska ligga mellan 0 och 100 %."))
    asked, answered = group.asked, group.answered
    if asked is not None and answered is not None and answered > asked:
        problems["answered"].append(_("Fler kan inte ha svarat än som tillfrågades."))
    named, missing = set(group.respondents), set(group.non_respondents)
    if asked is not None and len(named) > asked:
        problems["respondents"].append(
            _("%(n)d organisationer är namngivna men bara %(asked)d tillfrågades.")
            % {"n": len(named), "asked": asked}
        )
    if named and missing - named:
        problems["non_respondents"].append(
            _("De som inte svarade måste också stå bland de tillfrågade: %s.")
            % _org_names(missing - named)
        )
    if (
        asked is not None
        and answered is not None
        and answered <= asked
        and len(missing) > asked - answered
    ):
        problems["non_respondents"].append(
            _(
                "%(n)d namnges som att de inte svarade, men %(answered)d av %(asked)d svarade "
                "(högst %(most)d svarade inte)."
            )
            % {"n": len(missing), "answered": answered, "asked": asked, "most": asked - answered}
        )
    kinds = dict(OrganisationKind.choices)
    for field, organisations in (("respondents", named), ("non_respondents", missing)):
        if group.respondent_kind in kinds:
            other = [o for o in organisations if o.kind != group.respondent_kind]
            if other:
                problems[field].append(
                    _("Gruppen gäller %(kind)s, men %(names)s är av en annan typ.")
                    % {
                        "kind": str(kinds[group.respondent_kind]).lower(),
                        "names": _org_names(other),
                    }
                )
        if county_id is not None:
            elsewhere = [o for o in organisations if o.county_id not in (None, county_id)]
            if elsewhere:
                problems[field].append(
                    _("%s ligger inte i kartläggningens län.") % _org_names(elsewhere)
                )
    return dict(problems)


def _normalised_start(mapping: MappingRound) -> None:
    """A start known only to the month or the year is stored as its first day."""
    if mapping.start_date is None:
        mapping.start_precision = DatePrecision.DAY
    elif mapping.start_precision == DatePrecision.YEAR:
        mapping.start_date = datetime.date(mapping.start_date.year, 1, 1)
    elif mapping.start_precision == DatePrecision.MONTH:
        mapping.start_date = mapping.start_date.replace(day=1)


def _mapping_round_check(
    mapping: MappingRound,
    *,
    user: Any,
    groups: Sequence[MappingGroupData] | None,
    linked_ids: set[int],
    linked_campaign_id: int | None = None,
) -> None:
    """Every problem of the round and its groups at once, as one ValidationError. Organisations
    and the campaign newly named must be readable by ``user``; those already linked
    (``linked_ids``, ``linked_campaign_id``) stay even if the user cannot read them."""
    errors: dict[str, list[str]] = defaultdict(list)
    _normalised_start(mapping)
    for name in ("projects_reported", "projects_selected"):
        value = getattr(mapping, name)
        if value is not None and not 0 <= value <= MAPPING_COUNT_MAX:
            errors[name].append(
                _("Ange ett antal mellan 0 och %(max)d, eller lämna tomt om det är okänt.")
                % {"max": MAPPING_COUNT_MAX}
            )
    reported, selected = mapping.projects_reported, mapping.projects_selected
    if reported is not None and selected is not None and selected > reported:
        errors["projects_selected"].append(
            _("Fler projekt kan inte ha valts ut än som rapporterades in.")
        )
    if mapping.campaign_id is not None and mapping.campaign_id != linked_campaign_id:
        campaigns = MappingRound._meta.get_field("campaign").related_model._default_manager
        if not tenancy.readable(campaigns.filter(pk=mapping.campaign_id), user).exists():
            errors["campaign"].append(_("Utskicket finns inte."))
    if groups is not None:
        if len(groups) > MAPPING_GROUPS_MAX:
            errors["groups"].append(
                _("Högst %d grupper av svarande per kartläggning.") % MAPPING_GROUPS_MAX
            )
        named = {o.pk for g in groups for o in (*g.respondents, *g.non_respondents)}
        new = named - linked_ids
        readable = set(
            tenancy.readable(Organisation.objects.filter(pk__in=new), user).values_list(
                "pk", flat=True
            )
        )
        if new - readable:
            errors["groups"].append(_("En namngiven organisation finns inte."))
        for number, group in enumerate(groups, start=1):
            where = group.label.strip() or _("Grupp %d") % number
            for messages in mapping_group_problems(group, county_id=mapping.county_id).values():
                errors["groups"] += [f"{where}: {m}" for m in messages]
    try:
        mapping.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field] += messages
    if errors:
        raise ValidationError(dict(errors))


def _mapping_groups_write(mapping: MappingRound, groups: Sequence[MappingGroupData]) -> None:
    mapping.groups.all().delete()
    for position, data in enumerate(groups):
        group = MappingGroup.objects.create(
            round=mapping,
            position=position,
            label=" ".join(data.label.split())[:200],
            respondent_kind=data.respondent_kind,
            asked=data.asked,
            answered=data.answered,
            answered_percent=data.answered_percent,
            approximate=data.approximate,
            note=data.note.strip()[:300],
        )
        group.respondents.set(data.respondents)
        group.non_respondents.set(data.non_respondents)


def _mapping_groups_summary(mapping: MappingRound) -> list[dict[str, Any]]:
    """The groups as the audit log keeps them (organisation codes, counts as given)."""
    return [
        {
            "label": g.label,
            "respondent_kind": g.respondent_kind,
            "asked": g.asked,
            "answered": g.answered,
            "answered_percent": g.answered_percent,
            "approximate": g.approximate,
            "respondents": sorted(o.code for o in g.respondents.all()),
            "non_respondents": sorted(o.code for o in g.non_respondents.all()),
            "note": g.note,
        }
        for g in mapping.groups.order_by("position", "pk")
    ]


def _mapping_fields_check(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(MAPPING_ROUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown mapping round fields: {sorted(unknown)}")


@transaction.atomic
def mapping_round_create(
    *,
    user: Any,
    owner: Organisation,
    groups: Sequence[MappingGroupData] = (),
    **fields: Any,
) -> MappingRound:
    """Register a mapping round run by ``owner`` (an organisation the user edits: usually the
    county board asking its county's municipalities and city districts), with its groups of
    respondents."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte registrera kartläggningar för %s.") % owner)
    _mapping_fields_check(fields)
    mapping = MappingRound(owner=owner, **fields)
    _mapping_round_check(mapping, user=user, groups=groups, linked_ids=set())
    mapping.save()
    _mapping_groups_write(mapping, groups)
    audit_log(
        AUDIT_MAPPINGROUND_CREATED,
        user=user,
        organisation=owner,
        data={"pk": mapping.pk, "title": mapping.title, "groups": len(groups)},
    )
    return mapping


@transaction.atomic
def mapping_round_update(
    *,
    mapping: MappingRound,
    user: Any,
    groups: Sequence[MappingGroupData] | None = None,
    **fields: Any,
) -> MappingRound:
    """Change a round; ``groups`` (when given) replaces its groups of respondents. The round's
    history keeps every version of its own fields, and the audit log the groups before and
    after each change of them."""
    if not tenancy.can_write(user, mapping):
        raise PermissionDenied(_("Du får inte ändra %s.") % mapping)
    _mapping_fields_check(fields)
    linked = {
        pk
        for g in mapping.groups.all()
        for pk in [
            *g.respondents.values_list("pk", flat=True),
            *g.non_respondents.values_list("pk", flat=True),
        ]
    }
    before = _mapping_groups_summary(mapping) if groups is not None else []
    campaign_id = mapping.campaign_id
    for name, value in fields.items():
        setattr(mapping, name, value)
    _mapping_round_check(
        mapping, user=user, groups=groups, linked_ids=linked, linked_campaign_id=campaign_id
    )
    if groups is not None:
        mapping._change_reason = _("svarandegrupperna ändrade")  # type: ignore[attr-defined]
    mapping.save()
    if groups is not None:
        _mapping_groups_write(mapping, groups)
        after = _mapping_groups_summary(mapping)
        if after != before:
            audit_log(
                AUDIT_MAPPINGROUND_GROUPS_CHANGED,
                user=user,
                organisation=mapping.owner,
                data={"pk": mapping.pk, "before": before, "after": after},
            )
    return mapping
