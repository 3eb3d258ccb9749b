"""Pages for an indicator's owner: describe an own indicator, create one from a statistics file,
correct or delete single values, fetch from Kolada or SCB."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected
from samverkan.core.forms import add_form_errors
from samverkan.indicators import authoring, fetching, importing, selectors
from samverkan.indicators.forms import (
    FetchForm,
    IndicatorForm,
    IndicatorFromFileForm,
    ObservationDeleteForm,
    ObservationForm,
)
from samverkan.indicators.models import Indicator, ObservationStatus
from samverkan.indicators.periods import PeriodError, period_format, period_parse

# -- own indicators: describe, correct and delete values ---------------------------------------


def _writable_indicator(request: HttpRequest, code: str) -> Indicator:
    """The indicator if the user may write it: 404 when it cannot be read, 403 when it can be
    read but not written."""
    indicator = selectors.indicator_get(user=request.user, code=code)
    if not tenancy.can_write(request.user, indicator):
        raise PermissionDenied(_("Bara indikatorns ägare kan ändra den."))
    return indicator


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    owners = tenancy.acting_organisations(request.user)
    form = IndicatorForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        owner = fields.pop("owner")
        try:
            indicator = authoring.own_indicator_create(user=request.user, owner=owner, **fields)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Indikatorn %(title)s är skapad. Importera värden till den nedan.")
                % {"title": indicator.title},
            )
            return redirect(indicator.get_absolute_url() + "#importera")
    status = 400 if form.errors else 200
    return render(
        request,
        "indicators/indicator_form.html",
        {
            "form": form,
            "file_form": IndicatorFromFileForm(owners=owners, prefix="fil"),
            "indicator": None,
            "no_owner": not owners.exists(),
        },
        status=status,
    )


@login_required
@require_POST
def indicator_create_from_file(request: HttpRequest) -> HttpResponse:
    """Create (or reuse) an own indicator from a file that describes its own table, and import
    the file's values to it, in one transaction."""
    owners = tenancy.acting_organisations(request.user)
    form = IndicatorFromFileForm(request.POST, request.FILES, owners=owners, prefix="fil")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = importing.observations_import_auto(
                user=request.user,
                owner=form.cleaned_data["owner"],
                stream=upload,
                filename=upload.name,
                replace=True,  # a newer file of the same table brings the periods anew
            )
        except ImportRejected as exc:
            for error in exc.errors[:20]:
                form.add_error("file", str(error))
        else:
            made = _("Skapade indikatorn %(title)s från filen (%(format)s);")
            text = (
                made + " " + _("%(n)s värden importerades.")
                if outcome.created
                else _("Använde indikatorn %(title)s (samma tabell); %(n)s värden importerades.")
            )
            messages.success(
                request,
                text
                % {
                    "title": outcome.indicator.title,
                    "format": outcome.detected.label,
                    "n": outcome.result.created,
                },
            )
            return redirect(outcome.indicator)
    return render(
        request,
        "indicators/indicator_form.html",
        {
            "form": IndicatorForm(owners=owners),
            "file_form": form,
            "indicator": None,
            "no_owner": not owners.exists(),
        },
        status=400,
    )


@login_required
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _writable_indicator(request, code)
    initial = {name: getattr(indicator, name) for name in authoring.EDITABLE}
    initial["age_bands"] = ", ".join(indicator.age_bands or [])
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.indicator_update(user=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Indikatorn är sparad."))
            return redirect(indicator.get_absolute_url())
    return render(
        request,
        "indicators/indicator_form.html",
        {"form": form, "indicator": indicator},
        status=400 if form.errors else 200,
    )


OBSERVATIONS_PER_PAGE = 50


@login_required
def observation_list(request: HttpRequest, code: str) -> HttpResponse:
    from django.core.paginator import Paginator

    indicator = _writable_indicator(request, code)
    area = request.GET.get("area", "").strip()[:40]
    period_text = request.GET.get("period", "").strip()[:12]
    period = None
    if period_text:
        try:
            period = period_parse(period_text)
        except PeriodError:
            messages.error(request, _("Okänd period: %s") % period_text)
    found = authoring.observation_list(indicator=indicator, area=area, period=period)
    page = Paginator(found, OBSERVATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/observation_list.html",
        {
            "indicator": indicator,
            "page": page,
            "rows": [
                (o, selectors.area_name(o.area_code), period_format(o.period))
                for o in page.object_list
            ],
            "area": area,
            "period": period_text,
            "query": urlencode({k: v for k, v in (("area", area), ("period", period_text)) if v}),
            "changes": authoring.indicator_changes(indicator=indicator),
            "illustrative": selectors.illustrative(indicator),
        },
    )


@login_required
def observation_edit(request: HttpRequest, code: str, observation_id: int) -> HttpResponse:
    indicator = _writable_indicator(request, code)
    observation = _observation_or_404(request, indicator, observation_id)
    initial = {
        "value": "" if observation.value is None else str(observation.value).replace(".", ","),
        "status": observation.status
        if observation.status in authoring.STATUSES_BY_HAND
        else ObservationStatus.NORMAL,
    }
    form = ObservationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.observation_correct(
                user=request.user,
                indicator=indicator,
                observation_id=observation.pk,
                value=form.cleaned_data["value"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Värdet är rättat; det gamla finns kvar i historiken."))
            return redirect("indicators:observations", code=indicator.code)
    return _observation_page(
        request, indicator, observation, form, ObservationDeleteForm(prefix="delete")
    )


@login_required
@require_POST
def observation_delete(request: HttpRequest, code: str, observation_id: int) -> HttpResponse:
    indicator = _writable_indicator(request, code)
    observation = _observation_or_404(request, indicator, observation_id)
    form = ObservationDeleteForm(request.POST, prefix="delete")
    if form.is_valid():
        try:
            authoring.observation_delete(
                user=request.user,
                indicator=indicator,
                observation_id=observation.pk,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Värdet är borttaget; det finns kvar i historiken."))
            return redirect("indicators:observations", code=indicator.code)
    return _observation_page(request, indicator, observation, ObservationForm(), form)


def _observation_or_404(request: HttpRequest, indicator: Indicator, observation_id: int):
    try:
        return authoring.observation_get(
            user=request.user, indicator=indicator, observation_id=observation_id
        )
    except ValidationError as exc:
        raise Http404 from exc


def _observation_page(request, indicator, observation, form, delete_form) -> HttpResponse:
    return render(
        request,
        "indicators/observation_edit.html",
        {
            "indicator": indicator,
            "observation": observation,
            "area_name": selectors.area_name(observation.area_code),
            "period_label": period_format(observation.period),
            "form": form,
            "delete_form": delete_form,
        },
        status=400 if form.errors or delete_form.errors else 200,
    )


@login_required
@require_POST
def indicator_fetch(request: HttpRequest, code: str) -> HttpResponse:
    """Start fetching the indicator's values from Kolada or SCB (a background job)."""
    indicator = _writable_indicator(request, code)
    form = FetchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kontrollera valen för hämtningen."))
        return redirect(indicator)
    try:
        job = fetching.indicator_fetch_start(
            user=request.user,
            indicator=indicator,
            years=form.cleaned_data["years"],
            county_code=form.cleaned_data["county"],
            replace=form.cleaned_data["replace"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(indicator)
    return redirect("indicators:fetch_job", code=indicator.code, job_id=job.pk)


@login_required
def fetch_job(request: HttpRequest, code: str, job_id: int) -> HttpResponse:
    indicator = _writable_indicator(request, code)
    job = fetching.fetch_job_get(user=request.user, indicator=indicator, job_id=job_id)
    job.refresh_from_db()
    running = job.status in (job.Status.QUEUED, job.Status.RUNNING)
    return render(
        request,
        "indicators/fetch_job.html",
        {
            "indicator": indicator,
            "job": job,
            "running": running,
            "error": fetching.fetch_job_error(job) if job.status == job.Status.FAILED else "",
        },
    )
