"""Lay out a batch of decision letters with WeasyPrint and split it into one PDF per letter.

Kept free of Django so that a pool of spawned processes can run it: the job renders the HTML
(database and templates) in its own process and only the CPU-bound PDF work is spread out.
"""

from __future__ import annotations

import logging


def batch_pdfs(html: str, anchors: list[str]) -> list[bytes]:
    """One PDF per anchor: the pages from the page the anchor is on up to the next one's."""
    import weasyprint

    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html).render()
    starts: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    first_pages = [starts[a] for a in anchors]
    bounds = [*first_pages[1:], len(document.pages)]
    return [
        document.copy(document.pages[start:end]).write_pdf(
            pdf_variant="pdf/ua-1", uncompressed_pdf=True
        )
        for start, end in zip(first_pages, bounds, strict=True)
    ]


def batch_pdfs_args(arguments: tuple[str, list[str]]) -> list[bytes]:
    return batch_pdfs(*arguments)
