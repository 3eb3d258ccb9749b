"""The zip-bomb check: how much a ZIP-based file (XLSX, DOCX, ODT) unpacks to, read from its
directory before any member is unpacked. Every upload path calls this one function and words
the refusal in its own terms."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

RATIO_MIN_MEMBER_BYTES = 1024 * 1024  # small members may compress very well (empty sheets)


class ZipBomb(ValueError):
    """The archive unpacks to more than allowed (``total`` bytes), or one member is compressed
    beyond the ratio allowed."""

    def __init__(self, total: int):
        super().__init__(f"the archive unpacks to {total} bytes or beyond the ratio allowed")
        self.total = total


@dataclass(frozen=True)
class ZipFacts:
    total: int  # bytes the members unpack to together
    encrypted: bool  # a member is password-protected


def zip_check(
    source: bytes | IO[bytes], *, unpacked_limit: int, ratio_limit: float | None = None
) -> ZipFacts:
    """Raise ``ZipBomb`` when the members together unpack to more than ``unpacked_limit``
    bytes or (with ``ratio_limit``) a member over 1 MB is compressed more than that many times;
    ``zipfile.BadZipFile`` when it is no ZIP. A stream is left at its start."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    finally:
        stream.seek(0)
    total = sum(info.file_size for info in infos)
    if total > unpacked_limit:
        raise ZipBomb(total)
    if ratio_limit is not None:
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_MIN_MEMBER_BYTES and ratio > ratio_limit:
                raise ZipBomb(total)
    return ZipFacts(total=total, encrypted=any(info.flag_bits & 0x1 for info in infos))
