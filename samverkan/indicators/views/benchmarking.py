"""Web pages for indicators: catalogue, benchmarking with charts and downloads, targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import charts, tenancy
from samverkan.core.exchange import ImportRejected
from samverkan.core.forms import add_form_errors
from samverkan.core.params import query_id
from samverkan.geo import maps
from samverkan.indicators import fetching, importing, pagerows, selectors, services
from samverkan.indicators.benchmark import (
    benchmark_query,
    map_areas,
    ranking_csv,
    ranking_summary,
    ranking_xlsx,
    series_csv,
)
from samverkan.indicators.forms import (
    FetchForm,
    ImportForm,
    KeyIndicatorsForm,
    TargetForm,
)
from samverkan.indicators.models import AreaType, Indicator, Target
from samverkan.indicators.periods import period_format
from samverkan.indicators.raster import svg_to_png


def indicator_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    indicators = selectors.indicator_list(user=request.user, query=query)
    goal = None  # choosing an indicator to follow up a strategy goal (link on the goal)
    wanted = query_id(request.GET.get("goal"))
    if wanted is not None and request.user.is_authenticated:
        goal = selectors.goals_for_targets(user=request.user).filter(pk=wanted).first()
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "indicators": indicators,
            "q": query,
            "goal": goal,
            "can_create": request.user.is_authenticated
            and bool(tenancy.organisation_ids(request.user, tenancy.WRITE_ROLES)),
        },
    )


def _query(request: HttpRequest, code: str):
    indicator = selectors.indicator_get(user=request.user, code=code)
    return benchmark_query(indicator, request.GET, user=request.user)


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        query = _query(request, code)
    except ValidationError as exc:
        return HttpResponseBadRequest("; ".join(exc.messages))
    indicator = query.indicator
    ranking = query.ranking()
    change, gap = query.change(), query.gap()
    targets = [
        (t, selectors.target_progress(t), _readable_goal(request.user, t))
        for t in selectors.target_list(user=request.user, indicator=indicator)
    ]
    params = request.GET.urlencode()
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "query": query,
            "ranking": ranking,
            "summary": ranking_summary(query, ranking),
            "illustrative": selectors.illustrative(indicator),
            "periods": [(p, period_format(p)) for p in query.periods],
            "bars": mark_safe(  # noqa: S308 (escaped in charts) # nosec B308, B703
                _cached(query, "rankning-sida.svg", lambda: _page_bars(query, ranking))
            ),
            "line": mark_safe(_cached(query, "serie.svg", lambda: _line(query)))  # noqa: S308 # nosec B308, B703
            if query.areas
            else "",
            "change": change,
            "gap": gap,
            "ranking_rows": pagerows.ranking_rows(ranking),
            "change_rows": pagerows.change_rows(change),
            "gap_rows": pagerows.gap_rows(gap),
            "targets": targets,
            "params": params,
            "can_import": tenancy.can_write(request.user, indicator),
            "fetch_form": FetchForm()
            if indicator.source_kind in fetching.FETCHABLE and indicator.source_id
            else None,
            "import_form": ImportForm(),
            "can_target": request.user.is_authenticated
            and bool(tenancy.organisation_ids(request.user, tenancy.WRITE_ROLES)),
        },
    )


def _readable_goal(user, target: Target):
    """The strategy goal a target follows up, when the visitor may read its strategy."""
    goal = target.goal
    return goal if goal is not None and tenancy.can_read(user, goal.strategy) else None


def _chart_title(query) -> str:
    """A chart's title: indicator, period and breakdown, and "illustrativa värden" when the
    values are generated (a downloaded picture must say so on its own)."""
    title = f"{query.indicator.title}, {query.period_label}, {query.breakdown}"
    if selectors.illustrative(query.indicator):
        title += " – " + _("illustrativa värden, inte statistik")
    return title


# The page's ranking chart draws every area up to this many values, else the highest and the
# lowest ``SHORT_RANKING_ENDS`` (the table below and the downloaded chart hold them all).
SHORT_RANKING_FROM = 40
SHORT_RANKING_ENDS = 10


def _bars(query, ranking) -> str:
    title = _chart_title(query)
    return charts.ranked_bars(
        [(r.area_name, r.value) for r in ranking],
        title=title,
        highlight={selectors.area_name(a) for a in query.areas},
    )


def _page_bars(query, ranking) -> str:
    """The ranking chart on the page: all areas, or for a long ranking (290 municipalities)
    the ten highest and the ten lowest, with the chosen areas kept in between."""
    present = [r for r in ranking if r.value is not None]
    if len(present) <= SHORT_RANKING_FROM:
        return _bars(query, ranking)
    chosen = {selectors.area_name(a) for a in query.areas}
    middle = [r for r in present[SHORT_RANKING_ENDS:-SHORT_RANKING_ENDS] if r.area_name in chosen]
    rows = [*present[:SHORT_RANKING_ENDS], *middle, *present[-SHORT_RANKING_ENDS:]]
    left_out = len(present) - len(rows)
    title = (
        _chart_title(query)
        + " – "
        + _("de %(ends)s högsta och de %(ends)s lägsta av %(count)s")
        % {"ends": SHORT_RANKING_ENDS, "count": len(present)}
    )
    return charts.ranked_bars(
        [(r.area_name, r.value) for r in rows],
        title=title,
        highlight=chosen,
        break_after=SHORT_RANKING_ENDS,
        break_text=_("%(count)s till: se tabellen nedan") % {"count": left_out},
    )


def _line(query) -> str:
    series = {
        selectors.area_name(code): [(period_format(p), v) for p, v in points]
        for code, points in query.series().items()
    }
    title = f"{query.indicator.title}, {query.breakdown}"
    if selectors.illustrative(query.indicator):
        title += " – " + _("illustrativa värden, inte statistik")
    return charts.time_series(series, title=title)


CHART_SECONDS = 7 * 24 * 3600  # keys carry the data version: an import makes new keys


def _cached(query, what: str, draw: Callable[[], Any]) -> Any:
    """A chart (SVG text or PNG bytes) from the cache, drawn and stored on a miss. The key
    holds the indicator's data version (new on every import), so no stale chart is served."""
    key = query.cache_key(what)
    if key is None:
        return draw()
    found = cache.get(key)
    if found is None:
        found = draw()
        cache.set(key, found, CHART_SECONDS)
    return found


DOWNLOAD_NAMES = (
    "rankning.csv",
    "rankning.xlsx",
    "rankning.svg",
    "rankning.png",
    "serie.csv",
    "serie.svg",
    "serie.png",
    "karta.svg",
    "karta.png",
)
PNG = "image/png"


def _chart(query, what: str) -> str:
    """The SVG of one chart: ``rankning``, ``serie`` or ``karta``."""
    if what == "rankning":
        return _bars(query, query.ranking())
    if what == "karta":
        values = {r.area_code: r.value for r in query.ranking()}
        level = "county" if query.area_type == AreaType.COUNTY else "municipality"
        title = _chart_title(query)
        return str(
            maps.choropleth(
                values,
                level=level,
                title=title,
                tooltip_names=False,
                only=map_areas(query, values),
            )
        )
    return _line(query)


def _download(request: HttpRequest, code: str, what: str) -> HttpResponse:
    try:
        query = _query(request, code)
    except ValidationError as exc:
        return HttpResponseBadRequest("; ".join(exc.messages))
    body: str | bytes
    name, extension = what.split(".")
    if what == "rankning.csv":
        body, kind = ranking_csv(query), "text/csv; charset=utf-8"
    elif what == "rankning.xlsx":
        body = ranking_xlsx(query)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif what == "serie.csv":
        body, kind = series_csv(query), "text/csv; charset=utf-8"
    elif extension == "png":
        body = _cached(
            query,
            what,
            lambda: svg_to_png(_cached(query, f"{name}.svg", lambda: _chart(query, name))),
        )
        kind = PNG
    else:
        body, kind = _cached(query, what, lambda: _chart(query, name)), "image/svg+xml"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{query.indicator.code}-{what}"'
    return response


def ranking_download(request: HttpRequest, code: str, what: str) -> HttpResponse:
    return _download(request, code, what)


@login_required
def target_create(request: HttpRequest, code: str) -> HttpResponse:
    indicator = selectors.indicator_get(user=request.user, code=code)
    owners = tenancy.acting_organisations(request.user)
    goals = selectors.goals_for_targets(user=request.user)
    initial = {}
    wanted = query_id(request.GET.get("goal"))
    if wanted is not None:
        goal = goals.filter(pk=wanted).first()
        if goal is not None:
            initial = {"goal": goal, "owner": goal.strategy.owner_id, "title": goal.title[:200]}
    form = TargetForm(request.POST or None, owners=owners, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        owner = get_object_or_404(owners, pk=fields.pop("owner").pk)
        breakdown = services.breakdown_get(sex=fields.pop("sex"))
        try:
            services.target_create(
                user=request.user, owner=owner, indicator=indicator, breakdown=breakdown, **fields
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Målet är sparat."))
            return redirect(indicator)
    return render(request, "indicators/target_form.html", {"form": form, "indicator": indicator})


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = tenancy.get_writable_or_403(
        Target.objects.select_related("indicator"), request.user, pk=pk
    )
    indicator = target.indicator
    services.target_delete(user=request.user, target=target)
    messages.success(request, _("Målet är borttaget."))
    return redirect(indicator)


@login_required
@require_POST
def observations_upload(request: HttpRequest, code: str) -> HttpResponse:
    indicator = tenancy.get_writable_or_403(Indicator.objects.all(), request.user, code=code)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Välj en fil."))
        return redirect(indicator)
    upload = form.cleaned_data["file"]
    try:
        result = importing.observations_import(
            user=request.user,
            indicator=indicator,
            stream=upload,
            filename=upload.name,
            fmt=form.cleaned_data["format"],
            replace=form.cleaned_data["replace"],
            metric=form.cleaned_data["metric"],
        )
    except ImportRejected as exc:
        for error in exc.errors[:20]:
            messages.error(request, str(error))
        messages.error(request, _("Inget importerades."))
    else:
        messages.success(request, _("%d observationer importerades.") % result.created)
    return redirect(indicator)


@login_required
def key_indicators_choose(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """The county board (or municipality) chooses the key indicators its hub page shows."""
    from samverkan.geo.models import County, Municipality

    if level == "lan":
        place: Any = get_object_or_404(County, code=code)
        area_type, hub_url = AreaType.COUNTY, reverse("geo:county", args=[code])
    elif level == "kommun":
        place = get_object_or_404(Municipality, code=code)
        area_type, hub_url = AreaType.MUNICIPALITY, reverse("geo:municipality", args=[code])
    else:
        raise Http404
    allowed, organisation = services.key_indicators_chooser(
        user=request.user, area_type=area_type, area_code=code
    )
    if not allowed:
        raise PermissionDenied(
            _("Bara områdets verifierade länsstyrelse eller kommun väljer dess nyckelindikatorer.")
        )
    indicators = selectors.key_indicator_candidates(
        user=request.user, area_type=area_type, area_code=code
    )
    by_code = {i.code: i for i in indicators}
    current = services.key_indicators_current(area_type=area_type, area_code=code)
    initial = {f"slot_{n}": i.code for n, i in enumerate(current, start=1)}
    choices = [(i.code, i.title) for i in indicators]
    data = request.POST if request.method == "POST" else None
    form = KeyIndicatorsForm(data, choices=choices, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.key_indicators_set(
                user=request.user,
                area_type=area_type,
                area_code=code,
                indicators=[by_code[c] for c in form.chosen_codes()],
            )
            messages.success(request, _("Nyckelindikatorerna är sparade."))
            return redirect(f"{hub_url}#indicators")
        status = 400
    return render(
        request,
        "indicators/key_indicators.html",
        {
            "form": form,
            "place": place,
            "hub_url": hub_url,
            "organisation": organisation,
            "candidates": len(indicators),
        },
        status=status,
    )
