"""Decision letters (beslutsbrev) as PDF (WeasyPrint) and DOCX (python-docx).

For a whole call the letters are laid out together, a batch at a time, in one WeasyPrint
document, and each letter's pages are then written as its own PDF: layout and font loading
happen once per batch instead of once per letter (about five times faster for 2,000 letters).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from samverkan.funding.models import Application, Decision, FundingReport
from samverkan.funding.services import kr

BATCH = 100
LETTER_CSS = """
@page { size: A4; margin: 2.2cm 2cm; @bottom-right { content: counter(page); font-size: 9pt; } }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; line-height: 1.45; }
section.letter { break-after: page; }
h1 { font-size: 16pt; margin: 1.2em 0 0.6em; }
h2 { font-size: 11.5pt; margin: 1em 0 0.3em; }
.sender { font-size: 9pt; color: #333; }
dl { display: block; } dt { font-weight: bold; float: left; width: 11em; } dd { margin-left: 11em; }
"""


def letter_context(application: Application) -> dict[str, Any]:
    decision: Decision = application.decision
    reports: Sequence[FundingReport] = application.reports.all()
    return {
        "application": application,
        "call": application.call,
        "decision": decision,
        "granted": decision.is_granted,
        "amount": kr(decision.amount),
        "requested": kr(application.requested_amount),
        "decided_on": timezone.localtime(decision.decided_at).date().isoformat(),
        "reports": reports,
        "anchor": f"letter-{application.pk}",
    }


def _letter_fragment(application: Application) -> str:
    return render_to_string("funding/_letter.html", letter_context(application))


def _document(fragments: Sequence[str], title: str) -> str:
    return (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{LETTER_CSS}</style></head><body>{''.join(fragments)}</body></html>"
    )


def _weasyprint() -> Any:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint


def letter_pdf(application: Application) -> bytes:
    weasyprint = _weasyprint()
    html = _document([_letter_fragment(application)], f"Beslut – {application.title}")
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def letters_pdf(applications: Sequence[Application]) -> list[bytes]:
    """One PDF per application, laid out together."""
    if not applications:
        return []
    weasyprint = _weasyprint()
    html = _document([_letter_fragment(a) for a in applications], "Beslut")
    document = weasyprint.HTML(string=html).render()
    starts: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    first_pages = [starts[f"letter-{a.pk}"] for a in applications]
    bounds = [*first_pages[1:], len(document.pages)]
    return [
        document.copy(document.pages[start:end]).write_pdf(
            pdf_variant="pdf/ua-1", uncompressed_pdf=True
        )
        for start, end in zip(first_pages, bounds, strict=True)
    ]


def letter_docx(application: Application) -> bytes:
    import docx

    context = letter_context(application)
    decision: Decision = context["decision"]
    document = docx.Document()
    properties = document.core_properties
    properties.title = f"Beslut – {application.title}"
    properties.author = application.call.owner.name
    properties.language = "sv-SE"
    document.add_paragraph(application.call.owner.name)
    document.add_paragraph(f"Beslutsdatum: {context['decided_on']}")
    document.add_paragraph(f"Till: {application.owner.name}")
    document.add_heading(f"Beslut om projektstöd: {application.title}", level=1)
    document.add_paragraph(f"Utlysning: {application.call.title}")
    document.add_paragraph(f"Beslut: {decision.get_outcome_display()}")
    document.add_paragraph(f"Sökt belopp: {context['requested']}")
    if decision.is_granted:
        document.add_paragraph(f"Beviljat belopp: {context['amount']}")
    if decision.reasons:
        document.add_heading("Motivering", level=2)
        document.add_paragraph(decision.reasons)
    if decision.is_granted:
        if decision.conditions:
            document.add_heading("Villkor", level=2)
            document.add_paragraph(decision.conditions)
        if context["reports"]:
            document.add_heading("Återrapportering", level=2)
            for report in context["reports"]:
                document.add_paragraph(
                    f"{report.get_kind_display()} senast {report.due_date.isoformat()}",
                    style="List Bullet",
                )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def decisions_for_letters(call_id: int) -> Any:
    return (
        Application.objects.filter(call_id=call_id, decision__isnull=False)
        .select_related("call__owner", "owner", "decision")
        .prefetch_related(Prefetch("reports", queryset=FundingReport.objects.order_by("due_date")))
        .order_by("pk")
    )


def letters_generate(*, call_id: int, progress: Callable[[int, str], None]) -> int:
    """Generate (again) the PDF and DOCX letter of every decided application of the call."""
    applications = list(decisions_for_letters(call_id))
    total = len(applications)
    done = 0
    for start in range(0, total, BATCH):
        batch = applications[start : start + BATCH]
        pdfs = letters_pdf(batch)
        now = timezone.now()
        decisions = []
        for application, pdf in zip(batch, pdfs, strict=True):
            decision = application.decision
            decision.letter_pdf = pdf
            decision.letter_docx = letter_docx(application)
            decision.letter_generated_at = now
            decisions.append(decision)
        Decision.objects.bulk_update(
            decisions, ["letter_pdf", "letter_docx", "letter_generated_at"], batch_size=50
        )
        done += len(batch)
        progress(round(100 * done / total), f"{done} av {total} beslutsbrev")
    return total
