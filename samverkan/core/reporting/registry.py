"""The report section registry: what a report covers (``Scope``, ``Period``) and the sections
apps register for it.

A section is a function ``(scope, period, user) -> Section`` registered with
``@register_section`` in a module its app imports from ``AppConfig.ready()``
(``<app>/report_section.py``); it reads through the app's own selectors, so tenancy decides
what the user sees, and returns blocks (``core.reporting.document``), never HTML. An app adds
blocks to another app's section with ``@register_section_part``. The ``reports`` app builds
and renders reports from this registry and imports no section itself.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise

from samverkan.core.reporting.document import Section

logger = logging.getLogger(__name__)

StrOrPromise = str | Promise  # a string or a lazy translation

COUNTY, NATIONAL, NETWORK = "county", "national", "network"
KIND_LABELS = {COUNTY: "Länsrapport", NATIONAL: "Nationell rapport", NETWORK: "Nätverksrapport"}


@dataclass(frozen=True)
class Scope:
    """What the report covers: one county, the whole country, or one network."""

    kind: str
    county: Any = None  # a geo County
    network: Any = None  # an actors Network

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
    summary: StrOrPromise = ""  # what the chapter holds, for the outline shown before a build


SECTIONS: dict[str, SectionType] = {}
PartFunc = Callable[[Section, Scope, Period, Any], None]
PARTS: dict[str, list[tuple[int, PartFunc]]] = {}


def register_section(
    code: str,
    title: str,
    *,
    kinds: tuple[str, ...] = (COUNTY, NATIONAL, NETWORK),
    position: int = 100,
    summary: StrOrPromise = "",
) -> Callable[[SectionFunc], SectionFunc]:
    """Register ``func(scope, period, user) -> Section`` as the section ``code``; ``summary``
    says in a sentence what the chapter holds (a lazy translation: it is shown in the UI)."""

    def register(func: SectionFunc) -> SectionFunc:
        SECTIONS[code] = SectionType(code, title, func, kinds, position, summary)
        return func

    return register


def register_section_part(code: str, *, position: int = 100) -> Callable[[PartFunc], PartFunc]:
    """Register ``func(section, scope, period, user)`` to add blocks to the section ``code``
    after its own function: how an app contributes to another app's chapter without the two
    importing each other (the mapping rounds of the projects app in the surveys chapter)."""

    def register(func: PartFunc) -> PartFunc:
        PARTS.setdefault(code, []).append((position, func))
        PARTS[code].sort(key=lambda item: item[0])
        return func

    return register


def section_parts(code: str) -> list[PartFunc]:
    return [func for _position, func in PARTS.get(code, [])]


def section_build(code: str, scope: Scope, period: Period, user: Any) -> Section:
    """The section ``code`` as its function builds it, with the parts other apps add."""
    section = SECTIONS[code].func(scope, period, user)
    for part in section_parts(code):
        part(section, scope, period, user)
    return section


def sections_for(kind: str) -> list[SectionType]:
    return sorted(
        (s for s in SECTIONS.values() if kind in s.kinds), key=lambda s: (s.position, s.code)
    )


def section_choices(kind: str | None = None) -> list[tuple[str, str]]:
    types = sections_for(kind) if kind else sorted(SECTIONS.values(), key=lambda s: s.position)
    return [(s.code, s.title) for s in types]


def label_of(choices: Any, value: str) -> str:
    """The display label of ``value`` among Django ``choices`` (the value when unknown)."""
    return str(dict(choices).get(value, value))


def add_chart(section: Section, title: str, draw: Callable[[], str], alt: str) -> None:
    """Draw a chart; if drawing fails the report still builds and says the chart is missing."""
    try:
        svg = draw()
    except Exception:
        logger.exception("chart %r failed", title)
        section.paragraph(f"Diagrammet ”{title}” kunde inte ritas; se tabellen.", note=True)
        return
    section.chart(title, svg, alt)
