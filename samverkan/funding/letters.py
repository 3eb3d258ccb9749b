"""Decision letters (beslutsbrev) as PDF (WeasyPrint) and DOCX (python-docx).

For a whole call the letters are laid out together, a batch at a time, in one WeasyPrint
document, and each letter's pages are then written as its own PDF: layout and font loading
happen once per batch instead of once per letter; with many letters the batches are laid out
in a pool of processes (``pdf_worker``). The DOCX letters reuse one python-docx skeleton.
"""

from __future__ import annotations

import functools
import io
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any
from xml.sax.saxutils import escape as xml_escape  # nosec B406 (escaping only, nothing is parsed)

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.funding import pdf_worker
from samverkan.funding.models import Application, Decision, FundingReport
from samverkan.funding.services.common import kr

BATCH = 100
LETTER_CSS = """
@page { size: A4; margin: 2.2cm 2cm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; line-height: 1.45; }
section.letter { break-after: page; }
h1 { font-size: 16pt; margin: 1.2em 0 0.6em; }
h2 { font-size: 11.5pt; margin: 1em 0 0.3em; }
.sender { font-size: 9pt; color: #333; }
dt { font-weight: bold; } dd { margin: 0 0 0.3em 0; }
"""


def letter_context(application: Application) -> dict[str, Any]:
    decision: Decision = application.decision
    reports = list(application.reports.all())
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
        f'<!doctype html><html lang="{(get_language() or "sv")[:2]}"><head>'
        f'<meta charset="utf-8"><title>{title}</title>'
        f"<style>{LETTER_CSS}</style></head><body>{''.join(fragments)}</body></html>"
    )


def letter_pdf(application: Application) -> bytes:
    """One letter on its own (a download before the batch job has run)."""
    return letters_pdf([application])[0]


def letters_pdf(applications: Sequence[Application]) -> list[bytes]:
    """One PDF per application, laid out together."""
    if not applications:
        return []
    return pdf_worker.batch_pdfs(*_batch_html(applications))


def _batch_html(applications: Sequence[Application]) -> tuple[str, list[str]]:
    html = _document([_letter_fragment(a) for a in applications], _("Beslut"))
    return html, [f"letter-{a.pk}" for a in applications]


def _line(label: str, value: Any) -> str:
    return f"{label}: {value}"


def _docx_paragraphs(application: Application) -> list[tuple[str, str]]:
    """The letter as (style, text) paragraphs; style "" is the normal style."""
    context = letter_context(application)
    decision: Decision = context["decision"]
    paragraphs = [
        ("", application.call.owner.name),
        ("", _line(_("Beslutsdatum"), context["decided_on"])),
        ("", _line(_("Till"), application.owner.name)),
        ("Heading1", _("Beslut om projektstöd: %(title)s") % {"title": application.title}),
        ("", _line(_("Utlysning"), application.call.title)),
        ("", _line(_("Beslut"), decision.get_outcome_display())),
        ("", _line(_("Sökt belopp"), context["requested"])),
    ]
    if decision.is_granted:
        paragraphs.append(("", _line(_("Beviljat belopp"), context["amount"])))
    if decision.reasons:
        paragraphs.append(("Heading2", _("Motivering")))
        paragraphs += [("", line) for line in decision.reasons.splitlines() if line.strip()]
    if decision.is_granted:
        if decision.conditions:
            paragraphs.append(("Heading2", _("Villkor")))
            paragraphs += [("", line) for line in decision.conditions.splitlines() if line.strip()]
        if context["reports"]:
            paragraphs.append(("Heading2", _("Återrapportering")))
            paragraphs += [
                (
                    "ListBullet",
                    _("%(kind)s senast %(due)s")
                    % {"kind": r.get_kind_display(), "due": r.due_date.isoformat()},
                )
                for r in context["reports"]
            ]
    return paragraphs


@functools.cache
def _docx_skeleton() -> tuple[dict[str, bytes], str, str]:
    """The parts of an empty python-docx document with Swedish as proofing language, the opening
    of its document.xml and its section properties: each letter only writes its own body."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))  # type: ignore[union-attr]
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "sv-SE")
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    head = body[: body.index("<w:body>") + len("<w:body>")]
    sect = re.search(r"<w:sectPr.*</w:sectPr>", body, re.S)
    return parts, head, sect.group(0) if sect else ""


CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
    "<cp:lastModifiedBy>Samverkan</cp:lastModifiedBy><dc:language>sv-SE</dc:language>"
    "<cp:revision>1</cp:revision></cp:coreProperties>"
)


def letter_docx(application: Application) -> bytes:
    """The letter as DOCX: python-docx's empty document (styles, numbering) with the letter's
    paragraphs as its body; writing the body directly is ten times faster than building each
    letter with python-docx, which matters for a call's thousands of letters."""
    parts, head, sect = _docx_skeleton()
    body = "".join(
        "<w:p>"
        + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + f'<w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'
        for style, text in _docx_paragraphs(application)
    )
    replaced = {
        "word/document.xml": f"{head}{body}{sect}</w:body></w:document>".encode(),
        "docProps/core.xml": CORE_XML.format(
            title=xml_escape(f"Beslut – {application.title}"),
            author=xml_escape(application.call.owner.name),
        ).encode(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, replaced.get(name, data))
    return out.getvalue()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LETTER_FORMATS = {"pdf": "application/pdf", "docx": DOCX_TYPE}


def letter_file(decision: Decision, fmt: str) -> tuple[bytes, str, str]:
    """The decision letter as ``(content, filename, content type)`` in ``fmt`` (``pdf`` or
    ``docx``): the one the letters job stored, else made now."""
    application = decision.application
    if fmt == "pdf":
        data = decision.letter_pdf or letter_pdf(application)
    elif fmt == "docx":
        data = decision.letter_docx or letter_docx(application)
    else:
        raise ValueError(f"unknown letter format {fmt!r}")
    return bytes(data), f"beslut-{application.pk}.{fmt}", LETTER_FORMATS[fmt]


def decisions_for_letters(call_id: int) -> Any:
    return (
        Application.objects.filter(call_id=call_id, decision__isnull=False)
        .select_related("call__owner", "owner", "decision")
        .prefetch_related(Prefetch("reports", queryset=FundingReport.objects.order_by("due_date")))
        .order_by("pk")
    )


def _pool(total: int) -> Any:
    """A pool of spawned processes for the PDF layout when there are enough letters to pay for
    starting them (``FUNDING_LETTER_PROCESSES``, default: the CPUs, at most 4)."""
    processes = getattr(settings, "FUNDING_LETTER_PROCESSES", None)
    if processes is None:
        processes = min(4, os.cpu_count() or 1)
    if processes < 2 or total < 4 * BATCH:
        return None
    return ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn"))


def letters_generate(*, call_id: int, progress: Callable[[int, str], None]) -> int:
    """Generate (again) the PDF and DOCX letter of every decided application of the call.

    The HTML of each batch is rendered here; the PDF layout of the batches runs in a process
    pool when there are many letters. Results are written batch by batch, with progress."""
    applications = list(decisions_for_letters(call_id))
    total = len(applications)
    batches = [applications[i : i + BATCH] for i in range(0, total, BATCH)]
    pool = _pool(total)
    try:
        if pool is None:
            results: Any = (letters_pdf(batch) for batch in batches)
        else:
            results = pool.map(pdf_worker.batch_pdfs_args, [_batch_html(b) for b in batches])
        done = 0
        for batch, pdfs in zip(batches, results, strict=True):
            now = timezone.now()
            for application, pdf in zip(batch, pdfs, strict=True):
                decision = application.decision
                decision.letter_pdf = pdf
                decision.letter_docx = letter_docx(application)
                decision.letter_generated_at = now
            Decision.objects.bulk_update(
                [a.decision for a in batch],
                ["letter_pdf", "letter_docx", "letter_generated_at"],
                batch_size=50,
            )
            done += len(batch)
            progress(round(100 * done / total), f"{done} av {total} beslutsbrev")
    finally:
        if pool is not None:
            pool.shutdown()
    return total
