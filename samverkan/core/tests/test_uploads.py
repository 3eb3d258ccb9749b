"""Uploads are checked by content and size wherever files are uploaded: disguised files (a
program named .csv, a PDF named .docx, a CSV named .xlsx, Latin-1 text, a zip bomb) are
refused with a message that names the file and says what to do."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from samverkan.core.uploads import UploadRejected, bytes_check, upload_check


def xlsx_bytes(rows=(("namn", "typ"), ("Förening", "other"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Bakgrund", level=1)
    document.add_paragraph("Text.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CSV = "namn,typ\nFörening,other\n".encode()
ODT = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"}
)


def _stable_id(value):
    """Generated Office files carry timestamps: name them by kind, so that every test
    process collects the same ids."""
    return "bytes" if isinstance(value, bytes) else None


@pytest.mark.parametrize(
    ("data", "name", "kinds", "kind"),
    [
        (CSV, "aktorer.csv", ("csv", "xlsx", "json"), "csv"),
        (b"\xef\xbb\xbf" + CSV, "aktorer.csv", ("csv",), "csv"),
        (json.dumps([{"namn": "Å"}]).encode(), "a.json", ("csv", "json"), "json"),
        (xlsx_bytes(), "a.xlsx", ("csv", "xlsx"), "xlsx"),
        (docx_bytes(), "utkast.docx", ("docx",), "docx"),
        (PDF, "rapport.pdf", ("pdf", "docx"), "pdf"),
        (PNG, "bild.png", ("png", "pdf"), "png"),
        (ODT, "utkast.odt", ("odt", "docx"), "odt"),
        (CSV, "utan-filandelse", ("csv",), "csv"),
    ],
    ids=_stable_id,
)
def test_genuine_files_pass_and_their_kind_is_told(data, name, kinds, kind):
    upload = SimpleUploadedFile(name, data)
    assert upload_check(upload, kinds=kinds) == kind
    assert upload.read() == data  # left at the start for the caller


@pytest.mark.parametrize(
    ("data", "name", "kinds", "message"),
    [
        (EXE, "aktorer.csv", ("csv", "xlsx", "json"), "aktorer.csv är ett Windows-program"),
        (b"\x7fELF\x02\x01" + b"\x00" * 50, "data.json", ("json",), "är ett program"),
        (PDF, "utkast.docx", ("docx",), "utkast.docx är en PDF-fil. Tillåtna format: DOCX."),
        (CSV, "aktorer.xlsx", ("csv", "xlsx"), "aktorer.xlsx heter .xlsx men innehållet är CSV"),
        (docx_bytes(), "tabell.xlsx", ("csv", "xlsx"), "tabell.xlsx är en DOCX-fil"),
        (xlsx_bytes(), "utkast.docx", ("docx",), "utkast.docx är en XLSX-fil"),
        (ODT, "utkast.docx", ("docx", "odt"), "utkast.docx heter .docx men innehållet är ODT"),
        (
            docx_bytes(),
            "utkast.odt",
            ("docx", "odt"),
            "utkast.odt heter .odt men innehållet är DOCX",
        ),
        (
            "namn\nGöteborg\n".encode("latin-1"),
            "latin.csv",
            ("csv",),
            "latin.csv är inte UTF-8-kodad (ogiltigt tecken på rad 2)",
        ),
        (b"namn\x00typ\n", "nul.csv", ("csv",), "nul.csv är ingen textfil"),
        (CSV, "data.json", ("json", "csv"), "data.json är ingen JSON-fil"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "gammal.xls", ("xlsx",), "äldre"),
        (zip_bytes({"a.txt": b"x"}), "arkiv.xlsx", ("xlsx",), "arkiv.xlsx är ett ZIP-arkiv"),
        (b"PK\x03\x04trasig", "trasig.xlsx", ("xlsx",), "ett skadat ZIP-arkiv"),
        (b"   \n", "tom.csv", ("csv",), "tom.csv är tom"),
        (CSV, "svar.csv", ("pdf", "docx"), "svar.csv är en CSV-fil. Tillåtna format: DOCX, PDF."),
    ],
    ids=_stable_id,
)
def test_disguised_and_broken_files_are_refused_with_a_clear_message(data, name, kinds, message):
    with pytest.raises(UploadRejected) as refused:
        upload_check(SimpleUploadedFile(name, data), kinds=kinds)
    assert message in str(refused.value)


def test_size_limit_comes_from_settings_and_is_checked_before_reading(settings):
    settings.MAX_UPLOAD_BYTES = 1024

    class Unreadable(io.BytesIO):
        def read(self, *args):  # the size alone must refuse it
            raise AssertionError("read an oversized upload")

    upload = SimpleUploadedFile("stor.csv", b"")
    upload.file = Unreadable(b"x" * 2048)
    upload.size = 2048
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload, kinds=("csv",))
    assert str(refused.value) == "stor.csv är för stor (0,0 MB); en fil får vara högst 0,0 MB."
    with pytest.raises(UploadRejected, match="högst 1 MB"):
        bytes_check(b"y" * (2**20 + 1), "stor.csv", kinds=("csv",), max_bytes=2**20)


def test_zip_bomb_posing_as_xlsx_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 100_000
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"0" * 2_000_000,
        }
    )
    assert len(bomb) < settings.MAX_UPLOAD_BYTES
    with pytest.raises(UploadRejected, match="packas upp till"):
        bytes_check(bomb, "bomb.xlsx", kinds=("xlsx",))


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        bytes_check(CSV, "a.csv", kinds=("exe",))


# --- every place that takes an upload ----------------------------------------------------------


def test_data_import_page_refuses_a_disguised_program(owner_client):
    from samverkan.actors.models import Organisation

    before = Organisation.objects.count()
    page = owner_client.post(
        "/data/import/",
        {"kind": "organisations", "file": SimpleUploadedFile("aktorer.csv", EXE)},
    )
    assert page.status_code == 200
    assert "aktorer.csv är ett Windows-program" in page.content.decode()
    assert Organisation.objects.count() == before


def test_import_api_refuses_a_csv_named_xlsx(owner_client):
    response = owner_client.post(
        "/api/import/organisations/", {"file": SimpleUploadedFile("aktorer.xlsx", CSV)}
    )
    assert response.status_code == 400
    assert "heter .xlsx men innehållet är CSV" in response.content.decode()


def test_consultation_upload_refuses_a_pdf_named_docx(owner, owner_client, organisation):
    from samverkan.plans.models import Strategy

    strategy = Strategy.objects.create(owner=organisation, title="Strategi för inkludering")
    page = owner_client.post(
        f"/strategier/{strategy.pk}/ny-remiss/",
        {"title": "Utkast", "docx": SimpleUploadedFile("utkast.docx", PDF)},
    )
    assert page.status_code == 200
    assert "utkast.docx är en PDF-fil. Tillåtna format: DOCX." in page.content.decode()
    assert not strategy.consultations.exists()


def test_xlsform_import_refuses_a_docx_named_xlsx(owner_client, organisation):
    page = owner_client.post(
        "/enkater/importera/",
        {"owner": organisation.pk, "file": SimpleUploadedFile("enkat.xlsx", docx_bytes())},
    )
    assert page.status_code == 200
    assert "enkat.xlsx är en DOCX-fil. Tillåtna format: XLSX." in page.content.decode()


def test_indicator_import_refuses_latin1_csv(owner, organisation):
    from samverkan.core.exchange import ImportRejected
    from samverkan.indicators.importing import observations_import
    from samverkan.indicators.models import Indicator

    indicator = Indicator.objects.create(
        code="egen",
        title="Egen",
        definition="d",
        unit="%",
        source_kind="own",
        owner=organisation,
    )
    with pytest.raises(ImportRejected) as refused:
        observations_import(
            user=owner,
            indicator=indicator,
            stream=io.BytesIO("area_code,period,value\n1280,2024,Göteborg\n".encode("latin-1")),
            filename="obs.csv",
            fmt="csv",
        )
    assert "obs.csv är inte UTF-8-kodad" in str(refused.value.errors[0])
