import io

import pytest
from openpyxl import Workbook, load_workbook

from samverkan.actors.models import Organisation
from samverkan.core.exchange import ImportRejected, data_export, data_import
from samverkan.core.models import AuditEntry
from samverkan.core.tenancy import SYSTEM

pytestmark = pytest.mark.django_db

HEADER = "name,kind,sector,county_code,municipality_code,website\n"


def run_import(text, user=SYSTEM, acting_for=None, filename="aktorer.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return data_import(
        kind="organisations", data=data, filename=filename, user=user, acting_for=acting_for
    )


def test_valid_csv_creates_all_rows_with_history_and_audit():
    result = run_import(
        HEADER + "Malmö Mentorer,civil_society,,12,1280,https://example.se\n"
        "Lunds integrationsråd,Övrig,public,12,1281,\n"
    )
    assert result.created == 2
    mentor = Organisation.objects.get(name="Malmö Mentorer")
    assert (mentor.county.code, mentor.municipality.code, mentor.sector) == (
        "12",
        "1280",
        "civil_society",
    )
    assert Organisation.objects.get(name="Lunds integrationsråd").kind == "other"
    assert mentor.history.count() == 1
    assert AuditEntry.objects.get(action="organisations.imported").data["created"] == 2


def test_semicolon_csv_from_excel_is_read():
    result = run_import("name;kind;county_code\nFöreningen Semikolon;civil_society;01\n")
    assert result.created == 1


def test_errors_name_row_and_column_and_nothing_is_written():
    before = Organisation.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        run_import(
            HEADER + "Bra förening,civil_society,,12,1280,\n"
            "Fel kommun,civil_society,,12,9999,\n"
            "Fel typ,förening,,,,\n"
            "Fel län,civil_society,,12,0114,\n"
            ",civil_society,,,,inte en url\n"
        )
    messages = [str(e) for e in rejected.value.errors]
    assert "rad 3, kolumn municipality_code: okänd kommunkod ”9999”" in messages
    assert any(m.startswith("rad 4, kolumn kind: okänd typ ”förening”") for m in messages)
    assert "rad 5, kolumn municipality_code: kommun 0114 ligger inte i län 12" in messages
    assert "rad 6, kolumn name: namn saknas" in messages
    assert "rad 6, kolumn website: ogiltig webbadress ”inte en url”" in messages
    assert Organisation.objects.count() == before


def test_duplicates_in_file_and_database_are_refused(other_organisation):
    with pytest.raises(ImportRejected) as rejected:
        run_import("name,kind\nANNAN FÖRENING,civil_society\nNy,civil_society\nny,civil_society\n")
    messages = [str(e) for e in rejected.value.errors]
    assert (
        "rad 2, kolumn name: det finns redan en organisation som heter ”ANNAN FÖRENING”" in messages
    )
    assert "rad 4, kolumn name: det finns redan en organisation som heter ”ny”" in messages
    assert not Organisation.objects.filter(name="Ny").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "aktorer.csv \u00e4r tom."),
        (
            "name,kind\nRädda,civil_society\n".encode("cp1252"),
            "inte UTF-8-kodad (ogiltigt tecken på rad 2)",
        ),
        (b"kind\ncivil_society\n", "kolumn name: obligatorisk kolumn saknas"),
        (b"name,kind,colour\nA,other,red\n", "kolumn colour: okänd kolumn"),
        (b"name,kind\n", "innehåller inga datarader"),
    ],
)
def test_broken_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ImportRejected) as rejected:
        run_import(data)
    assert message in str(rejected.value)


def test_oversized_file_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ImportRejected) as rejected:
        run_import(HEADER + "x,other,,,,\n" * 200)
    assert "är för stor" in str(rejected.value)


def test_xlsx_import_and_broken_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "kind", "county_code"])
    sheet.append(["Excelföreningen", "civil_society", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run_import(buffer.getvalue(), filename="a.xlsx").created == 1
    assert Organisation.objects.get(name="Excelföreningen").county.code == "12"
    with pytest.raises(ImportRejected) as rejected:
        run_import(b"PK\x03\x04 not really a zip", filename="b.xlsx")
    assert "kunde inte läsas som XLSX" in str(rejected.value)


def test_viewer_cannot_import_on_behalf_of_the_organisation(viewer, organisation):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run_import(
            HEADER + "Smygförening,civil_society,,,,\n", user=viewer, acting_for=organisation
        )
    assert not Organisation.objects.filter(name="Smygförening").exists()


def test_imported_organisations_are_stewarded_by_the_importing_organisation(editor, organisation):
    run_import(
        HEADER + "Kartlagd förening,civil_society,,12,,\n", user=editor, acting_for=organisation
    )
    mapped = Organisation.objects.get(name="Kartlagd förening")
    assert mapped.steward == organisation


def test_export_neutralises_formulas_in_csv_and_xlsx():
    run_import(
        'name,kind,description\nFormelföreningen,other,"=HYPERLINK(""http://x"",""klick"")"\n'
    )
    csv_text = data_export(kind="organisations", fmt="csv", user=SYSTEM).decode()
    assert "'=HYPERLINK" in csv_text
    xlsx = load_workbook(io.BytesIO(data_export(kind="organisations", fmt="xlsx", user=SYSTEM)))
    values = [cell.value for row in xlsx.active.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://x","klick")' in values


def test_oversized_upload_is_refused_before_it_is_read(owner_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_BYTES = 2048
    upload = SimpleUploadedFile("stor.csv", (HEADER + "x,other,,,,\n" * 500).encode())
    response = owner_client.post("/data/import/", {"kind": "organisations", "file": upload})
    assert response.status_code == 200
    assert "stor.csv är för stor" in response.content.decode()
    assert not Organisation.objects.filter(name="x").exists()
