"""Attachments through the API and the pages: the same content check (``core.uploads``) either
way, disguised files refused with the reason, removal from drafts only, and who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.core.models import AuditEntry
from samverkan.funding.models import Attachment
from samverkan.funding.services import applications, attachments
from samverkan.funding.tests.test_api_changes import _error, api

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def _upload(user, application, name, data):
    return api(user).post(
        f"/api/funding-applications/{application.pk}/attachments/",
        {"file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


@pytest.fixture
def attachment(draft, applicant):
    return attachments.attachment_add(
        application=draft, user=applicant, filename="plan.pdf", data=PDF
    )


def test_applicant_uploads_lists_downloads_and_removes(draft, applicant):
    response = _upload(applicant, draft, "budget.pdf", PDF)
    assert response.status_code == 201, response.data
    created = response.data
    assert (created["filename"], created["file_type"], created["size"]) == (
        "budget.pdf",
        "pdf",
        len(PDF),
    )
    assert created["download_url"] == f"/api/funding-attachments/{created['id']}/download/"
    listed = api(applicant).get(f"/api/funding-applications/{draft.pk}/attachments/")
    assert [a["id"] for a in listed.data] == [created["id"]]
    assert api(applicant).get(f"/api/funding-attachments/{created['id']}/").data == created
    file = api(applicant).get(created["download_url"])
    assert file.status_code == 200 and file.content == PDF
    assert file["Content-Type"] == "application/pdf"
    assert file["X-Content-Type-Options"] == "nosniff"

    assert api(applicant).delete(f"/api/funding-attachments/{created['id']}/").status_code == 204
    assert not draft.attachments.exists()
    entry = AuditEntry.objects.get(action="funding.attachment_removed")
    assert entry.data["filename"] == "budget.pdf" and entry.data["size"] == len(PDF)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("faktura.pdf", EXE, "faktura.pdf är ett Windows-program"),
        ("plan.docx", PDF, "plan.docx heter .docx men innehållet är PDF"),
        ("tom.pdf", b"   ", "tom.pdf är tom"),
        ("text.pdf", b"bara text", "text.pdf är en CSV-fil. Tillåtna format: DOCX, JPEG, ODT"),
    ],
    ids=["program", "pdf-named-docx", "empty", "text"],
)
def test_disguised_files_are_refused_with_the_reason(draft, applicant, name, data, reason):
    body = _error(_upload(applicant, draft, name, data), 400)
    assert reason in body["errors"]["file"][0] and reason in body["message"]
    assert not Attachment.objects.exists()


def test_too_large_file_is_refused(draft, applicant):
    data = PDF + b"0" * attachments.MAX_ATTACHMENT_BYTES
    body = _error(_upload(applicant, draft, "stor.pdf", data), 400)
    assert "högst 10 MB" in body["errors"]["file"][0]


def test_upload_without_a_file_names_the_field(draft, applicant):
    body = _error(
        api(applicant).post(f"/api/funding-applications/{draft.pk}/attachments/", {}), 400
    )
    assert "file" in body["errors"]


def test_submitted_application_keeps_its_attachments(attachment, applicant, owner, viewer):
    applications.application_submit(application=attachment.application, user=applicant)
    body = _error(_upload(applicant, attachment.application, "sen.pdf", PDF), 400)
    assert "redan inskickad" in body["message"]
    body = _error(api(applicant).delete(f"/api/funding-attachments/{attachment.pk}/"), 400)
    assert "redan inskickad" in body["message"]
    # the funder reads the attachments of a submitted application but cannot remove them
    for user in (owner, viewer):
        url = f"/api/funding-applications/{attachment.application.pk}/attachments/"
        assert [a["id"] for a in api(user).get(url).data] == [attachment.pk]
        assert api(user).get(f"/api/funding-attachments/{attachment.pk}/download/").content == PDF
        assert _error(api(user).delete(f"/api/funding-attachments/{attachment.pk}/"), 403)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachments_denied_to_others(attachment, applicant_viewer, outsider, owner):
    draft = attachment.application
    list_url = f"/api/funding-applications/{draft.pk}/attachments/"
    urls = [
        f"/api/funding-attachments/{attachment.pk}/",
        f"/api/funding-attachments/{attachment.pk}/download/",
    ]
    # the applicant's reading member reads but may not add or remove
    assert api(applicant_viewer).get(list_url).status_code == 200
    assert _error(_upload(applicant_viewer, draft, "x.pdf", PDF), 403)
    assert _error(api(applicant_viewer).delete(urls[0]), 403)
    # another organisation, and the funder before submission, do not learn that it exists
    for user in (outsider, owner):
        assert _error(api(user).get(list_url), 404)
        assert _error(_upload(user, draft, "x.pdf", PDF), 404)
        for url in urls:
            assert _error(api(user).get(url), 404)
        assert _error(api(user).delete(urls[0]), 404)
    for response in (
        api().get(list_url),
        _upload(None, draft, "x.pdf", PDF),
        api().get(urls[1]),
        api().delete(urls[0]),
    ):
        assert response.status_code in (401, 403)
    assert list(Attachment.objects.values_list("pk", flat=True)) == [attachment.pk]


# --- pages -------------------------------------------------------------------------------------


def test_page_refuses_a_disguised_file_with_the_reason(draft, applicant_client):
    url = reverse("funding:attachment_add", args=[draft.pk])
    response = applicant_client.post(
        url, {"file": SimpleUploadedFile("plan.docx", PDF)}, follow=True
    )
    assert "plan.docx heter .docx men innehållet är PDF" in response.content.decode()
    assert not draft.attachments.exists()


def test_applicant_removes_an_attachment_on_the_page(attachment, applicant_client):
    page = applicant_client.get(reverse("funding:application", args=[attachment.application.pk]))
    remove = reverse("funding:attachment_remove", args=[attachment.pk])
    assert remove in page.content.decode()
    response = applicant_client.post(remove)
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_remove_page_denied_to_others(attachment, applicant_viewer, outsider_client):
    from django.test import Client

    viewer_client = Client()
    viewer_client.force_login(applicant_viewer)
    remove = reverse("funding:attachment_remove", args=[attachment.pk])
    page = viewer_client.get(reverse("funding:application", args=[attachment.application.pk]))
    assert remove not in page.content.decode()
    assert viewer_client.post(remove).status_code == 403
    assert outsider_client.post(remove).status_code == 404
    assert Client().post(remove).status_code == 302  # to the login page
    assert Attachment.objects.filter(pk=attachment.pk).exists()
