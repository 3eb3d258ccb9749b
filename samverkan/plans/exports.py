"""The plan as PDF in the background: start (records the request and enqueues the job), run
(the job: re-checks that the requester may still read the plan, builds and stores the file) and
reads (an export is readable by whoever can read its plan).

Small plans (up to ``INLINE_MAX_ACTIVITIES`` activities) are still rendered inside the request
by ``views.plan_export_pdf``: a second or two there beats a progress page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.jobs import job_enqueue
from samverkan.core.models import Job
from samverkan.plans import reports, selectors
from samverkan.plans.models import ActionPlan, PlanExport, Strategy

INLINE_MAX_ACTIVITIES = 100


def plan_export_is_inline(*, plan: ActionPlan) -> bool:
    return plan.activities.count() <= INLINE_MAX_ACTIVITIES


def plan_export_start(*, plan: ActionPlan, user: Any) -> PlanExport:
    """Record a PDF request by ``user`` (who must be able to read the plan) and enqueue the
    job on commit. A request of the same user for the same plan still waiting or running is
    reused, so pressing the button twice builds one file."""
    if not (user is not None and user.is_authenticated):
        raise PermissionDenied
    tenancy.get_readable_or_404(Strategy.objects.all(), user, pk=plan.strategy_id)
    pending = (
        PlanExport.objects.filter(
            plan=plan,
            created_by=tenancy.db_user(user),
            content_hash="",
            job__status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        )
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    with transaction.atomic():
        export = PlanExport.objects.create(
            plan=plan, created_by=tenancy.db_user(user), activities=plan.activities.count()
        )
        export.job = job_enqueue("plans.export_pdf", user=user, export_id=export.pk)
        export.save(update_fields=["job"])
    return export


def plan_export_run(
    *, export_id: int, progress: Callable[[int, str], None] | None = None
) -> PlanExport:
    """Build and store the PDF of a recorded request, as its requester (re-checked here: a user
    who lost access since pressing the button gets no file)."""
    export = PlanExport.objects.select_related("plan__strategy__owner", "created_by").get(
        pk=export_id
    )
    creator = export.created_by
    if creator is None:
        raise PermissionDenied("the requesting user no longer exists")
    tenancy.forget_cached_permissions(creator)
    if not tenancy.readable(Strategy.objects.filter(pk=export.plan.strategy_id), creator).exists():
        raise PermissionDenied("the requesting user may no longer read the plan")
    plan = export.plan
    if progress is not None:
        progress(5, _("Läser aktiviteter"))
    activities = selectors.plan_activities(plan=plan)
    rollup = selectors.plan_rollup(plan=plan, activities=activities)
    # The file is kept for whoever may read the plan: it names only the RUS they all may read.
    data = reports.plan_pdf(plan, rollup, progress=progress, user=creator, every_reader=True)
    export.content = data
    export.content_hash = hashlib.sha256(data).hexdigest()
    export.size = len(data)
    export.activities = len(activities)
    export.finished_at = timezone.now()
    export.save(update_fields=["content", "content_hash", "size", "activities", "finished_at"])
    return export


def plan_export_list(*, plan: ActionPlan, user: Any) -> QuerySet[PlanExport]:
    """The user's own recent PDFs of a plan (the caller has checked that the plan is readable)."""
    if not (user is not None and user.is_authenticated):
        return PlanExport.objects.none()
    return (
        PlanExport.objects.filter(plan=plan, created_by=tenancy.db_user(user))
        .select_related("job")
        .defer("content")
    )


def plan_export_get(*, user: Any, pk: int, with_content: bool = False) -> PlanExport:
    """An export whose plan the user may read, else 404."""
    exports = PlanExport.objects.select_related("plan__strategy", "job")
    if not with_content:
        exports = exports.defer("content")
    export = exports.filter(pk=pk).first()
    if export is None:
        raise Http404
    tenancy.get_readable_or_404(Strategy.objects.all(), user, pk=export.plan.strategy_id)
    return export


def plan_export_status(export: PlanExport) -> str:
    if export.is_done:
        return "done"
    return export.job.status if export.job else Job.Status.QUEUED
