"""Writes and builds: report templates, report building, background generation, publishing."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actors.models import Network, Organisation
from samverkan.core import tenancy
from samverkan.core.jobs import job_enqueue
from samverkan.core.models import AuditEntry, Visibility
from samverkan.core.replica import replica_reads
from samverkan.core.reporting import registry
from samverkan.core.reporting.document import Report, Section
from samverkan.core.reporting.registry import KIND_LABELS, NETWORK, Period, Scope, sections_for
from samverkan.geo.models import County
from samverkan.reports.models import GeneratedReport, ReportFormat, ReportKind, ReportTemplate
from samverkan.reports.render import render

logger = logging.getLogger(__name__)

MIN_YEAR, MAX_YEAR = 1990, 2100
RECOMMENDATIONS_TITLE = "Utmaningar och rekommendationer"


def scope_resolve(
    *,
    user: Any,
    kind: str,
    county: County | str | None = None,
    network: Network | str | None = None,
) -> Scope:
    """A scope from its kind and county (code or object) or network (slug or object)."""
    if kind not in ReportKind.values:
        raise ValidationError(_("Okänd rapporttyp: %s.") % kind)
    if kind == ReportKind.COUNTY:
        if isinstance(county, str) or county is None:
            found = County.objects.filter(code=str(county or "").zfill(2)).first()
            if found is None:
                raise ValidationError(_("Välj ett län för en länsrapport."))
            county = found
        return Scope(kind, county=county)
    if kind == ReportKind.NETWORK:
        if isinstance(network, str) or network is None:
            found_network = (
                tenancy.readable(Network.objects.all(), user).filter(slug=network or "").first()
            )
            if found_network is None:
                raise ValidationError(_("Välj ett nätverk för en nätverksrapport."))
            network = found_network
        elif not tenancy.can_read(user, network):
            raise PermissionDenied
        return Scope(kind, network=network)
    return Scope(kind)


def period_resolve(*, year_start: int | None, year_end: int | None) -> Period:
    start = int(year_start or timezone.localdate().year)
    end = int(year_end or start)
    if not (MIN_YEAR <= start <= MAX_YEAR and MIN_YEAR <= end <= MAX_YEAR):
        raise ValidationError(_("Åren måste ligga mellan %d och %d.") % (MIN_YEAR, MAX_YEAR))
    if end < start:
        raise ValidationError(_("Slutåret kan inte ligga före startåret."))
    return Period(start, end)


def sections_resolve(*, kind: str, codes: list[str] | None) -> list[str]:
    """The chosen section codes in report order; all sections of the kind when none chosen."""
    available = [s.code for s in sections_for(kind)]
    if not codes:
        return available
    unknown = [c for c in codes if c not in available]
    if unknown:
        raise ValidationError(_("Okända avsnitt: %s.") % ", ".join(unknown))
    return [c for c in available if c in codes]


@dataclass(frozen=True)
class OutlineChapter:
    number: int
    title: str
    summary: str


@dataclass(frozen=True)
class Outline:
    """The chapters a report will have, shown before it is built (nothing is read but the
    scope's name: building is what takes the time)."""

    title: str
    period: str
    chapters: list[OutlineChapter]


def report_outline(
    *,
    user: Any,
    kind: str,
    county: County | None = None,
    network: Network | None = None,
    year_start: int | None = None,
    year_end: int | None = None,
    sections: list[str] | None = None,
    recommendations: str = "",
) -> Outline:
    """The chapters, in order, that ``generated_report_start`` with the same choices builds."""
    scope = scope_resolve(user=user, kind=kind, county=county, network=network)
    period = period_resolve(year_start=year_start, year_end=year_end)
    chosen = [registry.SECTIONS[code] for code in sections_resolve(kind=kind, codes=sections)]
    entries = [(s.title, str(s.summary)) for s in chosen]
    if recommendations.strip():
        entries.append(
            (RECOMMENDATIONS_TITLE, _("Er egen text ur formuläret, som rapportens sista kapitel."))
        )
    entries.append(("Källor", _("Numrerad förteckning över källorna som kapitlen hänvisar till.")))
    return Outline(
        title=f"{KIND_LABELS[scope.kind]}: {scope.label}",
        period=period.label,
        chapters=[
            OutlineChapter(number, title, summary)
            for number, (title, summary) in enumerate(entries, start=1)
        ],
    )


@replica_reads()
def report_build(
    *,
    scope: Scope,
    period: Period,
    sections: list[str],
    user: Any,
    snapshot_at: datetime.datetime | None = None,
    progress: Callable[[int, str], None] | None = None,
    recommendations: str = "",
) -> Report:
    """Build the report's sections; a section that fails says so instead of stopping the report."""
    snapshot_at = (snapshot_at or timezone.now()).replace(microsecond=0)
    built: list[Section] = []
    for index, code in enumerate(sections):
        section_type = registry.SECTIONS[code]
        if progress is not None:
            progress(5 + 80 * index // max(1, len(sections)), section_type.title)
        started = time.perf_counter()
        try:
            section = registry.section_build(code, scope, period, user)
        except Exception as exc:
            logger.exception("report section %s failed", code)
            section = Section(code, section_type.title)
            section.paragraph(
                _("Avsnittet kunde inte sammanställas (%s).") % type(exc).__name__, note=True
            )
        section.seconds = time.perf_counter() - started
        built.append(section)
    if recommendations.strip():
        built.append(_recommendations_section(recommendations))
    title = f"{KIND_LABELS[scope.kind]}: {scope.label}"
    subtitle = f"{scope.label}, {period.label}"
    return Report(title, subtitle, scope.label, period.label, snapshot_at, built)


def _recommendations_section(text: str) -> Section:
    """The author's own chapter (as the regions' report to the government ends with
    challenges and recommendations): paragraphs as written, separated by blank lines."""
    section = Section("recommendations", RECOMMENDATIONS_TITLE)
    section.paragraph(
        "Skrivet av rapportens författare; inte hämtat ur Samverkans uppgifter.", note=True
    )
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        section.paragraph(" ".join(paragraph.split()))
    return section


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def report_file(
    *,
    user: Any,
    kind: str,
    fmt: str,
    county: County | str | None = None,
    network: Network | str | None = None,
    year_start: int | None = None,
    year_end: int | None = None,
    sections: list[str] | None = None,
    snapshot_at: datetime.datetime | None = None,
) -> tuple[Report, bytes]:
    """Build and render a report at once (the command line, and the background task)."""
    if fmt not in ReportFormat.values:
        raise ValidationError(_("Okänt format: %s.") % fmt)
    scope = scope_resolve(user=user, kind=kind, county=county, network=network)
    period = period_resolve(year_start=year_start, year_end=year_end)
    codes = sections_resolve(kind=kind, codes=sections)
    report = report_build(
        scope=scope, period=period, sections=codes, user=user, snapshot_at=snapshot_at
    )
    return report, render(report, fmt)


# --- Templates ----------------------------------------------------------------------------------


def _template_fields(*, user: Any, fields: dict[str, Any]) -> dict[str, Any]:
    kind = fields["kind"]
    scope = scope_resolve(
        user=user, kind=kind, county=fields.get("county"), network=fields.get("network")
    )
    period = period_resolve(year_start=fields.get("year_start"), year_end=fields.get("year_end"))
    title = " ".join(str(fields.get("title") or "").split())
    if not title:
        raise ValidationError(_("Ange en titel."))
    return {
        "title": title[:200],
        "kind": kind,
        "county": scope.county,
        "network": scope.network if kind == NETWORK else None,
        "year_start": period.start,
        "year_end": period.end,
        "sections": sections_resolve(kind=kind, codes=fields.get("sections")),
    }


def template_create(
    *,
    user: Any,
    owner: Organisation,
    title: str,
    kind: str,
    year_start: int,
    year_end: int,
    sections: list[str] | None = None,
    county: County | str | None = None,
    network: Network | str | None = None,
    visibility: str = Visibility.PRIVATE,
) -> ReportTemplate:
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied
    values = _template_fields(user=user, fields=locals())
    template = ReportTemplate(owner=owner, visibility=visibility, **values)
    template.full_clean()
    template.save()
    return template


def template_update(*, user: Any, template: ReportTemplate, **fields: Any) -> ReportTemplate:
    if not tenancy.can_write(user, template):
        raise PermissionDenied
    merged = {
        "title": template.title,
        "kind": template.kind,
        "county": template.county,
        "network": template.network,
        "year_start": template.year_start,
        "year_end": template.year_end,
        "sections": template.sections,
        **fields,
    }
    for name, value in _template_fields(user=user, fields=merged).items():
        setattr(template, name, value)
    if "visibility" in fields:
        template.visibility = fields["visibility"]
    template.full_clean()
    template.save()
    return template


def template_delete(*, user: Any, template: ReportTemplate) -> None:
    if not tenancy.can_write(user, template):
        raise PermissionDenied
    template.delete()


# --- Generated reports (background jobs) --------------------------------------------------------


def generated_report_start(
    *,
    user: Any,
    owner: Organisation,
    kind: str,
    fmt: str,
    year_start: int,
    year_end: int,
    sections: list[str] | None = None,
    county: County | str | None = None,
    network: Network | str | None = None,
    template: ReportTemplate | None = None,
    public_data: bool = False,
    recommendations: str = "",
) -> GeneratedReport:
    """Record the report's inputs and snapshot time and enqueue its building."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied
    if fmt not in ReportFormat.values:
        raise ValidationError(_("Okänt format: %s.") % fmt)
    values = _template_fields(
        user=user,
        fields={
            "title": "-",
            "kind": kind,
            "county": county,
            "network": network,
            "year_start": year_start,
            "year_end": year_end,
            "sections": sections,
        },
    )
    scope = Scope(kind, values["county"], values["network"])
    period = Period(values["year_start"], values["year_end"])
    values["title"] = f"{KIND_LABELS[kind]}: {scope.label} {period.label}"
    with transaction.atomic():
        report = GeneratedReport.objects.create(
            owner=owner,
            visibility=Visibility.PRIVATE,
            template=template,
            format=fmt,
            public_data=public_data,
            recommendations=recommendations.strip(),
            snapshot_at=timezone.now().replace(microsecond=0),
            created_by=tenancy.db_user(user),
            **values,
        )
        report.job = job_enqueue("reports.generate", user=user, report_id=report.pk)
        report.save(update_fields=["job"])
    return report


def generated_report_run(
    *, report_id: int, progress: Callable[[int, str], None] | None = None
) -> GeneratedReport:
    """Build and store the file of a recorded report, reading as its creator (re-checked)."""
    report = GeneratedReport.objects.select_related("county", "network", "created_by").get(
        pk=report_id
    )
    creator = report.created_by
    reader: Any
    if report.public_data:
        reader = AnonymousUser()
    elif creator is None:
        reader = tenancy.SYSTEM
    else:
        tenancy.forget_cached_permissions(creator)
        if not tenancy.can_act_for(creator, report.owner_id):
            raise PermissionDenied("the creator may no longer act for the owner")
        reader = creator
    scope = Scope(report.kind, report.county, report.network)
    built = report_build(
        scope=scope,
        period=Period(report.year_start, report.year_end),
        sections=[c for c in report.sections if c in registry.SECTIONS],
        user=reader,
        snapshot_at=report.snapshot_at,
        progress=progress,
        recommendations=report.recommendations,
    )
    if progress is not None:
        progress(90, _("Skriver %s") % report.format.upper())
    data = render(built, report.format)
    report.content = data
    report.content_hash = content_hash(data)
    report.size = len(data)
    report.save(update_fields=["content", "content_hash", "size", "updated_at"])
    return report


def generated_report_publish(*, user: Any, report: GeneratedReport, publish: bool) -> None:
    """Show (or stop showing) a finished report on the organisation's public page."""
    if not tenancy.can_write(user, report):
        raise PermissionDenied
    if publish:
        if not report.is_done:
            raise ValidationError(_("Rapporten är inte färdig än."))
        if not report.public_data:
            raise ValidationError(_("Endast rapporter byggda på öppna uppgifter kan publiceras."))
    report.visibility = Visibility.PUBLIC if publish else Visibility.PRIVATE
    report.save(update_fields=["visibility", "updated_at"])
    AuditEntry.objects.create(
        action="reports.published" if publish else "reports.unpublished",
        user=tenancy.db_user(user),
        organisation_id=report.owner_id,
        data={"report": report.pk, "content_hash": report.content_hash},
    )


def generated_report_delete(*, user: Any, report: GeneratedReport) -> None:
    if not tenancy.can_write(user, report):
        raise PermissionDenied
    report.delete()
