"""Web pages for the project knowledge bank: thin adapters over selectors and services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.actors.selectors import organisation_writable_list
from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected, data_export, read_upload_or_reject
from samverkan.core.forms import add_form_errors
from samverkan.core.params import page_number
from samverkan.core.versioning import (
    EditConflict,
    edit_conflict_response,
    version_field_add,
    version_taken,
)
from samverkan.geo import maps
from samverkan.geo import selectors as geo_selectors
from samverkan.geo.models import County
from samverkan.plans.selectors import development_strategy_list
from samverkan.projects import importing, selectors, services, similarity, suggest
from samverkan.projects.exchange import Decision
from samverkan.projects.forms import ProjectForm, ProjectImportForm, ProjectSearchForm
from samverkan.projects.models import Project

PAGE_SIZE = 20
MAX_PAGE = 10**6 // PAGE_SIZE  # the API's largest offset


def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectSearchForm(request.GET or None)
    filters = selectors.SearchFilters.from_params(request.GET)
    page = page_number(request.GET.get("page"), maximum=MAX_PAGE)
    result = selectors.project_search(
        user=request.user,
        filters=filters,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        prefix_last=True,
    )
    query = request.GET.copy()
    query.pop("page", None)
    help = None
    if not result.total and filters.query.strip() and page == 1:
        help = suggest.search_help(user=request.user, filters=filters, prefix_last=True)
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "result": result,
            "help": help,
            "suggestion_query": _with_query(request, help.suggestion) if help else "",
            "unfiltered_query": urlencode({"q": filters.query}),
            "create_url": reverse("projects:create"),
            "page": page,
            "query": query.urlencode(),
            "has_next": page * PAGE_SIZE < result.total,
            "filters": filters,
        },
    )


def _with_query(request: HttpRequest, q: str) -> str:
    """The current search's parameters with the query ``q`` (and the first page)."""
    params = request.GET.copy()
    params.pop("page", None)
    params["q"] = q
    return params.urlencode()


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "can_write": tenancy.can_write(request.user, project),
            "can_review": services.project_can_review(user=request.user, project=project),
            "similar": similarity.project_similar(user=request.user, project=project, limit=5),
            "builds_on": tenancy.readable(project.builds_on.all(), request.user),
        },
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    owners = organisation_writable_list(user=request.user)
    form = ProjectForm(
        request.POST or None,
        owners=owners,
        development=development_strategy_list(user=request.user),
    )
    similar = []
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "check":
            similar = similarity.project_similar_to_draft(
                user=request.user,
                title=form.cleaned_data["title"],
                text=" ".join([form.cleaned_data["summary"], form.cleaned_data["description"]]),
                themes=list(form.cleaned_data["themes"]),
                target_groups=list(form.cleaned_data["target_groups"]),
                county=form.cleaned_data["county"],
                limit=5,
            )
        else:
            try:
                project = services.project_create(
                    user=request.user, owner=form.cleaned_data["owner"], **form.service_arguments()
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("%s är registrerat.") % project)
                return redirect(project)
    return render(
        request, "projects/project_form.html", {"form": form, "creating": True, "similar": similar}
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = tenancy.get_writable_or_403(Project.objects.all(), request.user, pk=pk)
    form = ProjectForm(
        request.POST or None,
        instance=project,
        development=development_strategy_list(user=request.user),
    )
    version_field_add(form, project)
    if request.method == "POST" and form.is_valid():
        expected_version = version_taken(form)
        try:
            services.project_update(
                project=project,
                user=request.user,
                expected_version=expected_version,
                **form.service_arguments(),
            )
        except EditConflict as conflict:
            return edit_conflict_response(
                request,
                form=form,
                record=project,
                conflict=conflict,
                cancel_url=project.get_absolute_url(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = tenancy.get_writable_or_403(Project.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        services.project_delete(project=project, user=request.user)
        messages.success(request, _("%s är borttaget.") % project)
        return redirect("projects:list")
    return render(request, "projects/project_delete.html", {"project": project})


@login_required
@require_POST
def project_review(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    services.project_review_good_example(
        project=project, user=request.user, good_example=request.POST.get("good_example") == "1"
    )
    messages.success(request, _("Granskningen är sparad."))
    return redirect(project)


def project_coverage(request: HttpRequest) -> HttpResponse:
    county_code = request.GET.get("county", "")
    coverage = selectors.project_coverage(user=request.user, county_code=county_code)
    by_county = selectors.project_counts_by_county(user=request.user)
    by_municipality = selectors.project_counts_by_municipality(
        user=request.user, county_code=county_code
    )
    counties = list(County.objects.order_by("code"))
    municipalities = list(geo_selectors.municipality_list(county_code=county_code or None))
    if request.GET.get("format") == "xlsx":
        content = data_export(
            kind="project-coverage", fmt="xlsx", user=request.user, options={"county": county_code}
        )
        response = HttpResponse(
            content,
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
        response["Content-Disposition"] = 'attachment; filename="projekt-tackning.xlsx"'
        return response
    return render(
        request,
        "projects/project_coverage.html",
        {
            "coverage": coverage,
            "counties": counties,
            "county_code": county_code,
            "by_county": by_county,
            "map": maps.choropleth(
                {c.code: by_county.get(c.code, (0, 0))[0] for c in counties},
                level="county",
                title=_("Antal projekt per län; ljusröda län saknar projekt"),
                link="?county=",
                zero_is_gap=True,
            ),
            "municipality_map": maps.choropleth(
                {m.code: by_municipality.get(m.code, 0) for m in municipalities},
                level="municipality",
                title=(
                    _("Antal projekt per kommun i %s") % coverage.county.name
                    if coverage.county
                    else _("Antal projekt per kommun")
                ),
                only={m.code for m in municipalities},
                zero_is_gap=True,
            ),
            "municipality_gaps": [m for m in municipalities if not by_municipality.get(m.code)],
        },
    )


SESSION_IMPORT = "projects_import"


@login_required
def project_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (rows like existing projects, a decision per row) → import."""
    organisations = organisation_writable_list(user=request.user)
    form = ProjectImportForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    pending = request.session.get(SESSION_IMPORT)
    errors, preview = None, None
    try:
        if request.method == "POST" and request.POST.get("action") == "confirm" and pending:
            data = importing.pending_load(pending["token"])
            if data is None:
                messages.error(request, _("Filen finns inte längre; ladda upp den igen."))
                return redirect("projects:import")
            acting_for = organisations.filter(pk=pending["acting_for"]).first()
            decisions = {row: request.POST.get(f"row-{row}", "") for row in pending["flagged"]}
            if not all(d in Decision.values for d in decisions.values()):
                messages.error(request, _("Välj vad som ska hända med varje markerad rad."))
                preview = importing.project_import_preview(
                    data=data,
                    filename=pending["filename"],
                    user=request.user,
                    acting_for=acting_for,
                )
            else:
                result = importing.project_import(
                    data=data,
                    filename=pending["filename"],
                    user=request.user,
                    acting_for=acting_for,
                    decisions=decisions,
                )
                importing.pending_drop(pending["token"])
                del request.session[SESSION_IMPORT]
                messages.success(
                    request,
                    _("%(created)d projekt importerade från %(file)s.")
                    % {"created": result.created, "file": result.filename},
                )
                for warning in result.warnings:
                    messages.info(request, warning)
                return redirect("projects:list")
        elif request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = read_upload_or_reject(upload)
            acting_for = form.cleaned_data["acting_for"]
            preview = importing.project_import_preview(
                data=data, filename=upload.name, user=request.user, acting_for=acting_for
            )
            if not preview.flagged:
                result = importing.project_import(
                    data=data, filename=upload.name, user=request.user, acting_for=acting_for
                )
                messages.success(
                    request,
                    _("%(created)d projekt importerade från %(file)s.")
                    % {"created": result.created, "file": result.filename},
                )
                return redirect("projects:list")
            request.session[SESSION_IMPORT] = {
                "token": importing.pending_save(data),
                "filename": upload.name,
                "acting_for": acting_for.pk if acting_for else None,
                "flagged": [f.row for f in preview.flagged],
            }
    except ImportRejected as exc:
        errors = exc.errors
        messages.error(
            request,
            _("Inget importerades: %(count)d fel i %(file)s.")
            % {"count": len(exc.errors), "file": exc.filename},
        )
    return render(
        request,
        "projects/project_import.html",
        {"form": form, "errors": errors, "preview": preview, "decisions": Decision.choices},
    )
