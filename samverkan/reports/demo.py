"""Demo report templates: the county board's yearly account and the national compilation."""

from __future__ import annotations

from dataclasses import dataclass

from samverkan.actors.models import Organisation
from samverkan.core.models import Visibility
from samverkan.core.reporting.registry import section_choices
from samverkan.geo.models import County
from samverkan.reports.models import ReportTemplate

DEMO_TEMPLATES = [
    # (owner code, title, kind, county code); the seeds are compiled reports of these kinds
    ("lst-12", "Integrationsarbetet i Skåne län", "county", "12"),
    ("lst-12", "Regionernas integrationsarbete i hela landet", "national", ""),
]


@dataclass
class ReportsDemoResult:
    templates_created: int


def reports_demo_load() -> ReportsDemoResult:
    """Create the demo templates if missing (idempotent)."""
    created = 0
    for owner_code, title, kind, county_code in DEMO_TEMPLATES:
        owner = Organisation.objects.filter(code=owner_code).first()
        if owner is None:
            continue
        _template, was_created = ReportTemplate.objects.get_or_create(
            owner=owner,
            title=title,
            defaults={
                "kind": kind,
                "county": County.objects.filter(code=county_code).first(),
                "year_start": 2023,
                "year_end": 2024,
                "sections": [code for code, _title in section_choices(kind)],
                "visibility": Visibility.INTERNAL,
            },
        )
        created += was_created
    return ReportsDemoResult(templates_created=created)
