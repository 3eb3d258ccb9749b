"""Imports check the right to import before reading the file, bound what they read, run large
files as background jobs with progress, and register imported organisations in the importer's
name (red-team finding: a viewer imported 20,000 ownerless public organisations)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from samverkan.actors.models import Organisation
from samverkan.core.exchange import ImportRejected, data_import
from samverkan.core.models import AuditEntry, ImportRun
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "name,kind,county_code\n"


def _csv(count: int, *, start: int = 0, bad_row: int | None = None) -> bytes:
    lines = [HEADER]
    for n in range(start, start + count):
        kind = "förening" if n == bad_row else "civil_society"
        lines.append(f"Importförening {n},{kind},12\n")
    return "".join(lines).encode()


def _upload(data: bytes, name: str = "foreningar.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_a_viewer_cannot_import_and_the_file_is_not_even_read(viewer_client, organisation):
    before = Organisation.objects.count()
    garbage = b"\x00\x01 not a table at all"
    response = viewer_client.post(
        "/api/import/organisations/", {"file": _upload(garbage), "acting_for": organisation.code}
    )
    assert response.status_code == 403  # not 400: the rights come before the file
    response = viewer_client.post("/api/import/organisations/", {"file": _upload(_csv(3))})
    assert response.status_code == 403
    assert Organisation.objects.count() == before
    assert not AuditEntry.objects.filter(action="organisations.imported").exists()


def test_an_outsider_cannot_import_for_another_organisation(outsider_client, organisation):
    response = outsider_client.post(
        "/api/import/organisations/", {"file": _upload(_csv(2)), "acting_for": organisation.code}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name__startswith="Importförening").exists()


def test_imported_organisations_are_stewarded_by_the_importers_organisation(
    editor_client, organisation
):
    response = editor_client.post("/api/import/organisations/", {"file": _upload(_csv(2))})
    assert response.status_code == 201, response.content
    imported = Organisation.objects.filter(name__startswith="Importförening")
    assert imported.count() == 2
    assert {o.steward_id for o in imported} == {organisation.pk}


def test_someone_acting_for_several_organisations_must_say_which(editor, organisation, client):
    MembershipFactory(organisation=OrganisationFactory(), user=editor, role="editor")
    client.force_login(editor)
    response = client.post("/api/import/organisations/", {"file": _upload(_csv(2))})
    assert response.status_code == 403
    assert "Ange vilken organisation" in response.json()["message"]


def test_a_large_import_runs_as_a_job_with_progress_and_its_outcome(
    editor_client,
    editor,
    organisation,
    outsider_client,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.IMPORT_INLINE_MAX_ROWS = 50
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/api/import/organisations/", {"file": _upload(_csv(120))})
    assert response.status_code == 202, response.content
    run_url = response.json()["url"]
    status = editor_client.get(run_url).json()
    assert (status["status"], status["created"], status["progress"]) == ("done", 120, 100)
    run = ImportRun.objects.get(pk=status["id"])
    assert run.user == editor and bytes(run.data) == b""  # the upload is not kept
    assert Organisation.objects.filter(steward=organisation).count() == 120
    # Someone else cannot see that the run exists.
    assert outsider_client.get(run_url).status_code == 404
    page = editor_client.get(f"/data/import/{run.pk}/")
    assert page.status_code == 200 and "120 poster importerade" in page.content.decode()


def test_a_large_import_with_an_error_imports_nothing_and_names_the_row(
    editor_client, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 50
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/api/import/organisations/", {"file": _upload(_csv(120, bad_row=77))}
        )
    status = editor_client.get(response.json()["url"]).json()
    assert status["status"] == "rejected"
    assert status["errors"][0]["row"] == 79 and status["errors"][0]["column"] == "kind"
    assert not Organisation.objects.filter(name__startswith="Importförening").exists()


def test_the_ui_sends_a_large_import_to_its_progress_page(
    editor_client, organisation, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 50
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/data/import/",
            {"kind": "organisations", "acting_for": organisation.pk, "file": _upload(_csv(80))},
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == f"/data/import/{run.pk}/"
    assert run.created == 80


def test_a_file_past_the_row_limit_is_refused_while_reading(settings, owner, organisation):
    settings.IMPORT_MAX_ROWS = 10
    with pytest.raises(ImportRejected) as refused:
        data_import(
            kind="organisations",
            data=_csv(11),
            filename="for-stor.csv",
            user=owner,
            acting_for=organisation,
        )
    assert "fler än 10 rader" in str(refused.value.errors[0])


def test_a_workbook_of_blank_rows_is_refused_without_reading_it_all(settings, owner, organisation):
    settings.IMPORT_MAX_ROWS = 100
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "kind"])
    sheet.append(["Förening", "civil_society"])
    sheet.cell(row=5000, column=1, value="")  # a sheet stretched by thousands of blank rows
    sheet.cell(row=5000, column=2, value=" ")
    data = io.BytesIO()
    workbook.save(data)
    with pytest.raises(ImportRejected) as refused:
        data_import(
            kind="organisations",
            data=data.getvalue(),
            filename="tomma-rader.xlsx",
            user=owner,
            acting_for=organisation,
        )
    assert "fler än 100 rader" in str(refused.value.errors[0])


def test_the_organisation_import_asks_the_database_per_batch_not_per_row(
    owner, organisation, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        result = data_import(
            kind="organisations",
            data=_csv(300),
            filename="trehundra.csv",
            user=owner,
            acting_for=organisation,
        )
    assert result.created == 300
