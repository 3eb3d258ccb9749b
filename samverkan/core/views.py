from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import history, tenancy
from samverkan.core.exchange import (
    CONTENT_TYPES,
    ImportRejected,
    data_export,
    read_upload_or_reject,
)
from samverkan.core.forms import ExportForm, ImportForm
from samverkan.core.hub import (
    FrontBlock,
    TodoGroup,
    TodoItem,
    front_areas,
    front_blocks,
    todo_groups,
)
from samverkan.core.import_runs import data_import_start, import_run_get
from samverkan.core.models import ImportRun

logger = logging.getLogger(__name__)


def _import_runs(user: Any) -> TodoGroup:
    """The user's own background imports of the last 30 days, with how they ended."""
    since = timezone.now() - timedelta(days=30)
    labels = {
        "queued": _("I kö"),
        "running": _("Pågår"),
        "done": _("Klar"),
        "rejected": _("Filen har fel"),
        "failed": _("Misslyckades"),
    }
    items = []
    for run in ImportRun.objects.filter(user=user, created_at__gte=since).select_related("job")[
        :10
    ]:
        status = run.status
        items.append(
            TodoItem(
                title=run.filename,
                href=run.get_absolute_url(),
                kind=_("Import"),
                detail=str(labels.get(status, status)),
                late=status in {"rejected", "failed"},
            )
        )
    return TodoGroup(
        key="imports",
        title=_("Dina importer de senaste 30 dagarna"),
        items=items,
        empty=_("Inga importer de senaste 30 dagarna."),
        position=60,
    )


PREVIOUS_LOGIN_SESSION_KEY = "samverkan_previous_login"  # set by accounts at sign-in


def _previous_visit(request: HttpRequest) -> datetime:
    """The user's previous sign-in (kept in the session at sign-in), else 30 days ago."""
    kept = request.session.get(PREVIOUS_LOGIN_SESSION_KEY)
    if kept:
        try:
            return datetime.fromisoformat(kept)
        except ValueError:
            pass
    return timezone.now() - timedelta(days=30)


FRONT_PAGE_SECONDS = 60


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: "Min översikt", what waits for the user in each of their organisations, and
    the hubs of their counties. Otherwise the platform's front page."""
    context: dict[str, Any] = {
        "counties": front_areas(),
        "organisation_count": tenancy.organisation_model()._default_manager.count(),
    }
    # The public front page is the same for every visitor: built once a minute, not per
    # request (the knowledge bank's counts run over every project). Signed-in users get
    # "Min översikt" instead and the county cards without the figures.
    blocks: list[FrontBlock] = []
    if not request.user.is_authenticated:
        blocks = cache.get_or_set(  # type: ignore[assignment]
            f"front-blocks:{get_language()}",
            lambda: front_blocks(user=request.user),
            FRONT_PAGE_SECONDS,
        )
    context["front_blocks"] = blocks
    context["county_cards"] = [
        {
            "county": county,
            "figures": [
                (block.county_figures.get(county.code, 0), block.county_label)
                for block in blocks
                if block.county_label
            ],
        }
        for county in context["counties"]
    ]
    if request.user.is_authenticated:
        memberships = list(
            request.user.memberships.select_related(
                "organisation", "organisation__county"
            ).order_by("organisation__name")
        )
        groups = todo_groups(
            user=request.user, today=timezone.localdate(), since=_previous_visit(request)
        )
        groups.append(_import_runs(request.user))
        counties = {m.organisation.county for m in memberships if m.organisation.county}
        context.update(
            {
                "memberships": memberships,
                "todo_groups": [g for g in groups if g.items],
                "quiet_groups": [g for g in groups if not g.items],
                "todo_count": sum(len(g.items) for g in groups),
                "since": _previous_visit(request),
                "my_counties": sorted(
                    (c for c in counties if c is not None), key=lambda county: county.code
                ),
            }
        )
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database answers, the job queue is readable (with the age of the
    oldest due job) and, when a shared cache is configured, the cache answers. Anyone may ask,
    so a failure is reported as ``"error"`` only; what went wrong (a driver's message names
    hosts and ports) goes to the log."""
    from django.conf import settings
    from django.core.cache import cache

    from samverkan.core.ops import queue_figures

    body: dict[str, object] = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = "ok"
    except Exception as exc:  # report, do not crash: this is the probe
        logger.error("readyz: the database does not answer: %s", exc)
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    try:
        body["queue"] = {"mode": settings.JOBS_MODE, **queue_figures()}
    except Exception as exc:
        logger.error("readyz: the job queue cannot be read: %s", exc)
        body["status"] = "error"
        body["queue"] = "error"
    if "locmem" not in str(settings.CACHES["default"]["BACKEND"]).lower():
        try:
            cache.set("readyz", "1", timeout=5)
            body["cache"] = "ok" if cache.get("readyz") == "1" else "error"
        except Exception as exc:
            logger.error("readyz: the cache does not answer: %s", exc)
            body["cache"] = "error"
        if body["cache"] != "ok":
            body["status"] = "error"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


def record_history(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    model = history.history_model_get(label)
    versions = history.history_versions(model=model, pk=pk, user=request.user)
    rows = history.history_rows(versions=versions, user=request.user)
    current = model._default_manager.filter(pk=pk).first()
    return render(
        request,
        "core/history.html",
        {
            "rows": rows,
            "label": label,
            "pk": pk,
            "current": current,
            "title": str(current or versions[0].instance),
            "may_restore": history._may_write_version(request.user, versions[0]),
        },
    )


@login_required
@require_POST
def record_restore(request: HttpRequest, label: str, pk: int, history_id: int) -> HttpResponse:
    model = history.history_model_get(label)
    instance = history.record_restore(model=model, pk=pk, history_id=history_id, user=request.user)
    messages.success(request, _("%s är återställd.") % instance)
    return redirect("core:history", label=label, pk=pk)


@login_required
def trash(request: HttpRequest) -> HttpResponse:
    from django.apps import apps

    sections = []
    for model in apps.get_models():
        if hasattr(model, "history") and hasattr(model, "owned_by_q"):
            deleted = history.deleted_records(model=model, user=request.user)
            if deleted:
                sections.append(
                    {"model": model, "label": model._meta.label_lower, "records": deleted}
                )
    return render(request, "core/trash.html", {"sections": sections})


@login_required
def import_data(request: HttpRequest) -> HttpResponse:
    organisations = tenancy.acting_organisations(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = data_import_start(
                kind=form.cleaned_data["kind"],
                data=read_upload_or_reject(upload),
                filename=upload.name,
                user=request.user,
                acting_for=form.cleaned_data["acting_for"],
            )
        except ImportRejected as exc:
            errors = exc.errors
            messages.error(
                request,
                _("Inget importerades: %(count)d fel i %(file)s.")
                % {"count": len(exc.errors), "file": exc.filename},
            )
        except PermissionDenied as exc:
            form.add_error("acting_for", str(exc))
        else:
            if isinstance(outcome, ImportRun):
                return redirect(outcome)
            messages.success(
                request,
                _("%(created)d poster importerade från %(file)s.")
                % {"created": outcome.created, "file": outcome.filename},
            )
            return redirect("core:import")
    return render(request, "core/import.html", {"form": form, "errors": errors})


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_get(user=request.user, pk=pk)
    return render(request, "core/import_run.html", {"run": run, "job": run.job})


def export_data(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        fmt = form.cleaned_data["format"]
        kind = form.cleaned_data["kind"]
        try:
            content = data_export(
                kind=kind,
                fmt=fmt,
                user=request.user,
                options={"county": form.cleaned_data["county"]},
            )
        except ValueError as exc:  # e.g. an exporter that needs a county
            messages.error(request, str(exc))
        else:
            response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
            response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
            return response
    return render(request, "core/export.html", {"form": form})
