"""Checking uploaded files by content and size, the same way wherever files are uploaded.

``upload_check(upload, kinds={...})`` decides what a file is from its bytes, never from its name
or the browser's content type, and refuses it with a message a person can act on when

* it is larger than the limit (``settings.MAX_UPLOAD_BYTES`` unless the caller gives one),
* it is empty,
* its content is not one of the accepted kinds (a program renamed to ``.csv``, a PDF renamed
  to ``.docx``, an old binary ``.xls``/``.doc``),
* its name says one accepted kind and its content is another (a CSV named ``.xlsx``),
* a ZIP-based file (XLSX, DOCX) is not a valid Office package or unpacks to far more than the
  limit (a zip bomb),
* a text file (CSV, JSON) is not UTF-8 or contains NUL bytes, or JSON does not start like JSON.

Kinds: ``csv`` (UTF-8 text), ``json``, ``xlsx``, ``docx``, ``odt`` (an OpenDocument text,
told by its ``mimetype`` part), ``pdf``, ``png``, ``jpeg``.
The file position is left at the start, so the caller reads the file as before.
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.core.numbers import number
from samverkan.core.zipcheck import ZipBomb, zip_check

TEXT_KINDS = {"csv", "json"}
ZIP_KINDS = {"xlsx", "docx", "odt"}
KIND_LABELS = {
    "csv": "CSV",
    "json": "JSON",
    "xlsx": "XLSX",
    "docx": "DOCX",
    "odt": "ODT",
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPEG",
}
EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".docx": "docx",
    ".odt": "odt",
    ".pdf": "pdf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
}
# Content a person may upload by mistake (or on purpose), named for the message.
KNOWN_BINARIES = (
    (b"MZ", "ett Windows-program"),
    (b"\x7fELF", "ett program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ett äldre Office-dokument (.doc/.xls)"),
    (b"Rar!", "ett RAR-arkiv"),
    (b"\x1f\x8b", "ett gzip-arkiv"),
    (b"7z\xbc\xaf", "ett 7-Zip-arkiv"),
    (b"GIF8", "en GIF-bild"),
)
ZIP_RATIO_LIMIT = 10  # an Office file may unpack to at most 10 × the upload limit
CHUNK = 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class UploadRejected(ValidationError):
    """The uploaded file is refused; ``str(exc)`` / ``exc.messages[0]`` says why."""

    def __str__(self) -> str:
        return self.messages[0]


def _accepted(kinds: Iterable[str]) -> str:
    return ", ".join(KIND_LABELS[k] for k in sorted(kinds))


def _mb(size: int) -> str:
    if size % 2**20 == 0:
        return str(size // 2**20)
    return number(size / 2**20, 1)


def detect_kind(head: bytes, stream: IO[bytes] | None = None) -> str:
    """What the content is: one of the kinds, ``zip`` (some other ZIP archive), ``text``,
    ``binary`` or the description of a known binary format."""
    if head.startswith(b"PK\x03\x04"):
        if stream is None:
            return "zip"
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
                mimetype = b""
                if "mimetype" in names:
                    with archive.open("mimetype") as part:
                        mimetype = part.read(100)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, zlib.error):
            return "broken-zip"
        finally:
            stream.seek(0)
        if mimetype.strip() == ODT_MIMETYPE:
            return "odt"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        return "zip"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    for magic, description in KNOWN_BINARIES:
        if head.startswith(magic):
            return description
    if b"\x00" in head:
        return "binary"
    return "text"


def upload_check(
    upload: Any,
    *,
    kinds: Iterable[str],
    max_bytes: int | None = None,
    name: str | None = None,
) -> str:
    """Check an uploaded file (Django ``UploadedFile`` or any seekable binary file with
    ``name``/``size``); return its kind or raise ``UploadRejected``."""
    allowed = set(kinds)
    unknown = allowed - set(KIND_LABELS)
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    filename = name or getattr(upload, "name", None) or _("filen")
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    stream: IO[bytes] = getattr(upload, "file", None) or upload
    size = getattr(upload, "size", None)
    if size is None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
    stream.seek(0)
    if size > limit:
        raise UploadRejected(
            _("%(file)s är för stor (%(size)s MB); en fil får vara högst %(max)s MB.")
            % {"file": filename, "size": _mb(size), "max": _mb(limit)}
        )
    head = stream.read(8192)
    stream.seek(0)
    if not head.strip():
        raise UploadRejected(_("%(file)s är tom.") % {"file": filename})
    kind = detect_kind(head, stream)
    if kind == "text":
        kind = _text_kind(stream, filename, allowed, head)
    if kind in ZIP_KINDS:
        _check_zip(stream, filename, limit * ZIP_RATIO_LIMIT)
    if kind not in allowed:
        raise UploadRejected(_describe_refusal(filename, kind, allowed))
    claimed = EXTENSIONS.get(_extension(filename))
    if claimed is not None and claimed != kind:
        raise UploadRejected(
            _(
                "%(file)s heter .%(ext)s men innehållet är %(kind)s. Spara filen i rätt format "
                "eller byt namn på den."
            )
            % {"file": filename, "ext": _extension(filename)[1:], "kind": KIND_LABELS[kind]}
        )
    stream.seek(0)
    return kind


def bytes_check(
    data: bytes, filename: str, *, kinds: Iterable[str], max_bytes: int | None = None
) -> str:
    """``upload_check`` for a file already read into memory."""
    return upload_check(io.BytesIO(data), kinds=kinds, max_bytes=max_bytes, name=filename)


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot >= 0 else ""


def _text_kind(stream: IO[bytes], filename: str, allowed: set[str], head: bytes) -> str:
    """UTF-8 text throughout, without NUL bytes; JSON when it starts like JSON."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    while True:
        chunk = stream.read(CHUNK)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            stream.seek(0)
            if not allowed & TEXT_KINDS:
                return "binary"
            line += chunk[: exc.start].count(b"\n")
            raise UploadRejected(
                _(
                    "%(file)s är inte UTF-8-kodad (ogiltigt tecken på rad %(line)d). "
                    "Spara filen som ”CSV UTF-8” och försök igen."
                )
                % {"file": filename, "line": line}
            ) from exc
        if b"\x00" in chunk:
            stream.seek(0)
            return "binary"
        if not chunk:
            break
        line += chunk.count(b"\n")
    stream.seek(0)
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()[:1]
    if start in (b"[", b"{"):
        return "json"
    if _extension(filename) == ".json":
        raise UploadRejected(
            _("%(file)s är ingen JSON-fil (den ska börja med [ eller {).") % {"file": filename}
        )
    return "csv"


def _check_zip(stream: IO[bytes], filename: str, unpacked_limit: int) -> None:
    try:
        facts = zip_check(stream, unpacked_limit=unpacked_limit)
    except ZipBomb as bomb:
        raise UploadRejected(
            _("%(file)s packas upp till %(size)s MB, mer än tillåtna %(max)s MB.")
            % {"file": filename, "size": _mb(bomb.total), "max": _mb(unpacked_limit)}
        ) from bomb
    if facts.encrypted:
        raise UploadRejected(
            _("%(file)s är lösenordsskyddad; spara den utan lösenord.") % {"file": filename}
        )


def _describe_refusal(filename: str, kind: str, allowed: set[str]) -> str:
    accepted = _accepted(allowed)
    if kind in KIND_LABELS:
        what = _("en %s-fil") % KIND_LABELS[kind]
    elif kind == "text":
        what = _("text")
    elif kind == "zip":
        what = _("ett ZIP-arkiv")
    elif kind == "broken-zip":
        what = _("ett skadat ZIP-arkiv")
    elif kind == "binary":
        what = _("ingen textfil")
    else:
        what = kind
    return _("%(file)s är %(what)s. Tillåtna format: %(accepted)s.") % {
        "file": filename,
        "what": what,
        "accepted": accepted,
    }
