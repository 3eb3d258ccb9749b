"""The section registry and the built-in sections.

A section is a function ``(scope, period, user) -> Section`` registered with
``@register_section``; it reads through the other apps' selectors (so tenancy decides what the
user sees) and returns blocks, never HTML. Another app adds its own section the same way, e.g.
``@register_section("projects", "Projekt", position=25)`` in its ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _lazy

from samverkan.actors.models import Network, OrganisationKind, Sector
from samverkan.geo.models import County
from samverkan.reports.document import Section

logger = logging.getLogger(__name__)

COUNTY, NATIONAL, NETWORK = "county", "national", "network"
KIND_LABELS = {COUNTY: "Länsrapport", NATIONAL: "Nationell rapport", NETWORK: "Nätverksrapport"}


@dataclass(frozen=True)
class Scope:
    """What the report covers: one county, the whole country, or one network."""

    kind: str
    county: County | None = None
    network: Network | None = None

    @property
    def label(self) -> str:
        if self.kind == COUNTY and self.county is not None:
            return self.county.name
        if self.kind == NETWORK and self.network is not None:
            return self.network.name
        return "Hela Sverige"


@dataclass(frozen=True)
class Period:
    """Whole years, both ends included."""

    start: int
    end: int

    @property
    def label(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.start, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.end, 12, 31)

    def dates_overlap_q(self, start_field: str, end_field: str) -> Q:
        """Records running at some time during the period (open ends count as running)."""
        starts = Q(**{f"{start_field}__isnull": True}) | Q(**{f"{start_field}__lte": self.last_day})
        ends = Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": self.first_day})
        return starts & ends


SectionFunc = Callable[[Scope, Period, Any], Section]


@dataclass(frozen=True)
class SectionType:
    code: str
    title: str
    func: SectionFunc
    kinds: tuple[str, ...]
    position: int
    summary: str = ""  # what the chapter holds, for the outline shown before a build


SECTIONS: dict[str, SectionType] = {}


def register_section(
    code: str,
    title: str,
    *,
    kinds: tuple[str, ...] = (COUNTY, NATIONAL, NETWORK),
    position: int = 100,
    summary: str = "",
) -> Callable[[SectionFunc], SectionFunc]:
    """Register ``func(scope, period, user) -> Section`` as the section ``code``; ``summary``
    says in a sentence what the chapter holds (a lazy translation: it is shown in the UI)."""

    def register(func: SectionFunc) -> SectionFunc:
        SECTIONS[code] = SectionType(code, title, func, kinds, position, summary)
        return func

    return register


def sections_for(kind: str) -> list[SectionType]:
    return sorted(
        (s for s in SECTIONS.values() if kind in s.kinds), key=lambda s: (s.position, s.code)
    )


def section_choices(kind: str | None = None) -> list[tuple[str, str]]:
    types = sections_for(kind) if kind else sorted(SECTIONS.values(), key=lambda s: s.position)
    return [(s.code, s.title) for s in types]


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


# --- Summary ------------------------------------------------------------------------------------


@register_section(
    "summary",
    "Sammanfattning",
    kinds=(COUNTY,),
    position=5,
    summary=_lazy(
        "Länets nyckeltal som länssidan visar dem, och vilka områden som saknar uppgifter."
    ),
)
def summary_section(scope: Scope, period: Period, user: Any) -> Section:
    """The county's key figures as its hub shows them (at the report's data state), and
    which of the hub's areas have nothing registered."""
    from samverkan.core.hub import COUNTY as HUB_COUNTY
    from samverkan.core.hub import Area, hub_sections

    section = Section("summary", "Sammanfattning")
    county = scope.county
    if county is None:
        return section
    area = Area(kind=HUB_COUNTY, code=county.code, name=county.name, county_code=county.code)
    hub = [s for s in hub_sections(area=area, user=user) if s.key != "reports"]
    figures = [(f.label[:1].upper() + f.label[1:], f.value) for s in hub for f in s.figures]
    section.paragraph(
        f"Nyckeltalen visar läget i {county.name} vid rapportens dataläge; avsnitten som följer "
        f"gäller perioden {period.label}."
    )
    section.table(
        "Nyckeltal för länet", ["Nyckeltal", "Antal"], [[label, value] for label, value in figures]
    )
    empty = [s.title for s in hub if s.empty]
    if empty:
        section.paragraph("Inget registrerat ännu: " + ", ".join(empty) + ".", note=True)
    return section


# --- Organisations ------------------------------------------------------------------------------


@register_section(
    "organisations",
    "Aktörer",
    position=10,
    summary=_lazy("Organisationerna per sektor och slag; för ett nätverk dess medlemmar."),
)
def organisations_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.actors import selectors

    section = Section("organisations", "Aktörer")
    if scope.kind == NETWORK and scope.network is not None:
        members = selectors.membership_list(user=user, network=scope.network).filter(
            period.dates_overlap_q("start_date", "end_date")
        )
        rows = [
            [
                m.organisation.name,
                _label(OrganisationKind.choices, m.organisation.kind),
                ", ".join(r.name for r in m.roles.all()),
                m.start_date,
                m.end_date,
            ]
            for m in members
        ]
        section.paragraph(f"{len(rows)} organisationer var medlemmar i nätverket under perioden.")
        section.table(
            "Medlemmar",
            ["Organisation", "Typ", "Roller", "Från", "Till"],
            rows,
            "Nätverket har inga registrerade medlemmar under perioden.",
        )
        for m in members:
            section.cite(f"Medlemskap: {m.organisation.name}", m.source)
        return section
    organisations = selectors.organisation_list(
        user=user, county_code=scope.county.code if scope.county else ""
    )
    total = organisations.count()
    if not total:
        section.paragraph("Inga aktörer är registrerade för området.", note=True)
        return section
    section.paragraph(f"{total} aktörer är registrerade.")
    by_sector = dict(
        organisations.order_by()
        .values_list("sector")
        .annotate(n=Count("id"))
        .values_list("sector", "n")
    )
    section.table(
        "Aktörer per sektor",
        ["Sektor", "Antal"],
        [[label, by_sector.get(value, 0)] for value, label in Sector.choices],
    )
    if scope.kind == NATIONAL:
        per_county = dict(
            organisations.order_by()
            .values_list("county__short_name")
            .annotate(n=Count("id"))
            .values_list("county__short_name", "n")
        )
        section.table(
            "Aktörer per län",
            ["Län", "Antal"],
            [[c.name, per_county.get(c.short_name, 0)] for c in County.objects.order_by("code")],
        )
        return section
    section.table(
        "Aktörer",
        ["Organisation", "Typ", "Sektor", "Kommun"],
        [
            [
                o.name,
                _label(OrganisationKind.choices, o.kind),
                _label(Sector.choices, o.sector),
                o.municipality.name if o.municipality else "",
            ]
            for o in organisations
        ],
    )
    for o in organisations:
        section.cite(o.name, o.source)
    return section


# --- Networks and the responsibility matrix ----------------------------------------------------


@register_section(
    "networks",
    "Nätverk och ansvarsfördelning",
    position=20,
    summary=_lazy(
        "Nätverken, ansvarsmatrisen (tema × målgrupp) med luckor och överlapp, avtal och "
        "möten under perioden."
    ),
)
def networks_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.actors import selectors

    section = Section("networks", "Nätverk och ansvarsfördelning")
    networks = selectors.network_list(
        user=user, county_code=scope.county.code if scope.county else ""
    ).filter(period.dates_overlap_q("start_date", "end_date"))
    if scope.kind == NETWORK and scope.network is not None:
        networks = networks.filter(Q(pk=scope.network.pk) | Q(parent=scope.network))
    networks = networks.prefetch_related("themes").annotate(
        members=Count("memberships", distinct=True)
    )
    rows = [
        [
            n.name,
            n.get_kind_display(),
            n.convener.name if n.convener else "",
            ", ".join(t.name for t in n.themes.all()),
            n.members,
        ]
        for n in networks
    ]
    section.table(
        "Nätverk, råd och partnerskap",
        ["Namn", "Typ", "Sammankallande", "Teman", "Medlemmar"],
        rows,
        "Inga nätverk är registrerade för området under perioden.",
    )
    for n in networks:
        section.cite(n.name, n.source)
    if scope.kind != NETWORK:
        _agreements_table(section, scope, period, user)
    if scope.kind == NETWORK and scope.network is not None:
        meetings = scope.network.meetings.filter(
            date__gte=period.first_day, date__lte=period.last_day
        )
        section.heading("Möten")
        section.table(
            "Möten under perioden",
            ["Datum", "Plats", "Ämne", "Deltagare"],
            [[m.date, m.place, m.topic, m.attendance] for m in meetings],
            "Inga möten är registrerade under perioden.",
        )
        return section
    counties = [scope.county] if scope.county else list(County.objects.order_by("code"))
    if scope.kind == NATIONAL:
        section.heading("Luckor i ansvarsfördelningen per län")
        gap_rows = []
        for county in counties:
            matrix = selectors.responsibility_matrix(user=user, county=county)
            gap_rows.append(
                [
                    county.name,
                    len(matrix.rows),
                    ", ".join(s.theme.name for s in matrix.gaps),
                    ", ".join(s.theme.name for s in matrix.overlaps),
                ]
            )
        section.table(
            "Luckor och överlapp per län",
            ["Län", "Organisationer med ansvar", "Luckor (ingen leder)", "Överlapp"],
            gap_rows,
        )
        return section
    matrix = selectors.responsibility_matrix(user=user, county=counties[0])
    section.heading("Ansvarsmatris")
    if not matrix.rows:
        section.paragraph("Inga organisationer har angett ansvar för något tema.", note=True)
    else:
        labels = {value: str(label) for value, label in selectors.Responsibility.choices}
        section.table(
            "Ansvar per organisation och tema",
            ["Organisation", *(t.name for t in matrix.themes)],
            [
                [row.organisation.name, *(", ".join(labels[c] for c in cell) for cell in row.cells)]
                for row in matrix.rows
            ],
        )
    if matrix.gaps:
        section.paragraph(
            "Luckor – ingen organisation leder eller samordnar: "
            + ", ".join(s.theme.name for s in matrix.gaps)
            + "."
        )
    if matrix.overlaps:
        section.paragraph(
            "Överlapp – flera organisationer leder: "
            + "; ".join(
                f"{s.theme.name} ({', '.join(o.name for o in s.leaders)})" for s in matrix.overlaps
            )
            + "."
        )
    return section


def _agreements_table(section: Section, scope: Scope, period: Period, user: Any) -> None:
    """The agreements in force in the area during the period (a county's list includes the
    national ones), with their parties and the meetings held under them."""
    from samverkan.actors import selectors

    agreements = (
        selectors.agreement_list(user=user, county_code=scope.county.code if scope.county else "")
        .filter(period.dates_overlap_q("start_date", "end_date"))
        .prefetch_related("parties__organisation")
    )
    rows = []
    for a in agreements:
        meetings = [
            m
            for m in selectors.agreement_meetings(user=user, agreement=a)
            if m.date is not None and period.first_day <= m.date <= period.last_day
        ]
        rows.append(
            [
                a.name,
                a.get_kind_display(),
                ", ".join(p.display_name for p in a.parties.all() if p.role == "party") or "okänt",
                a.start_label if a.start_date else "okänt",
                len(meetings),
            ]
        )
        section.cite(a.name, a.source)
    section.heading("Överenskommelser")
    section.table(
        "Överenskommelser (nationella, RÖK, LÖK och IOP)",
        ["Överenskommelse", "Typ", "Parter", "Från", "Möten under perioden"],
        rows,
        "Inga överenskommelser är registrerade för området under perioden.",
    )


# --- Surveys ------------------------------------------------------------------------------------


@register_section(
    "surveys",
    "Enkäter och kartläggningar",
    position=30,
    summary=_lazy(
        "Periodens utskick med svarsfrekvens och namngivna svarande, och kartläggningarna: "
        "vilka som tillfrågades och vilka som svarade."
    ),
)
def surveys_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.surveys import selectors

    section = Section("surveys", "Enkäter och kartläggningar")
    campaigns = selectors.campaign_list(user=user).filter(
        deadline__gte=period.first_day, deadline__lte=period.last_day
    )
    if scope.kind == NETWORK and scope.network is not None:
        campaigns = campaigns.filter(owner_id=scope.network.owner_id)
    county = scope.county.code if scope.county else ""
    shown = 0
    for campaign in campaigns.order_by("deadline", "pk"):
        compilation = selectors.campaign_compile(campaign=campaign, county=county)
        if not compilation["respondents_total"]:
            continue
        shown += 1
        section.heading(campaign.title)
        text = f"{compilation['responded']} av {compilation['respondents_total']} har svarat."
        if compilation["missing"]:
            text += " Saknas: " + ", ".join(compilation["missing"]) + "."
        section.paragraph(text)
        for question in compilation["questions"]:
            label = question["label"] or question["name"]
            if "counts" in question:
                rows = [
                    [
                        question["labels"][name],
                        count,
                        ", ".join(question["respondents"][name]),
                    ]
                    for name, count in question["counts"].items()
                ]
                section.table(label, ["Svar", "Antal", "Svarande"], rows, "Inga svar.")
            else:
                rows = [[who, str(text)] for who, text in question["answers"].items()]
                section.table(label, ["Svarande", "Svar"], rows, "Inga svar.")
        section.cite(campaign.title, campaign.source or f"Enkät i Samverkan: {campaign.title}")
    if not shown:
        section.paragraph(
            "Inga enkäter med svarande i området avslutades under perioden.", note=True
        )
    if scope.kind != NETWORK:
        _mapping_rounds(section, scope, period, user)
    return section


def _mapping_rounds(section: Section, scope: Scope, period: Period, user: Any) -> None:
    """Mapping rounds held during the period: who was asked, who answered, what came of it."""
    from samverkan.projects import selectors as project_selectors

    rounds = project_selectors.mapping_round_list(
        user=user, county_code=scope.county.code if scope.county else ""
    ).filter(start_date__gte=period.first_day, start_date__lte=period.last_day)
    rows = []
    for mapping in rounds:
        answered = "; ".join(
            f"{g.label}: {project_selectors.mapping_group_text(g)}"
            + (
                " (svarade inte: " + ", ".join(o.name for o in g.non_respondents.all()) + ")"
                if g.non_respondents.all()
                else ""
            )
            for g in mapping.groups.all()
        )
        reported = mapping.projects_reported
        rows.append(
            [
                mapping.title,
                mapping.owner.name,
                answered,
                "okänt" if reported is None else reported,
            ]
        )
        section.cite(mapping.title, mapping.source)
    if rows:
        section.heading("Kartläggningar")
        section.table(
            "Kartläggningar under perioden",
            ["Kartläggning", "Genomförd av", "Tillfrågade och svar", "Inrapporterade projekt"],
            rows,
        )


# --- Strategies and action plans ----------------------------------------------------------------


@register_section(
    "plans",
    "Strategier och handlingsplaner",
    position=40,
    summary=_lazy(
        "Strategier och handlingsplaner med uppföljningsstatus och framsteg, och de "
        "försenade aktiviteterna med ansvarig och hur sena de är."
    ),
)
def plans_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.indicators.charts import ranked_bars
    from samverkan.plans import selectors
    from samverkan.plans.models import ActionPlan, ActivityStatus

    section = Section("plans", "Strategier och handlingsplaner")
    strategies = selectors.strategy_list(user=user).filter(
        (Q(period_start__isnull=True) | Q(period_start__lte=period.end))
        & (Q(period_end__isnull=True) | Q(period_end__gte=period.start))
    )
    if scope.kind == COUNTY and scope.county is not None:
        strategies = strategies.filter(Q(county=scope.county) | Q(owner__county=scope.county))
    elif scope.kind == NETWORK and scope.network is not None:
        strategies = strategies.filter(owner__network_memberships__network=scope.network).distinct()
    found = list(strategies.order_by("owner__name", "title"))
    if not found:
        section.paragraph("Inga strategier gäller för området under perioden.", note=True)
        return section
    section.table(
        "Strategier",
        ["Strategi", "Ägare", "Typ", "Nivå", "Status", "Period"],
        [
            [
                s.title,
                s.owner.name,
                s.get_kind_display(),
                s.get_level_display(),
                s.get_status_display(),
                s.period,
            ]
            for s in found
        ],
    )
    for s in found:
        section.cite(s.title, s.source)
    plans = ActionPlan.objects.filter(
        strategy__in=[s.pk for s in found],
        year_start__lte=period.end,
        year_end__gte=period.start,
    ).select_related("strategy", "strategy__owner")
    today = min(period.last_day, datetime.date.today())
    rows: list[list[Any]] = []
    bars: list[tuple[str, float | None]] = []
    late: list[tuple[Any, Any]] = []
    for plan in plans.order_by("strategy__title", "year_start", "pk"):
        activities = selectors.plan_activities(plan=plan)
        rollup = selectors.plan_rollup(plan=plan, activities=activities, today=today)
        late.extend((plan, a) for a in activities if a.is_overdue(today))
        rows.append(
            [
                plan.title,
                plan.strategy.title,
                plan.years,
                rollup.progress,
                rollup.counted,
                rollup.by_status.get(ActivityStatus.DONE, 0),
                rollup.by_status.get(ActivityStatus.STARTED, 0),
                rollup.by_status.get(ActivityStatus.PLANNED, 0),
                rollup.overdue,
            ]
        )
        bars.append((plan.title, rollup.progress))
    section.heading("Handlingsplanernas status")
    section.table(
        "Handlingsplaner",
        [
            "Plan",
            "Strategi",
            "År",
            "Framsteg (%)",
            "Aktiviteter",
            "Genomförda",
            "Påbörjade",
            "Planerade",
            "Försenade",
        ],
        rows,
        "Inga handlingsplaner gäller under perioden.",
    )
    _late_activities_table(section, late, today)
    if bars:
        _add_chart(
            section,
            "Handlingsplanernas framsteg (%)",
            lambda: ranked_bars(bars, title="Handlingsplanernas framsteg (%)"),
            "Stapeldiagram över framsteg per handlingsplan; samma värden som i tabellen ovan.",
        )
    return section


# Late activities are listed one by one up to this many, the longest overdue first.
MAX_LATE_LISTED = 100


def _late_activities_table(
    section: Section, late: list[tuple[Any, Any]], today: datetime.date
) -> None:
    """The activities whose end date has passed unfinished, by how late they are."""
    if not late:
        return
    late.sort(key=lambda pair: (pair[1].end_date, pair[0].title, pair[1].title))
    section.heading("Försenade aktiviteter")
    section.table(
        "Försenade aktiviteter",
        ["Aktivitet", "Handlingsplan", "Ansvarig", "Slutdatum", "Dagar sen", "Status"],
        [
            [
                activity.title,
                plan.title,
                activity.responsible_organisation.name
                if activity.responsible_organisation
                else "–",
                activity.end_date.isoformat(),
                (today - activity.end_date).days,
                activity.get_status_display(),
            ]
            for plan, activity in late[:MAX_LATE_LISTED]
        ],
    )
    if len(late) > MAX_LATE_LISTED:
        section.paragraph(
            f"{len(late) - MAX_LATE_LISTED} försenade aktiviteter till visas på "
            "handlingsplanernas sidor i Samverkan.",
            note=True,
        )


# --- Indicators and targets ---------------------------------------------------------------------


# An indicator's table in a report holds its latest periods; its chart draws the whole period.
TABLE_PERIODS = 12


@register_section(
    "indicators",
    "Indikatorer och mål",
    position=50,
    summary=_lazy(
        "Nyckelindikatorerna med områdets värde, kommunernas och rikets, ett diagram vardera "
        "och skillnaden mellan utrikes och inrikes födda där uppgifterna har den."
    ),
)
def indicators_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.indicators import charts, selectors
    from samverkan.indicators.models import AreaType, Observation
    from samverkan.indicators.periods import period_format

    section = Section("indicators", "Indikatorer och mål")
    first, last = period.start * 100, period.end * 100 + 99
    area = scope.county.code if scope.kind == COUNTY and scope.county else "0000"
    shown = 0
    for indicator in selectors.indicator_list(user=user).order_by("title"):
        breakdown = selectors.total_breakdown_id(indicator)
        if breakdown is None:
            if scope.kind != NATIONAL and _breakdown_table(section, indicator, area, first, last):
                shown += 1
                section.cite(indicator.title, _indicator_source(indicator))
            continue
        observed = Observation.objects.filter(
            indicator=indicator,
            breakdown_id=breakdown,
            period__gte=first,
            period__lte=last,
            value__isnull=False,
        )
        if scope.kind == NATIONAL:
            latest = (
                observed.filter(area_type=AreaType.COUNTY)
                .order_by("-period")
                .values_list("period", flat=True)
            ).first()
            if latest is None:
                continue
            shown += 1
            ranked = selectors.ranking(
                indicator=indicator,
                period=latest,
                breakdown_id=breakdown,
                area_type=AreaType.COUNTY,
            )
            title = f"{indicator.title}, {period_format(latest)}"
            section.heading(indicator.title)
            if selectors.illustrative(indicator):
                title += f" ({ILLUSTRATIVE_NOTE})"
                section.paragraph(ILLUSTRATIVE_NOTE + ".", note=True)
            section.table(
                title,
                ["Rang", "Län", f"Värde ({indicator.unit})"],
                [[r.rank, r.area_name, r.value] for r in ranked],
            )
            _add_chart(
                section,
                title,
                partial(charts.ranked_bars, [(r.area_name, r.value) for r in ranked], title=title),
                f"Stapeldiagram: {title} per län, samma värden som i tabellen.",
            )
        else:
            codes = [area, "0000"]
            if not observed.filter(area_code=area).exists():
                continue
            shown += 1
            values = selectors.series(
                indicator=indicator,
                area_codes=codes,
                breakdown_id=breakdown,
                first=first,
                last=last,
            )
            periods = sorted({p for points in values.values() for p, _v in points})
            section.heading(indicator.title)
            chart_title = indicator.title
            if selectors.illustrative(indicator):
                chart_title += f" ({ILLUSTRATIVE_NOTE})"
                section.paragraph(ILLUSTRATIVE_NOTE + ".", note=True)
            by_code = {code: dict(points) for code, points in values.items()}
            shown_periods = periods[-TABLE_PERIODS:]  # the chart below draws them all
            caption = f"{indicator.title} ({indicator.unit})"
            if len(periods) > len(shown_periods):
                caption += f", de senaste {len(shown_periods)} av {len(periods)} perioderna"
            columns = ["Period", *(selectors.area_name(c) for c in codes)]
            rows = [[period_format(p), *(by_code[c].get(p) for c in codes)] for p in shown_periods]
            gap = _birth_gap(indicator, area, first, last)
            if gap:
                name = selectors.area_name(area)
                columns += [
                    f"Född i Sverige ({name})",
                    f"Utrikes född ({name})",
                    "Skillnad (procentenheter)",
                ]
                for row, p in zip(rows, shown_periods, strict=True):
                    swedish, foreign = gap.get(p, (None, None))
                    difference = (
                        round(foreign - swedish, 1)
                        if swedish is not None and foreign is not None
                        else None
                    )
                    row += [swedish, foreign, difference]
            section.table(caption, columns, rows)
            named = {
                selectors.area_name(code): [(period_format(p), v) for p, v in points]
                for code, points in values.items()
            }
            if gap:  # the two groups as lines of their own beside the area and the nation
                name = selectors.area_name(area)
                for label, index in (("Född i Sverige", 0), ("Utrikes född", 1)):
                    named[f"{label} ({name})"] = [
                        (period_format(p), gap[p][index]) for p in periods if p in gap
                    ]
            _add_chart(
                section,
                indicator.title,
                partial(charts.time_series, named, title=chart_title),
                f"Linjediagram: {indicator.title} över tid för "
                + " och ".join(named)
                + "; samma värden som i tabellen.",
            )
        section.cite(indicator.title, _indicator_source(indicator))
    if not shown:
        section.paragraph("Inga indikatorvärden finns för området under perioden.", note=True)
    targets = selectors.target_list(user=user)
    if scope.kind == COUNTY and scope.county is not None:
        municipalities = list(scope.county.municipalities.values_list("code", flat=True))
        targets = targets.filter(area_code__in=[scope.county.code, *municipalities])
    elif scope.kind == NETWORK and scope.network is not None:
        targets = targets.filter(owner__network_memberships__network=scope.network).distinct()
    rows = []
    for target in targets.filter(target_year__gte=period.start):
        progress = selectors.target_progress(target)
        rows.append(
            [
                target.title,
                target.indicator.title,
                selectors.area_name(target.area_code),
                f"{target.baseline_value} ({target.baseline_year})",
                f"{target.target_value} ({target.target_year})",
                progress["latest_value"],
                progress["label"],
            ]
        )
    section.heading("Mål")
    section.table(
        "Mål och måluppfyllelse",
        ["Mål", "Indikator", "Område", "Utgångsläge", "Målvärde", "Senaste värde", "Läge"],
        rows,
        "Inga mål är satta för området.",
    )
    return section


def _birth_gap(
    indicator: Any, area: str, first: int, last: int
) -> dict[int, tuple[float | None, float | None]]:
    """Period → (Swedish-born, foreign-born) values of the area, when the indicator has both
    groups for the whole population (all sexes and ages); empty otherwise."""
    from samverkan.indicators import selectors

    groups: dict[str, int] = {
        b.birth_region: b.id
        for b in selectors.breakdowns_for(indicator)
        if b.sex == "T" and not (b.age_band or b.extra) and b.birth_region in ("sverige", "utrikes")
    }
    if len(groups) < 2:
        return {}
    swedish, foreign = (
        dict(
            selectors.series(
                indicator=indicator,
                area_codes=[area],
                breakdown_id=groups[region],
                first=first,
                last=last,
            ).get(area, [])
        )
        for region in ("sverige", "utrikes")
    )
    return {p: (swedish.get(p), foreign.get(p)) for p in set(swedish) | set(foreign)}


ILLUSTRATIVE_NOTE = "Illustrativa värden, genererade för demonstrationen – inte statistik"


def _indicator_source(indicator: Any) -> str:
    """The source a report cites for an indicator's values: the generator, not the
    indicator's statistical source, when the values are illustrative."""
    from samverkan.indicators import selectors

    source = indicator.source_note or indicator.get_source_kind_display()
    if selectors.illustrative(indicator):
        return f"{ILLUSTRATIVE_NOTE}. Indikatorns källa för riktiga värden: {source}"
    return source


def _breakdown_table(section: Section, indicator: Any, area: str, first: int, last: int) -> bool:
    """An indicator without a value for the whole population (e.g. population by age band):
    the area's and the nation's values by breakdown in the latest period of the report."""
    from samverkan.indicators import selectors
    from samverkan.indicators.models import Observation
    from samverkan.indicators.periods import period_format

    observed = Observation.objects.filter(
        indicator=indicator, period__gte=first, period__lte=last, value__isnull=False
    )
    latest = (
        observed.filter(area_code=area).order_by("-period").values_list("period", flat=True).first()
    )
    if latest is None:
        return False
    values: dict[tuple[int, str], float | None] = {
        (b, code): v
        for b, code, v in observed.filter(period=latest, area_code__in=[area, "0000"]).values_list(
            "breakdown_id", "area_code", "value"
        )
    }
    from samverkan.indicators.models import Breakdown

    breakdowns = Breakdown.objects.filter(pk__in={b for b, _c in values}).order_by(
        "sex", "age_band", "birth_region", "extra"
    )
    codes = [area, "0000"]
    section.heading(indicator.title)
    section.table(
        f"{indicator.title} ({indicator.unit}), {period_format(latest)}, per uppdelning "
        "(indikatorn har inget värde för hela befolkningen)",
        ["Uppdelning", *(selectors.area_name(c) for c in codes)],
        [[str(b), *(values.get((b.pk, c)) for c in codes)] for b in breakdowns],
    )
    return True


def _add_chart(section: Section, title: str, draw: Callable[[], str], alt: str) -> None:
    """Draw a chart; if drawing fails the report still builds and says the chart is missing."""
    try:
        svg = draw()
    except Exception:
        logger.exception("chart %r failed", title)
        section.paragraph(f"Diagrammet ”{title}” kunde inte ritas; se tabellen.", note=True)
        return
    section.chart(title, svg, alt)
