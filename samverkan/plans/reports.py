"""Files made from plans and consultations: the plan with its status as XLSX and PDF (with the
RUS and growth agreements it takes its starting point in), and the consultation compilation
(remissammanställning) as XLSX or DOCX."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.core.tables import safe_cell, write_xlsx
from samverkan.plans.models import ActionPlan, Activity, Consultation, Strategy
from samverkan.plans.selectors import RollUp

PLAN_COLUMNS = (
    "Nr",
    "Aktivitet",
    "Beskrivning",
    "Mål",
    "Ansvarig organisation",
    "Ansvarig enhet",
    "Samverkanspartner",
    "Start",
    "Slut",
    "Varaktighet (mån)",
    "Budget (kr)",
    "Timmar",
    "Målgrupper",
    "Status",
    "Skäl",
    "Framsteg (%)",
    "Försenad",
    "Barn- och jämställdhetskonsekvenser",
    "Senaste avstämning",
    "Kommentar",
)


def activity_row(activity: Activity, today: datetime.date) -> dict[str, Any]:
    latest = activity.follow_ups.all()[0] if activity.follow_ups.all() else None
    return {
        "Nr": activity.position,
        "Aktivitet": activity.title,
        "Beskrivning": activity.description,
        "Mål": [g.title for g in activity.goals.all()],
        "Ansvarig organisation": str(activity.responsible_organisation or ""),
        "Ansvarig enhet": activity.responsible_unit,
        "Samverkanspartner": [p.name for p in activity.partners.all()],
        "Start": activity.start_date,
        "Slut": activity.end_date,
        "Varaktighet (mån)": activity.duration_months,
        "Budget (kr)": int(activity.budget) if activity.budget is not None else None,
        "Timmar": activity.hours,
        "Målgrupper": [t.name for t in activity.target_groups.all()],
        "Status": str(activity.get_status_display()),
        "Skäl": activity.status_reason,
        "Framsteg (%)": activity.progress,
        "Försenad": "ja" if activity.is_overdue(today) else "",
        "Barn- och jämställdhetskonsekvenser": activity.impact_note,
        "Senaste avstämning": latest.date if latest else None,
        "Kommentar": latest.comment if latest else "",
    }


def plan_development(plan: ActionPlan, user: Any, *, every_reader: bool = False) -> list[Strategy]:
    """The regional development strategies (RUS) and growth agreements the plan takes its
    starting point in, its own and its strategy's, as far as ``user`` may read them (``None``:
    only published ones).

    ``every_reader``: for a file kept for whoever may read the plan (the PDF built in the
    background), only those every such reader may read as well: published ones for a published
    plan, those of all signed-in users for an internal one, and for a private one also the
    private ones of the plan's own organisation."""
    readable = tenancy.readable(Strategy.objects.select_related("owner"), user)
    chosen = readable.filter(
        Q(pk__in=plan.builds_on.values("pk")) | Q(pk__in=plan.strategy.builds_on.values("pk"))
    )
    if every_reader:
        strategy = plan.strategy
        if strategy.visibility == Visibility.PUBLIC:
            chosen = chosen.filter(visibility=Visibility.PUBLIC)
        elif strategy.visibility == Visibility.INTERNAL:
            chosen = chosen.filter(visibility__in=[Visibility.PUBLIC, Visibility.INTERNAL])
        else:
            chosen = chosen.filter(
                Q(visibility__in=[Visibility.PUBLIC, Visibility.INTERNAL])
                | Q(owner_id=strategy.owner_id)
            )
    return list(chosen.order_by("title", "pk"))


def plan_xlsx(
    plan: ActionPlan,
    rollup: RollUp,
    today: datetime.date | None = None,
    *,
    user: Any = None,
) -> bytes:
    """The plan with its status; the RUS and growth agreements it starts from are those
    ``user`` may read."""
    today = today or datetime.date.today()
    activities = plan.activities.select_related("responsible_organisation").prefetch_related(
        "goals", "partners", "target_groups", "follow_ups"
    )
    summary: list[dict[str, Any]] = [
        {"Uppgift": "Strategi", "Värde": plan.strategy.title},
        {"Uppgift": "Plan", "Värde": plan.title},
        {"Uppgift": "År", "Värde": plan.years},
        {
            "Uppgift": "Tar sin utgångspunkt i",
            "Värde": [
                f"{d.title} ({d.get_kind_display()}, {d.owner.name})"
                for d in plan_development(plan, user)
            ],
        },
        {"Uppgift": "Framsteg (%)", "Värde": rollup.progress},
        {"Uppgift": "Viktning", "Värde": str(plan.get_weighting_display())},
        {"Uppgift": "Aktiviteter som räknas", "Värde": rollup.counted},
        {"Uppgift": "Försenade", "Värde": rollup.overdue},
        {"Uppgift": "Budget totalt (kr)", "Värde": int(rollup.budget_total)},
        {"Uppgift": "Timmar totalt", "Värde": rollup.hours_total},
        {"Uppgift": "Utdrag", "Värde": today.isoformat()},
    ]
    out = io.BytesIO()
    write_xlsx(
        [
            ("Sammanfattning", ("Uppgift", "Värde"), summary),
            ("Aktiviteter", PLAN_COLUMNS, (activity_row(a, today) for a in activities)),
        ],
        out,
    )
    return out.getvalue()


COMPILATION_COLUMNS = (
    "Avsnitt",
    "Remissinstans",
    "Citerat stycke",
    "Synpunkt",
    "Ställningstagande",
    "Motivering",
    "Inkom",
)


def compilation_rows(consultation: Consultation) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for invite in consultation.invites.select_related("organisation").prefetch_related(
        "comments__section"
    ):
        if invite.no_comments:
            rows.append(
                {
                    "Avsnitt": "",
                    "Remissinstans": invite.organisation.name,
                    "Synpunkt": "Inga synpunkter",
                    "Inkom": invite.responded_at,
                }
            )
        elif invite.responded_at is None:
            rows.append(
                {
                    "Avsnitt": "",
                    "Remissinstans": invite.organisation.name,
                    "Synpunkt": "(har inte svarat)",
                }
            )
        for comment in invite.comments.all():
            rows.append(
                {
                    "Avsnitt": comment.section.heading if comment.section else "Hela förslaget",
                    "Remissinstans": invite.organisation.name,
                    "Citerat stycke": comment.passage,
                    "Synpunkt": comment.text,
                    "Ställningstagande": str(comment.get_decision_display()),
                    "Motivering": comment.decision_reason,
                    "Inkom": comment.created_at,
                }
            )
    order = {s.heading: s.position for s in consultation.sections.all()}
    rows.sort(
        key=lambda r: (order.get(r["Avsnitt"], 0 if not r["Avsnitt"] else 999), r["Remissinstans"])
    )
    return rows


def compilation_xlsx(consultation: Consultation) -> bytes:
    out = io.BytesIO()
    rows = [
        {
            k: (v.replace(tzinfo=None) if isinstance(v, datetime.datetime) else v)
            for k, v in r.items()
        }
        for r in compilation_rows(consultation)
    ]
    write_xlsx([("Remissammanställning", COMPILATION_COLUMNS, rows)], out)
    return out.getvalue()


def compilation_docx(consultation: Consultation) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(f"Remissammanställning: {consultation.title}", level=0)
    invites = list(consultation.invites.select_related("organisation"))
    answered = [i for i in invites if i.responded_at]
    document.add_paragraph(f"{len(answered)} av {len(invites)} remissinstanser har svarat.")
    missing = [i.organisation.name for i in invites if not i.responded_at]
    if missing:
        document.add_paragraph("Har inte svarat: " + ", ".join(missing))
    no_comments = [i.organisation.name for i in invites if i.no_comments]
    if no_comments:
        document.add_paragraph("Inga synpunkter: " + ", ".join(no_comments))
    rows = [r for r in compilation_rows(consultation) if r.get("Ställningstagande")]
    current = None
    for row in rows:
        if row["Avsnitt"] != current:
            current = row["Avsnitt"]
            document.add_heading(current, level=1)
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{row['Remissinstans']}: ").bold = True
        if row.get("Citerat stycke"):
            paragraph.add_run(f"”{row['Citerat stycke']}” ").italic = True
        paragraph.add_run(str(safe_cell(row["Synpunkt"])))
        verdict = f"{row['Ställningstagande']}" + (
            f" – {row['Motivering']}" if row["Motivering"] else ""
        )
        document.add_paragraph(verdict, style="Intense Quote")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


TIMELINE_ROWS_PER_PAGE = 40


def plan_document_context(
    plan: ActionPlan,
    rollup: RollUp,
    today: datetime.date | None = None,
    *,
    user: Any = None,
    every_reader: bool = False,
) -> dict[str, Any]:
    """What the printable plan shows: summary with the roll-up, the RUS and growth agreements it
    starts from (those ``user`` may read), status counts, progress per focus area, the timeline
    (in page-sized parts) and every activity with its latest follow-up."""
    from django.utils.safestring import mark_safe

    from samverkan.plans.models import ActivityStatus
    from samverkan.plans.timeline import plan_timeline_svg, timeline_bounds

    today = today or datetime.date.today()
    activities = list(
        plan.activities.select_related("responsible_organisation").prefetch_related(
            "goals__focus_area", "partners", "target_groups", "follow_ups"
        )
    )
    bounds = timeline_bounds(plan, activities)
    chunks = [
        activities[i : i + TIMELINE_ROWS_PER_PAGE]
        for i in range(0, len(activities), TIMELINE_ROWS_PER_PAGE)
    ] or [[]]
    timelines = [
        mark_safe(  # noqa: S308  (every text is escaped in timeline.py) # nosec B308, B703
            plan_timeline_svg(plan, chunk, today, bounds=bounds, part=n if len(chunks) > 1 else 0)
        )
        for n, chunk in enumerate(chunks, start=1)
    ]
    rows: list[dict[str, Any]] = []
    for activity in activities:
        follow_ups = list(activity.follow_ups.all())
        rows.append(
            {
                "activity": activity,
                "overdue": activity.is_overdue(today),
                "latest": follow_ups[0] if follow_ups else None,
            }
        )
    return {
        "plan": plan,
        "strategy": plan.strategy,
        "development": plan_development(plan, user, every_reader=every_reader),
        "rollup": rollup,
        "today": today,
        "rows": rows,
        "timelines": timelines,
        "status_counts": [
            (label, rollup.by_status.get(value, 0)) for value, label in ActivityStatus.choices
        ],
        "reasons": [r for r in rows if r["activity"].status_reason],
    }


def plan_pdf(
    plan: ActionPlan,
    rollup: RollUp,
    today: datetime.date | None = None,
    progress: Callable[[int, str], None] | None = None,
    *,
    user: Any = None,
    every_reader: bool = False,
) -> bytes:
    """The plan with its status as a tagged PDF (WeasyPrint, as the compiled reports): language
    sv, real headings, page numbers "Sida x av y", the timeline as vector graphics.

    ``progress(percent, message)`` is told when each step starts (the background job shows it):
    the page layout is most of the time, writing the file the rest."""
    import logging

    import weasyprint
    from django.template.loader import render_to_string

    def step(percent: int, message: str) -> None:
        if progress is not None:
            progress(percent, message)

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    step(10, _("Sammanställer planen"))
    html = render_to_string(
        "plans/plan_document.html",
        plan_document_context(plan, rollup, today, user=user, every_reader=every_reader),
    )
    step(20, _("Sätter sidorna"))
    document = weasyprint.HTML(string=html, base_url=None).render(pdf_variant="pdf/ua-1")
    step(85, _("Skriver PDF (%d sidor)") % len(document.pages))
    return document.write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]
