"""Personal data of one person (GDPR articles 15 and 17): export everything held about them, and
erase it while keeping the audit trail lawful.

A person is a user account, found by e-mail address. Their personal data is

* the user row (e-mail, names) and its history rows, memberships, invitations, API key and
  sessions;
* every e-mail field, in any table (history included), holding their address;
* every ``<fk>_name`` text beside a foreign key to them (e.g. who wrote a follow-up).

Erasure replaces the identity with a pseudonym (``raderad-<10 hex>``, derived from the address
with the secret key, so two erasures of one address give one pseudonym, and the address cannot be
read back). Records the person made stay, with their history: the history and audit entries
then name the pseudonymised account, so what was done when stays provable, by whom does not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_action, audit_log
from samverkan.core.models import AuditEntry, Job

AUDIT_ERASE = audit_action("person.erase")


ERASED_DOMAIN = "raderad.invalid"


def _user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def person_get(email: str) -> Any:
    user = _user_model()._default_manager.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(_("Ingen användare har e-postadressen %(email)s.") % {"email": email})
    return user


def person_pseudonym(email: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()
    return f"raderad-{digest[:10]}"


def _user_links() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every foreign key to the user model, in every model (history models included)."""
    user_model = _user_model()
    links = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                links.append((model, field))
    return links


def _email_fields() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.EmailField)
    ]


def _plain(queryset: Any) -> list[dict[str, Any]]:
    return json.loads(serializers.serialize("json", queryset))


def person_export(*, email: str) -> dict[str, Any]:
    """Everything held about the person, as JSON-ready data."""
    user = person_get(email)
    user_model = _user_model()
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_active": user.is_active,
        },
        "records": {},
        "references": [],
    }
    for model, field in _email_fields():
        if model is user_model:
            continue
        rows = model._base_manager.filter(**{f"{field.name}__iexact": user.email})
        if rows.exists():
            data["records"].setdefault(model._meta.label_lower, []).extend(_plain(rows))
    for model, field in _user_links():
        rows = model._base_manager.filter(**{field.name: user})
        if model is AuditEntry or model is Job or field.name == "history_user":
            refs = list(rows.values_list("pk", flat=True)[:10000])
            if refs:
                data["references"].append(
                    {"model": model._meta.label_lower, "field": field.name, "pks": refs}
                )
        elif rows.exists():
            data["records"].setdefault(model._meta.label_lower, []).extend(_plain(rows))
    data["audit"] = [
        {"action": entry.action, "created_at": entry.created_at.isoformat(), "data": entry.data}
        for entry in AuditEntry.objects.filter(user=user).order_by("created_at")[:10000]
    ]
    return data


def _replace_in(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new) if old.lower() in value.lower() else value
    if isinstance(value, list):
        return [_replace_in(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replace_in(v, old, new) for k, v in value.items()}
    return value


@transaction.atomic
def person_erase(*, email: str) -> dict[str, Any]:
    """Pseudonymise the person everywhere; returns the pseudonym and what was changed."""
    user = person_get(email)
    original = user.email
    pseudonym = person_pseudonym(original)
    address = f"{pseudonym}@{ERASED_DOMAIN}"
    user_model = _user_model()
    changed: dict[str, int] = {}

    def count(label: str, n: int) -> None:
        if n:
            changed[label] = changed.get(label, 0) + n

    # E-mail fields anywhere (other than the account, handled below), history included.
    for model, field in _email_fields():
        if model is user_model:
            continue
        replacement = "" if field.blank else address
        count(
            model._meta.label_lower,
            model._base_manager.filter(**{f"{field.name}__iexact": original}).update(
                **{field.name: replacement}
            ),
        )
    # Names written beside a link to the person (e.g. ``by`` / ``by_name``).
    for model, field in _user_links():
        names = {f.name for f in model._meta.concrete_fields}
        if f"{field.name}_name" in names:
            count(
                model._meta.label_lower,
                model._base_manager.filter(**{field.name: user}).update(
                    **{f"{field.name}_name": pseudonym}
                ),
            )
    # History rows of the account itself.
    history = getattr(user_model, "history", None)
    if history is not None:
        count(
            "history of " + user_model._meta.label_lower,
            history.filter(id=user.pk).update(email=address, first_name="", last_name=""),
        )
    # Audit entries and jobs that quote the address.
    for entry in AuditEntry.objects.iterator():
        if original.lower() in json.dumps(entry.data, ensure_ascii=False).lower():
            AuditEntry.objects.filter(pk=entry.pk).update(
                data=_replace_in(entry.data, original, address)
            )
            count("core.auditentry", 1)
    for job in Job.objects.iterator():
        text = json.dumps([job.kwargs, job.result], ensure_ascii=False).lower()
        if original.lower() in text:
            Job.objects.filter(pk=job.pk).update(
                kwargs=_replace_in(job.kwargs, original, address),
                result=_replace_in(job.result, original, address),
            )
            count("core.job", 1)
    # Access: memberships, API key, sessions.
    count("accounts.membership", user.memberships.all().delete()[0])
    count("accounts.invitation", user.invitations.all().delete()[0])
    from rest_framework.authtoken.models import Token

    count("authtoken.token", Token.objects.filter(user=user).delete()[0])
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            count("sessions.session", 1)
    # The account: kept as the pseudonymous author of what the person did.
    user.email = address
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    if history is not None:  # the save above wrote one more history row, already pseudonymous
        history.filter(id=user.pk).update(email=address, first_name="", last_name="")
    audit_log(
        AUDIT_ERASE,
        data={"pseudonym": pseudonym, "user_id": user.pk, "changed": changed},
    )
    return {"pseudonym": pseudonym, "user_id": user.pk, "changed": changed}
