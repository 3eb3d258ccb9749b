"""Keep the time of the user's previous sign-in in the session, for "Min översikt" to show what
changed since the last visit.

Django's own ``update_last_login`` overwrites ``last_login`` when the user signs in; it is
disconnected here and called from our receiver once the previous value has been kept.
"""

from typing import Any

from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in

SESSION_KEY = "samverkan_previous_login"


def keep_previous_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session") and user.last_login is not None:
        request.session[SESSION_KEY] = user.last_login.isoformat()
    update_last_login(sender, user, **kwargs)


def connect() -> None:
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.connect(keep_previous_login, dispatch_uid="samverkan_keep_previous_login")
