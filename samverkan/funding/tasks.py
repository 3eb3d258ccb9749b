"""Background job: the decision letters of a whole call."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from samverkan.core import tenancy
from samverkan.core.jobs import JobContext, task


@task("funding.decision_letters", max_attempts=2, retry_base_seconds=10)
def decision_letters(ctx: JobContext, *, call_id: int) -> dict[str, Any]:
    from samverkan.funding import letters
    from samverkan.funding.models import Call

    call = Call.objects.get(pk=call_id)
    user = ctx.job.user
    if user is not None and not tenancy.can_write(user, call):
        raise PermissionDenied("the user who asked may no longer write the call")
    count = letters.letters_generate(call_id=call_id, progress=ctx.progress)
    return {"call_id": call_id, "letters": count}
