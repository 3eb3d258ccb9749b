"""Viewing and restoring the history that django-simple-history keeps of every domain record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log

# "<app>.<model>.restored": a record put back to an earlier version
AUDIT_RESTORED = audit_action("*.restored")


def history_model_get(label: str) -> type[models.Model]:
    """The model for ``app_label.model_name``, if it keeps history."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not hasattr(model, "history") or not hasattr(model, "owned_by_q"):
        raise Http404
    return model


def _owner_ids_of_version(version: Any) -> set[int]:
    return version.instance.owner_ids()


def history_versions(*, model: type[models.Model], pk: int, user: Any) -> list[Any]:
    """Every version of one record, newest first, if ``user`` may read the record
    (or, for a deleted record, may write its last owner). Whether each version's contents
    may be shown is ``history_may_read_version``."""
    versions = list(
        model.history.filter(**{model._meta.pk.attname: pk})  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if not versions:
        raise Http404
    current = model._default_manager.filter(pk=pk).first()
    if current is not None:
        if not tenancy.can_read(user, current):
            raise Http404
    elif not _may_write_version(user, versions[0]):
        raise Http404
    return versions


def _may_write_version(user: Any, version: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if _owner_ids_of_version(version) & tenancy.organisation_ids(user, tenancy.WRITE_ROLES):
        return True
    may_restore = getattr(type(version.instance), "history_may_restore", None)
    return bool(may_restore and version.history_type == "-" and may_restore(user, version))


def history_may_read_version(user: Any, version: Any) -> bool:
    """A version's contents and author are read by the members of the organisation that owned
    it (``tenancy.can_read_history``) and by those who may restore it; everyone else who reads
    the record sees when it changed and which organisation owned it, nothing more."""
    return tenancy.can_read_history(user, _owner_ids_of_version(version)) or _may_write_version(
        user, version
    )


@dataclass
class HistoryRow:
    version: Any
    readable: bool  # contents, change reason and author may be shown
    changes: list[tuple[str, Any, Any]]
    organisations: list[str]  # who owned the version, shown instead of the author


def history_rows(*, versions: list[Any], user: Any) -> list[HistoryRow]:
    """The versions as the history page shows them to ``user``: a change is listed field by
    field only when both versions may be read."""
    owners = [_owner_ids_of_version(v) for v in versions]
    organisation = tenancy.organisation_model()
    organisations = organisation._default_manager.filter(pk__in=set().union(*owners))
    names = dict(organisations.values_list("pk", "name"))
    readable = [history_may_read_version(user, v) for v in versions]
    rows = []
    for i, version in enumerate(versions):
        older = i + 1 < len(versions)
        show_changes = readable[i] and older and readable[i + 1]
        rows.append(
            HistoryRow(
                version=version,
                readable=readable[i],
                changes=history_diff(version, versions[i + 1]) if show_changes else [],
                organisations=sorted(names[pk] for pk in owners[i] if pk in names),
            )
        )
    return rows


def history_diff(newer: Any, older: Any | None) -> list[tuple[str, Any, Any]]:
    if older is None:
        return []
    delta = newer.diff_against(older)
    return [(change.field, change.old, change.new) for change in delta.changes]


@transaction.atomic
def record_restore(
    *, model: type[models.Model], pk: int, history_id: int, user: Any
) -> models.Model:
    """Bring a record back to an earlier version (also undoes a deletion); the restore is
    itself a new version, so nothing is lost."""
    version = model.history.filter(  # type: ignore[attr-defined]
        history_id=history_id, **{model._meta.pk.attname: pk}
    ).first()
    if version is None:
        raise Http404
    current = model._default_manager.filter(pk=pk).first()
    # Those who may not read the version get the answer an unknown id gets: 404, not 403,
    # so that the endpoint does not tell which records and versions exist.
    if (current is not None and not tenancy.can_read(user, current)) or not (
        history_may_read_version(user, version)
    ):
        raise Http404
    if not _may_write_version(user, version) or (
        current is not None and not tenancy.can_write(user, current)
    ):
        raise PermissionDenied(_("Du får inte återställa den här posten."))
    instance = version.instance
    instance._change_reason = _("Återställd till version från %s") % version.history_date.strftime(
        "%Y-%m-%d %H:%M"
    )
    instance.save()
    if hasattr(instance, "after_restore"):
        instance.after_restore(version)
    audit_log(
        f"{model._meta.label_lower}.restored",
        user=user,
        data={"pk": pk, "history_id": history_id},
    )
    return instance


def deleted_records(*, model: type[models.Model], user: Any, limit: int = 200) -> list[Any]:
    """Deleted records of ``model`` that ``user`` may restore (the recycle bin): only those
    whose last version the user may write, and so read (``history_may_read_version``)."""
    deletions = model.history.filter(history_type="-").order_by("-history_date")[: limit * 5]  # type: ignore[attr-defined]
    existing = set(
        model._default_manager.filter(
            pk__in=[getattr(d, model._meta.pk.attname) for d in deletions]
        ).values_list("pk", flat=True)
    )
    result, seen = [], set()
    for deletion in deletions:
        pk = getattr(deletion, model._meta.pk.attname)
        if pk in existing or pk in seen or not _may_write_version(user, deletion):
            continue  # writing a version implies reading it: members and superusers only
        seen.add(pk)
        result.append(deletion)
        if len(result) >= limit:
            break
    return result
