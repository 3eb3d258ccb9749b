"""Rules of the funding workflow: every refusal names its reason and writes nothing."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.funding import access, selectors
from samverkan.funding.models import (
    Application,
    ApplicationStatus,
    Attachment,
    Decision,
    FundingReport,
    Outcome,
    Score,
)
from samverkan.funding.services import (
    applications,
    assessment,
    attachments,
    calls,
    decisions,
    reporting,
)
from samverkan.funding.tests.conftest import application_data
from samverkan.projects.models import Project, ProjectStatus
from tests.factories import MembershipFactory, OrganisationFactory


def test_budget_lines_must_add_up_to_the_total(call, applicant, applicant_org):
    with pytest.raises(ValidationError) as exc:
        applications.application_create(
            user=applicant,
            call=call,
            owner=applicant_org,
            **application_data(budget_lines=[("Personal", 250_000), ("Lokal", 40_000)]),
        )
    message = " ".join(exc.value.message_dict["budget_lines"])
    assert "290\u00a0000 kr" in message and "300\u00a0000 kr" in message
    assert "10\u00a0000 kr" in message
    assert not Application.objects.exists()


def test_co_financing_must_cover_exactly_the_budget(call, applicant, applicant_org):
    with pytest.raises(ValidationError) as exc:
        applications.application_create(
            user=applicant,
            call=call,
            owner=applicant_org,
            **application_data(co_financing=[("Malmö stad", 80_000)]),
        )
    message = " ".join(exc.value.message_dict["co_financing"])
    assert "280\u00a0000 kr" in message and "hela budgeten" in message


def test_a_draft_is_saved_and_updated(draft, applicant):
    applications.application_update(application=draft, user=applicant, title="Nytt namn")
    draft.refresh_from_db()
    assert draft.title == "Nytt namn" and draft.status == ApplicationStatus.DRAFT
    assert [b.amount for b in draft.budget_lines.all()] == [250_000, 50_000]


def test_submission_one_second_after_the_deadline_is_refused(draft, applicant, call):
    with pytest.raises(ValidationError) as exc:
        applications.application_submit(
            application=draft, user=applicant, now=call.deadline + datetime.timedelta(seconds=1)
        )
    assert "1 sekund" in exc.value.messages[0]
    assert timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M:%S") in exc.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT and draft.project is None


def test_submission_at_the_deadline_is_accepted_and_becomes_a_planned_project(
    draft, applicant, call
):
    applications.application_submit(application=draft, user=applicant, now=call.deadline)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    project = draft.project
    assert project.status == ProjectStatus.PLANNED
    assert project.owner_id == draft.owner_id and project.title == draft.title


def test_submission_links_an_existing_project_instead_of_duplicating(draft, applicant):
    from samverkan.core import tenancy
    from samverkan.projects.services import project_create

    existing = project_create(user=tenancy.SYSTEM, owner=draft.owner, title="Språkcafé i Malmö")
    applications.application_submit(application=draft, user=applicant)
    assert draft.project_id == existing.pk
    assert Project.objects.filter(title="Språkcafé i Malmö").count() == 1


def test_required_perspective_missing_is_refused(call, applicant, applicant_org):
    application = applications.application_create(
        user=applicant, call=call, owner=applicant_org, **application_data(perspectives={})
    )
    with pytest.raises(ValidationError) as exc:
        applications.application_submit(application=application, user=applicant)
    assert "Jämställdhetsperspektiv" in exc.value.message_dict["perspectives"][0]


def test_ineligible_applicant_is_refused(call, owner, applicant, applicant_org):
    calls.call_update(call=call, user=owner, eligible_kinds=["municipality"])
    with pytest.raises(ValidationError, match="får inte söka"):
        applications.application_create(
            user=applicant, call=call, owner=applicant_org, **application_data()
        )


def test_submitted_application_cannot_change(submitted, applicant):
    with pytest.raises(ValidationError, match="redan inskickad"):
        applications.application_update(application=submitted, user=applicant, title="X")


def test_only_the_applicant_organisation_writes(draft, owner, outsider, applicant_viewer):
    for user in (owner, outsider, applicant_viewer):
        with pytest.raises(PermissionDenied):
            applications.application_update(application=draft, user=user, title="X")


def _docx_bytes():
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _xlsx_bytes():
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _odt_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpeg"),
        (_docx_bytes(), "docx"),
        (_xlsx_bytes(), "xlsx"),
        (_odt_bytes(), "odt"),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx", "odt"],  # stable ids: the zips carry timestamps
)
def test_attachments_are_recognised_by_content(draft, applicant, data, kind):
    attachment = attachments.attachment_add(
        application=draft, user=applicant, filename="fil.bin", data=data
    )
    assert attachment.file_type == kind


def test_attachment_named_pdf_but_not_a_pdf_is_refused(draft, applicant):
    with pytest.raises(ValidationError, match="faktura.pdf är ett Windows-program"):
        attachments.attachment_add(
            application=draft, user=applicant, filename="faktura.pdf", data=b"MZ\x90\x00 exe"
        )
    assert not Attachment.objects.exists()


def test_oversized_attachment_is_refused(draft, applicant):
    data = b"%PDF-" + b"0" * attachments.MAX_ATTACHMENT_BYTES
    with pytest.raises(ValidationError, match="högst 10 MB"):
        attachments.attachment_add(
            application=draft, user=applicant, filename="stor.pdf", data=data
        )


# --- assessment ---------------------------------------------------------------------------------


def _criteria(call):
    return list(call.criteria.all())


def test_assessor_must_declare_conflict_of_interest_first(submitted, owner, call):
    first, second = _criteria(call)
    with pytest.raises(PermissionDenied, match="Deklarera först"):
        assessment.scores_set(application=submitted, user=owner, scores={first.pk: (4, "")})
    assessment.conflict_declare(application=submitted, user=owner, has_conflict=False)
    assessment.scores_set(
        application=submitted, user=owner, scores={first.pk: (4, "Bra"), second.pk: (1, "")}
    )
    assert selectors.weighted_totals(call.pk)[submitted.pk] == (3.0, 1)


def test_assessor_who_declares_conflict_cannot_score(submitted, owner, call):
    assessment.conflict_declare(application=submitted, user=owner, has_conflict=True, note="Släkt")
    with pytest.raises(PermissionDenied, match="anmält jäv"):
        assessment.scores_set(
            application=submitted, user=owner, scores={_criteria(call)[0].pk: (5, "")}
        )
    assert not Score.objects.exists()


def test_assessor_member_of_the_applicant_organisation_cannot_score(
    submitted, editor, applicant_org, call
):
    MembershipFactory(user=editor, organisation=applicant_org, role="viewer")
    assessment.conflict_declare(application=submitted, user=editor, has_conflict=False)
    with pytest.raises(PermissionDenied) as exc:
        assessment.scores_set(
            application=submitted, user=editor, scores={_criteria(call)[0].pk: (5, "")}
        )
    assert "medlem i den sökande organisationen" in str(exc.value)


def test_score_outside_the_scale_is_refused(submitted, owner, call):
    assessment.conflict_declare(application=submitted, user=owner, has_conflict=False)
    with pytest.raises(ValidationError, match="utanför skalan 0–5"):
        assessment.scores_set(
            application=submitted, user=owner, scores={_criteria(call)[0].pk: (6, "")}
        )


def test_viewer_and_outsider_cannot_assess(submitted, viewer, outsider):
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            assessment.conflict_declare(application=submitted, user=user, has_conflict=False)


def test_drafts_are_invisible_to_the_funder(draft, owner, applicant_viewer, outsider):
    readable = access.applications_readable(Application.objects.all(), owner)
    assert draft not in readable
    assert draft in access.applications_readable(Application.objects.all(), applicant_viewer)
    assert not access.applications_readable(Application.objects.all(), outsider).exists()


def _submit(call, applicant, org, title, requested):
    application = applications.application_create(
        user=applicant,
        call=call,
        owner=org,
        **application_data(
            title=title,
            total_budget=requested,
            requested_amount=requested,
            budget_lines=[("Allt", requested)],
            co_financing=[],
        ),
    )
    return applications.application_submit(application=application, user=applicant)


def test_ranking_orders_by_weighted_score_and_draws_the_cut_line(
    call, owner, applicant, applicant_org
):
    first, second = _criteria(call)
    apps = [
        _submit(call, applicant, applicant_org, f"Projekt {n}", amount)
        for n, amount in enumerate([200_000, 250_000, 150_000])
    ]
    for application, (a, b) in zip(apps, [(3, 3), (5, 2), (1, 1)], strict=True):
        assessment.conflict_declare(application=application, user=owner, has_conflict=False)
        assessment.scores_set(
            application=application, user=owner, scores={first.pk: (a, ""), second.pk: (b, "")}
        )
    ranking = selectors.call_ranking(call=call)
    assert [r.pk for r in ranking.rows] == [apps[1].pk, apps[0].pk, apps[2].pk]
    assert [r.total for r in ranking.rows] == [4.0, 3.0, 1.0]
    assert [r.cumulative for r in ranking.rows] == [250_000, 450_000, 600_000]
    assert ranking.cut_after == 1
    assert [pk for pk, _total in selectors.call_ranking_naive(call=call)] == [
        r.pk for r in ranking.rows
    ]


# --- decisions ----------------------------------------------------------------------------------


def test_decision_over_the_call_budget_is_refused(call, owner, applicant, applicant_org):
    a = _submit(call, applicant, applicant_org, "A", 300_000)
    b = _submit(call, applicant, applicant_org, "B", 300_000)
    decisions.decision_make(application=a, user=owner, outcome=Outcome.GRANTED, amount=300_000)
    with pytest.raises(ValidationError) as exc:
        decisions.decision_make(application=b, user=owner, outcome=Outcome.GRANTED, amount=300_000)
    message = exc.value.message_dict["amount"][0]
    assert "600\u00a0000 kr" in message and "500\u00a0000 kr" in message
    assert "200\u00a0000 kr" in message  # left to grant
    assert not Decision.objects.filter(application=b).exists()
    decisions.decision_make(application=b, user=owner, outcome=Outcome.PARTLY, amount=200_000)
    assert decisions.granted_total(call) == 500_000


def test_decision_rules(submitted, owner):
    with pytest.raises(ValidationError, match="Delvis beviljad"):
        decisions.decision_make(
            application=submitted, user=owner, outcome=Outcome.GRANTED, amount=100_000
        )
    with pytest.raises(ValidationError, match="större än sökt"):
        decisions.decision_make(
            application=submitted, user=owner, outcome=Outcome.PARTLY, amount=900_000
        )
    with pytest.raises(ValidationError, match="motiveras"):
        decisions.decision_make(application=submitted, user=owner, outcome=Outcome.REJECTED)
    decision = decisions.decision_make(
        application=submitted, user=owner, outcome=Outcome.REJECTED, reasons="Ej långsiktigt."
    )
    assert decision.amount == 0 and not submitted.reports.exists()


def test_grant_sets_reporting_deadlines_and_records_the_funding_on_the_project(granted):
    kinds = list(granted.reports.values_list("kind", flat=True))
    assert "final" in kinds
    funding = granted.project.fundings.get()
    assert funding.amount == 200_000 and funding.organisation_id == granted.call.owner_id


def test_viewer_cannot_decide(submitted, viewer):
    with pytest.raises(PermissionDenied):
        decisions.decision_make(
            application=submitted, user=viewer, outcome=Outcome.GRANTED, amount=200_000
        )


# --- reporting back -----------------------------------------------------------------------------


def test_report_submission_and_portfolio(granted, applicant, owner):
    report = granted.reports.order_by("due_date").last()
    indicator = granted.indicators.get()
    reporting.report_submit(
        report=report,
        user=applicant,
        progress="Klart.",
        money_spent=190_000,
        results={indicator.pk: Decimal(35)},
    )
    with pytest.raises(ValidationError, match="redan inlämnad"):
        reporting.report_submit(
            report=report, user=applicant, progress="Igen", money_spent=1, results={}
        )
    portfolio = selectors.call_portfolio(call=granted.call)
    assert portfolio.granted_total == 200_000 and portfolio.spent == 190_000
    assert portfolio.results[0]["achieved"] == Decimal(35)


def test_funder_cannot_submit_a_report(granted, owner):
    with pytest.raises(PermissionDenied):
        reporting.report_submit(
            report=granted.reports.first(), user=owner, progress="x", money_spent=0, results={}
        )


def test_overdue_reports(granted):
    report = granted.reports.first()
    later = report.due_date + datetime.timedelta(days=1)
    assert list(selectors.reports_overdue(call=granted.call, today=later))[0] == report
    FundingReport.objects.filter(pk=report.pk).update(submitted_at=timezone.now())
    assert report not in selectors.reports_overdue(call=granted.call, today=later)


def test_similar_projects_are_shown_for_the_application(submitted, applicant, owner):
    from samverkan.core import tenancy
    from samverkan.core.models import Visibility
    from samverkan.projects.services import project_create

    other = OrganisationFactory()
    project_create(
        user=tenancy.SYSTEM,
        owner=other,
        title="Språkcafé i Lund",
        summary="Språkcafé för nyanlända som övar svenska med arbetsgivare.",
        visibility=Visibility.PUBLIC,
    )
    for user in (applicant, owner):
        titles = [
            s.project.title for s in selectors.application_similar(user=user, application=submitted)
        ]
        assert "Språkcafé i Lund" in titles
        assert submitted.project.title not in titles
