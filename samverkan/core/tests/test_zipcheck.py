"""The one zip-bomb check every upload path calls (issue 24, item 5)."""

import io
import zipfile

import pytest

from samverkan.core.zipcheck import ZipBomb, zip_check


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_the_unpacked_total_decides_before_anything_is_unpacked():
    data = _zip({"a.xml": b"x" * 6000, "b.xml": b"y" * 6000})
    assert zip_check(data, unpacked_limit=12000).total == 12000
    with pytest.raises(ZipBomb) as refused:
        zip_check(data, unpacked_limit=11999)
    assert refused.value.total == 12000


def test_a_member_compressed_beyond_the_ratio_is_refused_only_when_asked():
    data = _zip({"sheet.xml": b"\0" * (2 * 1024 * 1024)})  # ~1000 times
    assert zip_check(data, unpacked_limit=10 * 1024 * 1024).encrypted is False
    with pytest.raises(ZipBomb):
        zip_check(data, unpacked_limit=10 * 1024 * 1024, ratio_limit=100)
    small = _zip({"sheet.xml": b"\0" * 1024 * 1024})  # at most 1 MB: any ratio is fine
    zip_check(small, unpacked_limit=10 * 1024 * 1024, ratio_limit=100)


def test_a_stream_is_left_at_its_start_and_a_non_zip_says_so():
    stream = io.BytesIO(_zip({"a.xml": b"abc"}))
    stream.seek(5)
    zip_check(stream, unpacked_limit=100)
    assert stream.tell() == 0
    with pytest.raises(zipfile.BadZipFile):
        zip_check(b"not a zip", unpacked_limit=100)
