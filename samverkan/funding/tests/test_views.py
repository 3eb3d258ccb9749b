"""Pages: who sees and does what (applicant, funder owner/editor/viewer, outsider, anonymous),
and a cross-organisation denial for every funding page."""

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.funding.models import Application, ConflictDeclaration, Decision, Score
from samverkan.funding.services import attachments, calls


def _counts():
    return (
        Application.objects.count(),
        Score.objects.count(),
        Decision.objects.count(),
        ConflictDeclaration.objects.count(),
    )


def _urls(call, application, report, attachment):
    c, a = call.pk, application.pk
    return [
        ("funding:call_edit", c),
        ("funding:criterion_add", c),
        ("funding:call_publish", c),
        ("funding:ranking", c),
        ("funding:letters", c),
        ("funding:portfolio", c),
        ("funding:application", a),
        ("funding:application_edit", a),
        ("funding:application_submit", a),
        ("funding:attachment_add", a),
        ("funding:conflict", a),
        ("funding:assess", a),
        ("funding:decide", a),
        ("funding:letter_pdf", a),
        ("funding:letter_docx", a),
        ("funding:attachment", attachment.pk),
        ("funding:attachment_remove", attachment.pk),
        ("funding:report", report.pk),
    ]


@pytest.fixture
def attachment(draft, applicant):
    return attachments.attachment_add(
        application=draft, user=applicant, filename="plan.pdf", data=b"%PDF-1.4 test"
    )


def test_outsider_is_denied_every_funding_page(attachment, granted, outsider_client, call):
    report = granted.reports.first()
    before = _counts()
    for name, pk in _urls(call, granted, report, attachment):
        url = reverse(name, args=[pk])
        for method in ("get", "post"):
            response = getattr(outsider_client, method)(url, {"has_conflict": "no"})
            assert response.status_code in (403, 404, 405), (method, url, response.status_code)
    assert _counts() == before


def test_anonymous_is_sent_to_login_for_applications(granted, call):
    client = Client()
    response = client.get(reverse("funding:application", args=[granted.pk]))
    assert response.status_code == 302 and "/konto/" in response["Location"]
    assert client.get(reverse("funding:call", args=[call.pk])).status_code == 200  # published


def test_call_list_and_detail_for_everyone(call, client, outsider_client):
    assert call.title in client.get(reverse("funding:list")).content.decode()
    assert outsider_client.get(reverse("funding:call", args=[call.pk])).status_code == 200


def test_draft_call_is_private_to_the_funder(organisation, owner, viewer_client, outsider_client):
    import datetime

    from django.utils import timezone

    draft_call = calls.call_create(
        user=owner,
        owner=organisation,
        title="Utkast",
        budget=1,
        deadline=timezone.now() + datetime.timedelta(days=1),
    )
    url = reverse("funding:call", args=[draft_call.pk])
    assert viewer_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404


def test_applicant_creates_saves_and_submits_through_the_pages(
    call, applicant_client, applicant_org
):
    url = reverse("funding:application_create", args=[call.pk])
    assert applicant_client.get(url).status_code == 200
    data = {
        "owner": applicant_org.pk,
        "title": "Läxhjälp",
        "description": "Läxhjälp för nyanlända barn.",
        "total_budget": 100000,
        "budget_lines": "Personal: 80 000\nMaterial: 10 000",
        "requested_amount": 100000,
        "expected_results": "Bättre betyg.",
        "indicators": "Elever: 30 st",
        "perspective_gender": "Flickor och pojkar lika.",
    }
    response = applicant_client.post(url, data)
    assert response.status_code == 200
    assert "summerar till 90" in response.content.decode()
    assert not Application.objects.exists()
    data["budget_lines"] = "Personal: 90 000\nMaterial: 10 000"
    response = applicant_client.post(url, data)
    application = Application.objects.get()
    assert response.status_code == 302 and application.status == "draft"
    response = applicant_client.post(reverse("funding:application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted" and application.project is not None
    page = applicant_client.get(reverse("funding:application", args=[application.pk]))
    assert "Liknande projekt" in page.content.decode()


def test_applicant_viewer_reads_but_cannot_submit(draft, applicant_viewer):
    client = Client()
    client.force_login(applicant_viewer)
    assert client.get(reverse("funding:application", args=[draft.pk])).status_code == 200
    response = client.post(reverse("funding:application_submit", args=[draft.pk]))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_funder_does_not_see_drafts(draft, owner_client):
    assert owner_client.get(reverse("funding:application", args=[draft.pk])).status_code == 404


def test_funder_roles_on_a_submitted_application(submitted, owner_client, viewer_client, call):
    url = reverse("funding:application", args=[submitted.pk])
    assert owner_client.get(url).status_code == 200
    assert viewer_client.get(url).status_code == 200
    assert viewer_client.get(reverse("funding:assess", args=[submitted.pk])).status_code == 403
    assert viewer_client.get(reverse("funding:ranking", args=[call.pk])).status_code == 403
    assert owner_client.get(reverse("funding:ranking", args=[call.pk])).status_code == 200


def test_assessment_through_the_pages(submitted, editor_client, call):
    assess = reverse("funding:assess", args=[submitted.pk])
    page = editor_client.get(assess)
    assert "Deklarera först" in page.content.decode()
    editor_client.post(reverse("funding:conflict", args=[submitted.pk]), {"has_conflict": "no"})
    first, second = call.criteria.all()
    response = editor_client.post(
        assess,
        {f"score_{first.pk}": 4, f"comment_{first.pk}": "Bra", f"score_{second.pk}": 2},
    )
    assert response.status_code == 302 and Score.objects.count() == 2
    ranking = editor_client.get(reverse("funding:ranking", args=[call.pk])).content.decode()
    assert "3.33" in ranking or "3,33" in ranking


def test_assessor_with_conflict_is_refused_on_the_page(submitted, editor_client, call):
    editor_client.post(reverse("funding:conflict", args=[submitted.pk]), {"has_conflict": "yes"})
    first = call.criteria.first()
    response = editor_client.post(
        reverse("funding:assess", args=[submitted.pk]), {f"score_{first.pk}": 5}
    )
    assert response.status_code == 403
    assert "anmält jäv" in response.content.decode()
    assert not Score.objects.exists()


def test_decision_over_budget_shows_the_reason(submitted, owner_client, call):
    call.budget = 100_000
    call.save()
    response = owner_client.post(
        reverse("funding:decide", args=[submitted.pk]),
        {"outcome": "granted", "amount": 200000},
    )
    assert response.status_code == 200
    assert "över utlysningens budget" in response.content.decode()
    assert not Decision.objects.exists()


def test_applicant_sees_the_outcome_and_letters(granted, applicant_client):
    page = applicant_client.get(reverse("funding:application", args=[granted.pk])).content
    assert "Beviljad" in page.decode() and "200" in page.decode()
    pdf = applicant_client.get(reverse("funding:letter_pdf", args=[granted.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = applicant_client.get(reverse("funding:letter_docx", args=[granted.pk]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_report_back_through_the_page(granted, applicant_client, owner_client):
    report = granted.reports.order_by("due_date").last()
    indicator = granted.indicators.get()
    url = reverse("funding:report", args=[report.pk])
    assert owner_client.post(url, {"progress": "x"}).status_code == 403
    response = applicant_client.post(
        url, {"progress": "Det gick bra.", "money_spent": 150000, f"result_{indicator.pk}": "38"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.submitted_at and report.results == {str(indicator.pk): "38"}
    portfolio = owner_client.get(reverse("funding:portfolio", args=[granted.call.pk]))
    assert portfolio.status_code == 200 and "38" in portfolio.content.decode()


def test_attachment_upload_checks_content(draft, applicant_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("funding:attachment_add", args=[draft.pk])
    applicant_client.post(url, {"file": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert not draft.attachments.exists()
    applicant_client.post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.7 ok")})
    attachment = draft.attachments.get()
    response = applicant_client.get(reverse("funding:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
