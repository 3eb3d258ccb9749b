"""The county page's sections about networks, responsibilities and the map."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils.safestring import mark_safe

from samverkan.actors import graph, selectors
from samverkan.actors.models import Responsibility

register = template.Library()

LABELS = dict(Responsibility.choices)


@register.inclusion_tag("actors/_county_sections.html", takes_context=True)
def county_network_sections(context: dict[str, Any], county: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    networks = selectors.network_list(user=user, county_code=county.code).annotate(
        member_count=Count("memberships", filter=Q(memberships__end_date__isnull=True))
    )
    matrix = selectors.responsibility_matrix(user=user, county=county)
    rows = []
    for row in matrix.rows:
        cells = []
        for summary, cell, roles in zip(matrix.summaries, row.cells, row.roles, strict=True):
            css = ""
            if Responsibility.LEADS in cell and summary.overlap:
                css = "matrix-overlap"
            elif Responsibility.LEADS in cell or Responsibility.COORDINATES in cell:
                css = "matrix-lead"
            cells.append(
                {"text": ", ".join(str(LABELS[c]) for c in cell), "roles": roles, "css": css}
            )
        rows.append({"organisation": row.organisation, "cells": cells})
    payload = graph.graph_payload(user=user, county_code=county.code)
    return {
        "county": county,
        "user": user,
        "networks": networks,
        "agreements": selectors.agreement_list(user=user, county_code=county.code),
        "matrix": matrix,
        "matrix_rows": rows,
        "mandates": selectors.county_mandates(user=user, county=county),
        "payload": payload,
        "svg_limit": graph.SVG_NODE_LIMIT,
        "svg": mark_safe(graph.graph_svg(payload)),  # noqa: S308  (built with escape()) # nosec B308, B703
        "csrf_token": context.get("csrf_token"),
    }
