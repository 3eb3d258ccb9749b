"""Export/import of calls, decision letters (PDF and DOCX content) and the letters job."""

import io
import json

import pytest
from django.core.management import call_command

from samverkan.core.exchange import ImportRejected, data_export, data_import
from samverkan.core.jobs import job_run
from samverkan.core.models import Job
from samverkan.funding import letters
from samverkan.funding.models import Call, Decision, Outcome
from samverkan.funding.services import assessment, decisions


def test_json_export_nests_criteria_applications_scores_decisions_and_reports(granted, owner):
    assessment.conflict_declare(application=granted, user=owner, has_conflict=False)
    criterion = granted.call.criteria.first()
    assessment.scores_set(application=granted, user=owner, scores={criterion.pk: (4, "Bra")})
    records = json.loads(data_export(kind="calls", fmt="json", user=owner))
    (call,) = records
    assert [c["title"] for c in call["criteria"]] == ["Främjar sysselsättning", "Långsiktighet"]
    (application,) = call["applications"]
    assert application["budget_lines"][0] == {"item": "Personal", "amount": 250000}
    assert application["scores"][0]["score"] == 4
    assert application["decision"]["amount"] == 200000
    assert application["reports"][-1]["kind"] == "final"


def test_export_shows_applications_only_to_those_who_may_read_them(granted, outsider, applicant):
    (call,) = json.loads(data_export(kind="calls", fmt="json", user=outsider))
    assert call["applications"] == []
    (call,) = json.loads(data_export(kind="calls", fmt="json", user=applicant))
    assert len(call["applications"]) == 1 and call["applications"][0]["scores"] == []


def test_xlsx_export_has_a_sheet_per_level(granted, owner):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data_export(kind="calls", fmt="xlsx", user=owner)))
    assert workbook.sheetnames == [
        "Utlysningar",
        "Kriterier",
        "Ansökningar",
        "Bedömningar",
        "Beslut",
        "Återrapporter",
    ]
    assert workbook["Beslut"].max_row == 2


def test_cli_export(granted, tmp_path):
    out = tmp_path / "calls.json"
    call_command("export", "calls", "--format", "json", "-o", str(out))
    assert json.loads(out.read_text())[0]["applications"][0]["decision"]["outcome"] == "granted"


def test_export_import_round_trip(call, owner, organisation):
    exported = data_export(kind="calls", fmt="json", user=owner)
    result = data_import(
        kind="calls", data=exported, filename="calls.json", user=owner, acting_for=organisation
    )
    assert result.created == 1
    copy = Call.objects.exclude(pk=call.pk).get()
    assert copy.title == call.title and copy.budget == call.budget
    assert copy.deadline == call.deadline
    assert copy.required_perspectives == ["gender"]
    assert [(c.title, c.weight) for c in copy.criteria.all()] == [
        (c.title, c.weight) for c in call.criteria.all()
    ]


def test_import_names_row_and_column_and_writes_nothing(owner, organisation):
    rows = [
        {"title": "A", "budget": "tio", "deadline": "2026-13-01T00:00"},
        {
            "title": "B",
            "budget": "100",
            "deadline": "2026-05-01T12:00",
            "criteria": "[{'title': 'X', 'weight': 0}]",
        },
    ]
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="calls",
            data=json.dumps(rows).encode(),
            filename="calls.json",
            user=owner,
            acting_for=organisation,
        )
    where = {(e.row, e.column) for e in exc.value.errors}
    assert (
        (1, "budget") in where and (1, "deadline") in where and (2, "criteria[1].weight") in where
    )
    assert not Call.objects.exists()


def test_import_for_an_organisation_one_does_not_edit_is_refused(outsider, organisation):
    rows = [
        {
            "title": "A",
            "budget": "1",
            "deadline": "2026-05-01T12:00",
            "owner_code": organisation.code,
        }
    ]
    with pytest.raises(ImportRejected, match="kan inte importera"):
        data_import(kind="calls", data=json.dumps(rows).encode(), filename="c.json", user=outsider)


def test_letter_docx_content(granted):
    import docx

    document = docx.Document(io.BytesIO(letters.letter_docx(granted)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Beslut om projektstöd: Språkcafé i Malmö" in text
    assert "Beslut: Beviljad" in text
    assert "Beviljat belopp: 200\u00a0000 kr" in text
    assert "Återrapporten" not in text and "Slutrapport senast" in text
    assert "Villkor" in text and "Återrapportera." in text
    assert document.core_properties.author == granted.call.owner.name


def test_rejection_letter_has_reasons_but_no_amount(submitted, owner):
    decisions.decision_make(
        application=submitted, user=owner, outcome=Outcome.REJECTED, reasons="Saknar förankring."
    )
    submitted.refresh_from_db()
    html = letters._letter_fragment(submitted)
    assert "Avslag" in html and "Saknar förankring." in html and "Beviljat belopp" not in html


def test_letter_pdf_is_a_tagged_swedish_pdf(granted):
    (pdf,) = letters.letters_pdf([granted])
    assert pdf.startswith(b"%PDF")
    assert b"/Lang (sv)" in pdf or b"/Lang(sv)" in pdf
    assert b"/StructTreeRoot" in pdf  # tagged (PDF/UA)
    html = letters._letter_fragment(granted)
    assert "Språkcafé i Malmö" in html and "200\u00a0000 kr" in html


def test_letters_job_generates_every_letter_with_progress(
    granted, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = decisions.decision_letters_enqueue(call=granted.call, user=owner)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100
    assert job.result == {"call_id": granted.call.pk, "letters": 1}
    decision = Decision.objects.get()
    assert bytes(decision.letter_pdf).startswith(b"%PDF")
    assert bytes(decision.letter_docx).startswith(b"PK")


def test_letters_job_rechecks_permission(granted, owner, settings):
    from samverkan.accounts.models import Membership

    settings.JOBS_MODE = "queue"
    job = decisions.decision_letters_enqueue(call=granted.call, user=owner)
    Membership.objects.filter(user=owner).delete()
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status in (Job.Status.QUEUED, Job.Status.FAILED)
    assert "PermissionDenied" in job.error
    assert Decision.objects.get().letter_pdf is None


def test_letters_need_decisions(call, owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="inga beslut"):
        decisions.decision_letters_enqueue(call=call, user=owner)
