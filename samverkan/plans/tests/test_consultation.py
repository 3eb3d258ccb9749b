import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samverkan.core import tenancy
from samverkan.plans import documents, reports, services
from samverkan.plans.models import ConsultationComment

DRAFT = """Inledande text om strategin.

# Vision
Alla invånare ska vara delaktiga.

# Arbete
Fler ska komma i arbete.

Andra stycket om arbete.
"""


@pytest.fixture
def consultation(strategy, other_organisation):
    c = services.consultation_create(
        strategy=strategy,
        user=tenancy.SYSTEM,
        title="Remiss: strategi",
        sections=documents.split_markdown(DRAFT),
    )
    services.consultation_publish(
        consultation=c,
        user=tenancy.SYSTEM,
        organisations=[other_organisation],
        deadline=timezone.now() + datetime.timedelta(days=30),
    )
    return c


def test_markdown_is_split_into_sections():
    sections = documents.split_markdown(DRAFT)
    assert [h for h, _ in sections] == ["Inledning", "Vision", "Arbete"]
    assert sections[2][1] == "Fler ska komma i arbete.\n\nAndra stycket om arbete."


def test_publish_puts_strategy_on_consultation(consultation, strategy):
    strategy.refresh_from_db()
    assert strategy.status == "consultation"
    assert consultation.invites.get().token


def test_respondent_comments_per_section_and_passage(client, consultation):
    invite = consultation.invites.get()
    section = consultation.sections.get(heading="Arbete")
    response = client.post(
        f"/strategier/remiss/{invite.token}/",
        {
            "section": section.pk,
            "text": "Nämn praktikplatser.",
            "passage": "Fler ska komma i arbete.",
        },
    )
    assert response.status_code == 302
    comment = ConsultationComment.objects.get()
    assert (comment.section, comment.passage) == (section, "Fler ska komma i arbete.")
    invite.refresh_from_db()
    assert invite.responded_at is not None


def test_passage_must_be_in_section(consultation):
    invite = consultation.invites.get()
    section = consultation.sections.get(heading="Arbete")
    with pytest.raises(ValidationError):
        services.consultation_comment_create(
            invite=invite, section=section, text="X", passage="Står inte där"
        )


def test_no_comments_answer(client, consultation):
    invite = consultation.invites.get()
    client.post(f"/strategier/remiss/{invite.token}/", {"action": "no_comments"})
    invite.refresh_from_db()
    assert invite.no_comments and invite.responded_at


def test_comment_after_deadline_is_refused(consultation):
    consultation.deadline = timezone.now() - datetime.timedelta(minutes=1)
    consultation.save()
    with pytest.raises(ValidationError) as exc:
        services.consultation_comment_create(invite=consultation.invites.get(), text="Sent")
    assert "Sista svarsdag" in exc.value.messages[0]
    assert not ConsultationComment.objects.exists()


def test_comment_on_withdrawn_draft_is_refused(client, consultation):
    services.consultation_set_status(
        consultation=consultation, user=tenancy.SYSTEM, status="withdrawn"
    )
    invite = consultation.invites.get()
    response = client.post(f"/strategier/remiss/{invite.token}/", {"text": "Hej"}, follow=True)
    assert "återkallad" in response.content.decode()
    assert not ConsultationComment.objects.exists()


def test_unknown_token_is_404(client, consultation):
    assert client.get("/strategier/remiss/finns-inte/").status_code == 404


def test_owner_decides_and_exports_compilation(owner_client, consultation):
    invite = consultation.invites.get()
    comment = services.consultation_comment_create(invite=invite, text="Lägg till boende.")
    with pytest.raises(ValidationError):
        services.consultation_comment_decide(
            comment=comment, user=tenancy.SYSTEM, decision="rejected"
        )
    owner_client.post(
        f"/strategier/remisser/{consultation.pk}/beslut/",
        {
            "comment": comment.pk,
            "decision": "accepted",
            "reason": "Nytt avsnitt",
        },
    )
    comment.refresh_from_db()
    assert (comment.decision, comment.decision_reason) == ("accepted", "Nytt avsnitt")
    page = owner_client.get(f"/strategier/remisser/{consultation.pk}/").content.decode()
    assert "1 av 1 har svarat" in page
    rows = reports.compilation_rows(consultation)
    assert rows[0]["Synpunkt"] == "Lägg till boende." and rows[0]["Ställningstagande"] == "Beaktad"
    assert (
        owner_client.get(f"/strategier/remisser/{consultation.pk}/sammanstallning.xlsx").status_code
        == 200
    )
    docx_bytes = owner_client.get(
        f"/strategier/remisser/{consultation.pk}/sammanstallning.docx"
    ).content
    assert b"word/document.xml" in docx_bytes


def test_outsider_cannot_manage_consultation(outsider_client, consultation):
    comment = services.consultation_comment_create(
        invite=consultation.invites.get(), text="Synpunkt"
    )
    assert outsider_client.get(f"/strategier/remisser/{consultation.pk}/").status_code == 403
    response = outsider_client.post(
        f"/strategier/remisser/{consultation.pk}/beslut/",
        {"comment": comment.pk, "decision": "noted"},
    )
    assert response.status_code == 403
    assert (
        outsider_client.get(
            f"/strategier/remisser/{consultation.pk}/sammanstallning.xlsx"
        ).status_code
        == 403
    )
    comment.refresh_from_db()
    assert comment.decision == "pending"


def _docx(extra: dict[str, bytes] | None = None, rels: str = "") -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Bakgrund", level=1)
    document.add_paragraph("Text om bakgrunden.")
    document.add_heading("Mål", level=1)
    document.add_paragraph("Fyra övergripande mål.")
    buffer = io.BytesIO()
    document.save(buffer)
    if not extra and not rels:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if rels and item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            target.writestr(item, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def test_docx_is_split_at_headings():
    sections = documents.split_docx(_docx(), "utkast.docx")
    assert [h for h, _ in sections] == ["Bakgrund", "Mål"]


def test_docx_with_macros_is_refused():
    with pytest.raises(ValidationError) as exc:
        documents.split_docx(_docx({"word/vbaProject.bin": b"x"}), "makro.docx")
    assert "makron" in exc.value.messages[0]


def test_docx_with_external_link_is_refused():
    rel = (
        '<Relationship Id="rId99" Target="http://example.com/x.png" TargetMode="External" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
    )
    with pytest.raises(ValidationError) as exc:
        documents.split_docx(_docx(rels=rel), "lank.docx")
    assert "externa länkar" in exc.value.messages[0]


def test_oversized_docx_is_refused(owner_client, strategy):
    big = b"PK" + b"0" * (documents.MAX_DOCX_BYTES + 1)
    with pytest.raises(ValidationError) as exc:
        documents.check_docx(big, "stor.docx")
    assert "högst 20 MB" in exc.value.messages[0]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = owner_client.post(
        f"/strategier/{strategy.pk}/ny-remiss/",
        {"title": "Stor", "docx": SimpleUploadedFile("stor.docx", big)},
    )
    assert "högst 20 MB" in response.content.decode()
    assert not strategy.consultations.exists()


def test_docx_upload_creates_consultation(owner_client, strategy):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = owner_client.post(
        f"/strategier/{strategy.pk}/ny-remiss/",
        {"title": "Utkast", "docx": SimpleUploadedFile("utkast.docx", _docx())},
    )
    assert response.status_code == 302
    assert list(strategy.consultations.get().sections.values_list("heading", flat=True)) == [
        "Bakgrund",
        "Mål",
    ]


def test_consultation_api(client, owner_client, outsider_client, consultation):
    invite = consultation.invites.get()
    section = consultation.sections.get(heading="Vision")
    url = f"/api/consultation-responses/{invite.token}/"
    assert client.get(url).json()["sections"][1]["heading"] == "Vision"
    created = client.post(f"{url}comments/", {"section": section.pk, "text": "Bra vision."})
    assert created.status_code == 201
    data = owner_client.get(f"/api/consultations/{consultation.pk}/").json()
    assert data["sections"][1]["comments"][0]["text"] == "Bra vision."
    assert data["not_answered"] == []
    comment_id = created.json()["id"]
    assert outsider_client.get(f"/api/consultations/{consultation.pk}/").status_code == 403
    denied = outsider_client.post(
        f"/api/consultations/{consultation.pk}/comments/{comment_id}/decision/",
        {"decision": "noted"},
    )
    assert denied.status_code == 403
    decided = owner_client.post(
        f"/api/consultations/{consultation.pk}/comments/{comment_id}/decision/",
        {"decision": "noted"},
    )
    assert decided.json()["decision"] == "noted"
    consultation.deadline = timezone.now() - datetime.timedelta(seconds=1)
    consultation.save()
    late = client.post(f"{url}comments/", {"text": "För sent"})
    assert late.status_code == 400 and "Sista svarsdag" in late.json()["message"]


def test_owner_closes_a_consultation_through_its_status_action(owner_client, consultation):
    url = f"/strategier/remisser/{consultation.pk}/status/"
    response = owner_client.post(url, {"status": "open"}, follow=True)
    assert "Okänd status för remissen" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status != "closed"
    owner_client.post(url, {"status": "closed"})
    consultation.refresh_from_db()
    assert consultation.status == "closed"
    assert owner_client.get(url).status_code == 405  # actions are POST only
