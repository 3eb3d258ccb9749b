"""The audit log: one call, ``audit_log()``, for the actions worth keeping beside the per-record
history (imports, exports, restores, decisions, erasures).

Every action name is registered once, where the action is done, with ``audit_action()``; the
constant it returns is what the service passes to ``audit_log``, so an action's name is written
once and a misspelt or unregistered one fails at once instead of filing entries nobody finds.
A name is dotted, app first (``"funding.decided"``); a ``*`` part stands for a part given at
run time (``"*.imported"``: the exchange kind, ``"*.restored"``: the model).
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from samverkan.core import tenancy
from samverkan.core.models import AuditEntry

_NAME = re.compile(r"^(\*|[a-z][a-z0-9_]*)(\.(\*|[a-z][a-z0-9_]*))+$")
_ACTIONS: set[str] = set()


def audit_action(name: str) -> str:
    """Register an action name (or a pattern with ``*`` parts) and return it."""
    if not _NAME.match(name):
        raise ValueError(f"audit action {name!r}: dotted lower-case parts, app first")
    _ACTIONS.add(name)
    return name


def audit_actions() -> list[str]:
    """Every registered action name, sorted."""
    return sorted(_ACTIONS)


def audit_action_registered(action: str) -> bool:
    return action in _ACTIONS or any(
        "*" in pattern and fnmatch.fnmatchcase(action, pattern) for pattern in _ACTIONS
    )


def audit_log(
    action: str,
    *,
    user: Any = None,
    organisation: Any = None,
    organisation_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """File one entry. ``user`` may be anyone acting (a signed-in user is stored; the system
    or an anonymous visitor is stored as nobody); ``organisation`` the one acted for."""
    if not audit_action_registered(action):
        raise ValueError(f"unregistered audit action {action!r} (register it with audit_action)")
    if organisation is not None:
        organisation_id = organisation.pk
    return AuditEntry.objects.create(
        action=action,
        user=tenancy.db_user(user),
        organisation_id=organisation_id,
        data=data if data is not None else {},
    )
