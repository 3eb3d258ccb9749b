"""Optimistic edits: every editable record carries a ``version`` that grows by one on each save.

An edit names the version it started from. ``record_edit_begin`` locks the record's row, refuses
the edit with ``EditConflict`` when someone saved in between, and reloads the record, so that
only the fields the edit sends are changed and nothing another person saved meanwhile is
overwritten with what the editor's page or request happened to hold. The API answers a conflict
with 409, the pages with ``edit_conflict_response``: both versions side by side.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

M = TypeVar("M", bound=models.Model)


class Versioned(models.Model):
    """``version`` starts at 1 and grows by one on every save of an existing record."""

    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            # From the stored version, not the instance's: an instance restored from history
            # or loaded long ago must not take a number the record already had.
            stored = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored is not None:
                self.version = max(self.version or 0, stored) + 1
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class EditConflict(ValidationError):
    """The record changed since the editor loaded it; nothing was saved."""

    def __init__(self, message: str, *, theirs: int, yours: int):
        super().__init__(message, code="conflict")
        self.theirs, self.yours = theirs, yours


def _last_editor(record: models.Model) -> str:
    history = getattr(record, "history", None)
    last = history.first() if history is not None else None
    user = getattr(last, "history_user", None)
    return str(getattr(user, "email", "") or _("någon annan"))


def record_edit_begin(record: M, *, expected_version: int | None) -> M:
    """Lock ``record``'s row for the rest of the transaction and reload it.

    With ``expected_version`` (what the editor's form or request started from) a record saved
    since then is refused with ``EditConflict``, naming who saved it. Without it the edit still
    changes only what it sends, on top of the record as it is now."""
    model = type(record)
    current = (
        model._base_manager.select_for_update()
        .filter(pk=record.pk)
        .values_list("version", flat=True)
    )
    version = current.first()
    if version is None:
        raise ValidationError(_("Posten finns inte längre."), code="gone")
    if expected_version is not None and version != expected_version:
        raise EditConflict(
            _(
                "%(record)s har ändrats av %(who)s sedan du öppnade den (version %(theirs)d, "
                "du utgick från version %(yours)d). Dina ändringar sparades inte."
            )
            % {
                "record": model._base_manager.get(pk=record.pk),  # as saved, not as edited
                "who": _last_editor(record),
                "theirs": version,
                "yours": expected_version,
            },
            theirs=version,
            yours=expected_version,
        )
    record.refresh_from_db()
    return record


# --- the pages' side -------------------------------------------------------------------------


def version_field_add(form: Any, record: models.Model) -> None:
    """Give an edit form the hidden ``version`` of the record it was opened on (before it is
    validated, so ``cleaned_data`` carries it); ``version_taken`` takes it out again."""
    from django import forms

    form.fields["version"] = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        initial=record.version,  # type: ignore[attr-defined]
    )


def version_taken(form: Any) -> int | None:
    """The version the form was opened on, removed from ``cleaned_data``."""
    value = form.cleaned_data.pop("version", None)
    return int(value) if value else None


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "all") and callable(value.all):
        value = list(value.all())
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(sorted(_shown(v) for v in value)) or "–"
    return str(value)


def _current_value(record: models.Model, name: str) -> Any:
    value: Any = getattr(record, name, None)
    if hasattr(value, "all") and callable(value.all):
        return list(value.all())
    return value


def _raw_set(data: Any, name: str, field: Any, value: Any) -> None:
    """Put ``value`` into form ``data`` as the browser would have sent it."""
    from django import forms

    if isinstance(field, forms.BooleanField):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        data.setlist(name, [str(getattr(v, "pk", v)) for v in (value or [])])
    elif isinstance(field, forms.ModelChoiceField):
        data[name] = "" if value is None else str(value.pk)
    else:
        shown = field.widget.format_value(field.prepare_value(value))
        if isinstance(shown, list):  # select widgets format their value as a list
            data.setlist(name, [str(v) for v in shown])
        else:
            data[name] = "" if shown is None else str(shown)


def _model_field(record: models.Model, name: str) -> bool:
    """Whether a form field is a field of the record itself (compared and merged); form fields
    that stand for related rows (partners, funding lines) are left as the editor sent them."""
    try:
        field = record._meta.get_field(name)
    except Exception:  # FieldDoesNotExist
        return False
    return bool(field.concrete or field.many_to_many) and not field.auto_created


def _version_as_opened(record: models.Model, version: int) -> Any:
    history = getattr(record, "history", None)
    if history is None:
        return None
    return history.filter(version=version).order_by("-history_id").first()


def edit_conflict_rows(
    *, form: Any, record: models.Model, opened: Any = None
) -> list[dict[str, Any]]:
    """The fields where what the editor sent differs from the record as saved now, each marked
    ``changed_by_you`` when the editor changed it (else someone else did, and that stays)."""
    from django import forms

    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data or not _model_field(record, name):
            continue
        sent = form.cleaned_data[name]
        yours = sent
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = dict(field.choices)  # type: ignore[arg-type]
            if not isinstance(yours, list | tuple):
                yours = choices.get(yours, yours)
        theirs: Any = _current_value(record, name)
        display = getattr(record, f"get_{name}_display", None)
        if callable(display):
            theirs = display()
        if _shown(yours) == _shown(theirs):
            continue
        changed_by_you = (
            opened is None
            or not hasattr(opened, name)
            or _shown(sent) != _shown(getattr(opened, name))
        )
        rows.append(
            {
                "label": str(field.label or name),
                "yours": _shown(yours),
                "theirs": _shown(theirs),
                "changed_by_you": changed_by_you,
            }
        )
    return rows


def edit_conflict_response(
    request: Any, *, form: Any, record: models.Model, conflict: EditConflict, cancel_url: str
) -> Any:
    """409: what the editor sent beside what is saved now, and the form again to save from.

    The form again holds the current version and, field by field, the editor's value where the
    editor changed it and the saved value where not, so saving it keeps the other person's
    changes to the fields the editor did not touch. The editor decides for the rest."""
    from django.shortcuts import render

    record.refresh_from_db()
    opened = _version_as_opened(record, conflict.yours)
    rows = edit_conflict_rows(form=form, record=record, opened=opened)
    data = form.data.copy()
    for name, field in form.fields.items():
        if (
            name == "version"
            or name not in form.cleaned_data
            or opened is None
            or not _model_field(record, name)
        ):
            continue
        if hasattr(opened, name) and _shown(form.cleaned_data[name]) == _shown(
            getattr(opened, name)
        ):
            _raw_set(data, name, field, _current_value(record, name))
    data["version"] = str(conflict.theirs)
    form.data = data
    return render(
        request,
        "core/edit_conflict.html",
        {
            "form": form,
            "record": record,
            "conflict": conflict,
            "rows": rows,
            "cancel_url": cancel_url,
            "history_url": _history_url(record),
        },
        status=409,
    )


def _history_url(record: models.Model) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("core:history", args=[record._meta.label_lower, record.pk])
    except NoReverseMatch:
        return ""
