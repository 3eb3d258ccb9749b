from __future__ import annotations

from typing import Any

from django import template

from samverkan.reports.render import cell_text

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    return cell_text(value)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.inclusion_tag("reports/_published.html", takes_context=True)
def published_reports(context: dict[str, Any], organisation: Any) -> dict[str, Any]:
    """The organisation's published reports, for its public page."""
    from samverkan.reports.selectors import published_for

    return {"reports": published_for(organisation=organisation)}


@register.filter
def print_parts(table: Any, pdf: bool) -> list[Any]:
    """A table as printed (column groups that fit the page) or, on screen, whole."""
    return table.column_groups() if pdf else [table]


@register.filter
def source_numbers(report: Any, section: Any) -> str:
    """The numbers of the sources a section cites in the report's list: "[1], [4]"."""
    return ", ".join(f"[{n}]" for n in report.source_numbers(section))
