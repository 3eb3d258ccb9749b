"""The plan with its status as PDF: tagged, Swedish, page numbers, timeline as vector graphics."""

import datetime
import re
import zlib

from django.template.loader import render_to_string

from samverkan.core import tenancy
from samverkan.plans import reports, selectors, services
from samverkan.plans.models import Activity


def _pdf_text(data: bytes) -> bytes:
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(chunks)


def _page_count(text: bytes) -> int:
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", text)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", text)]
    return max(counts, default=0)


def test_plan_pdf_is_tagged_swedish_with_pages(viewer_client, plan, activity):
    services.followup_create(
        activity=activity, user=tenancy.SYSTEM, status="paused", progress=40, comment="Ingen lokal"
    )
    response = viewer_client.get(f"/strategier/planer/{plan.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"handlingsplan-{plan.pk}.pdf" in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert b"/Lang (sv)" in text
    assert b"/StructTreeRoot" in text
    assert _page_count(text) >= 1


def test_plan_document_has_status_timeline_and_reasons(plan, activity):
    services.followup_create(
        activity=activity, user=tenancy.SYSTEM, status="paused", progress=40, comment="Ingen lokal"
    )
    activities = selectors.plan_activities(plan=plan)
    rollup = selectors.plan_rollup(plan=plan, activities=activities)
    html = render_to_string(
        "plans/plan_document.html",
        reports.plan_document_context(plan, rollup, today=datetime.date(2016, 12, 31)),
    )
    assert '<html lang="sv">' in html
    assert 'counter(page) " av " counter(pages)' in html
    assert "<svg" in html and "tidslinje" in html
    assert "Språkcafé" in html and "Pausad" in html and "Ingen lokal" in html
    assert "Framsteg: 40,0 %" in html or "Framsteg: 40.0 %" in html
    assert "Försenad" in html  # ended 2016-09-01, paused, on 2016-12-31


def test_long_plan_timeline_is_split_into_page_sized_parts(plan):
    Activity.objects.bulk_create(
        Activity(
            plan=plan,
            title=f"Aktivitet {n}",
            position=n,
            start_date=datetime.date(2016, 1, 1) + datetime.timedelta(days=n),
            end_date=datetime.date(2016, 6, 1) + datetime.timedelta(days=n),
        )
        for n in range(1, 101)
    )
    activities = selectors.plan_activities(plan=plan)
    rollup = selectors.plan_rollup(plan=plan, activities=activities)
    context = reports.plan_document_context(plan, rollup)
    assert len(context["timelines"]) == 3  # 40 + 40 + 20 rows
    assert "(del 3)" in context["timelines"][2]
    data = reports.plan_pdf(plan, rollup)
    assert _page_count(_pdf_text(data)) >= 4


def test_private_plan_pdf_denied_to_other_organisation(outsider_client, private_strategy):
    plan = services.plan_create(
        strategy=private_strategy, user=tenancy.SYSTEM, title="Intern plan", year_start=2020
    )
    response = outsider_client.get(f"/strategier/planer/{plan.pk}/export.pdf")
    assert response.status_code == 404
