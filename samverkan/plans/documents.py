"""Drafts for consultation: split Markdown or DOCX into sections; refuse unsafe DOCX files.

A DOCX is refused when it is larger than ``MAX_DOCX_BYTES``, carries macros (a VBA project or
a macro-enabled content type), or links to anything outside itself (external relationships:
linked images, templates, OLE objects, hyperlinks) — a remiss draft is sent to ~150
organisations and must not phone home or run code.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.core.zipcheck import ZipBomb, zip_check

MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")


def split_markdown(text: str) -> list[tuple[str, str]]:
    """Sections at level 1–3 headings; text before the first heading becomes ”Inledning”."""
    sections: list[tuple[str, list[str]]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        match = HEADING.match(line)
        if match:
            sections.append((match.group(2), []))
        else:
            if not sections:
                sections.append((_("Inledning"), []))
            sections[-1][1].append(line)
    result = []
    for heading, lines in sections:
        body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        if body or heading != _("Inledning"):
            result.append((heading, body))
    return result


def check_docx(data: bytes, filename: str) -> None:
    """Raise ``ValidationError`` unless ``data`` is a plain DOCX: no macros, no external links."""
    if len(data) > MAX_DOCX_BYTES:
        raise ValidationError(
            _("%(file)s är %(size).1f MB; en DOCX får vara högst 20 MB.")
            % {"file": filename, "size": len(data) / 1024 / 1024}
        )
    try:
        zip_check(data, unpacked_limit=MAX_UNPACKED_BYTES)
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("%s är ingen giltig DOCX-fil.") % filename) from exc
    except ZipBomb as exc:
        raise ValidationError(_("%s packas upp till för mycket data.") % filename) from exc
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "word/document.xml" not in names:
            raise ValidationError(_("%s är ingen giltig DOCX-fil.") % filename)
        content_types = (
            archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if "[Content_Types].xml" in names
            else ""
        )
        if (
            any(n.lower().endswith("vbaproject.bin") for n in names)
            or "macroEnabled" in content_types
        ):
            raise ValidationError(
                _("%s innehåller makron; spara dokumentet som vanlig .docx utan makron.") % filename
            )
        for name in names:
            if name.endswith(".rels"):
                rels = archive.read(name).decode("utf-8", "replace")
                if 'TargetMode="External"' in rels:
                    raise ValidationError(
                        _(
                            "%s innehåller externa länkar eller länkade objekt; "
                            "ta bort dem och ladda upp igen."
                        )
                        % filename
                    )


def split_docx(data: bytes, filename: str) -> list[tuple[str, str]]:
    """Sections at paragraphs styled as headings (Rubrik 1–3 / Heading 1–3)."""
    check_docx(data, filename)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for broken files
        raise ValidationError(_("%s kunde inte läsas som DOCX.") % filename) from exc
    lines = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text.strip()
        if not text:
            continue
        if style.lower().startswith(("heading", "rubrik", "title")):
            lines.append(f"## {text}")
        else:
            lines.append(text + "\n")
    return split_markdown("\n".join(lines))
