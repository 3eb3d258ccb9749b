"""Rows like existing projects are flagged and the user decides per row; nothing is merged."""

import pytest
from django.urls import reverse

from samverkan.core.exchange import ImportRejected
from samverkan.core.models import AuditEntry, Visibility
from samverkan.projects.importing import project_import, project_import_preview
from samverkan.projects.models import Project

HEADER = "titel;län;kommuner;sammanfattning\n"
ROWS = (
    HEADER + "Språkcafé för nyanlända kvinnor i Malmö;12;1280;"
    "Ett språkcafé där nyanlända kvinnor övar svenska varje vecka.\n"
    + "Läxhjälp i Lund;12;1281;Studenter hjälper elever med läxorna.\n"
    + "Lugna Gatan;12;;Värdar i bostadsområdet.\n"
)


@pytest.fixture
def existing(organisation, other_organisation, make, skane):
    return {
        "cafe": make(
            organisation,
            "Språkcafé för nyanlända kvinnor i Malmö stad",
            summary="Ett språkcafé där nyanlända kvinnor övar svenska en gång i veckan.",
            municipalities=["1280"],
            county=skane,
        ),
        "lugna": make(organisation, "Lugna Gatan", county=skane),
        "secret": make(
            other_organisation,
            "Läxhjälp i Lund",
            summary="Studenter hjälper elever med läxorna.",
            visibility=Visibility.PRIVATE,
            county=skane,
        ),
    }


def _import(user, organisation, decisions=None, rows=ROWS):
    return project_import(
        data=rows.encode(),
        filename="runda.csv",
        user=user,
        acting_for=organisation,
        decisions=decisions,
    )


def test_preview_flags_very_similar_and_same_title_rows_only(owner, organisation, existing):
    preview = project_import_preview(
        data=ROWS.encode(), filename="runda.csv", user=owner, acting_for=organisation
    )
    assert preview.rows == 3
    flagged = {f.row: f for f in preview.flagged}
    assert set(flagged) == {2, 4}  # the private project of another organisation is not shown
    cafe = flagged[2].matches[0]
    assert cafe.pk == existing["cafe"].pk and 0.7 <= cafe.score < 1
    assert not cafe.same_owner_and_title
    assert flagged[4].matches[0].same_owner_and_title and flagged[4].matches[0].score == 1.0
    assert not Project.objects.filter(title="Läxhjälp i Lund", owner=organisation).exists()


def test_flagged_rows_need_a_decision_and_are_never_merged(owner, organisation, existing):
    before = Project.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        _import(owner, organisation)
    messages = [str(e) for e in rejected.value.errors]
    assert [e.row for e in rejected.value.errors] == [2, 4]
    assert "liknar det befintliga projektet" in messages[0] and "inget slås ihop" in messages[0]
    assert "har redan ett projekt som heter" in messages[1]
    assert Project.objects.count() == before

    result = _import(owner, organisation, {2: "new", 4: "same"})
    assert result.created == 2  # row 2 as a new project, row 3 was never flagged
    assert Project.objects.filter(title__startswith="Språkcafé").count() == 2
    assert Project.objects.filter(title="Lugna Gatan").count() == 1
    entry = AuditEntry.objects.get(pk=result.audit_id)
    assert entry.data["same_as_existing"] == {"4": existing["lugna"].pk}
    assert entry.data["similar_imported_as_new"] == [2]

    again = HEADER + "Lugna Gatan;12;;\n"
    assert _import(owner, organisation, {2: "skip"}, rows=again).created == 0
    assert Project.objects.filter(title="Lugna Gatan").count() == 1


def test_import_page_preview_and_confirm(editor_client, organisation, existing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("runda.csv", ROWS.encode(), content_type="text/csv")
    page = editor_client.post(
        reverse("projects:import"), {"file": upload, "acting_for": organisation.pk}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "Rader som liknar befintliga projekt" in body
    assert 'name="row-4"' in body and f'href="/projekt/{existing["lugna"].pk}/"' in body
    before = Project.objects.count()
    missing = editor_client.post(reverse("projects:import"), {"action": "confirm"})
    assert missing.status_code == 200 and Project.objects.count() == before
    done = editor_client.post(
        reverse("projects:import"), {"action": "confirm", "row-2": "skip", "row-4": "skip"}
    )
    assert done.status_code == 302
    assert Project.objects.count() == before + 1  # only the row that was not flagged


def test_outsider_cannot_import_for_another_organisation(outsider_client, organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("runda.csv", ROWS.encode(), content_type="text/csv")
    before = Project.objects.count()
    page = outsider_client.post(
        reverse("projects:import"), {"file": upload, "acting_for": organisation.pk}
    )
    assert page.status_code == 200 and Project.objects.count() == before
    assert outsider_client.get(reverse("projects:import")).status_code == 200
