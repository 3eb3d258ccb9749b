"""Import of calls with the full nesting (criteria, applications, scores, decisions, reports):
export → import into a fresh owner gives the same data, in JSON and XLSX; errors name the row
and the field, and nothing is written."""

import io
import json
from decimal import Decimal

import pytest

from samverkan.core.exchange import ImportRejected, data_export, data_import
from samverkan.funding.models import Application, Call, Decision, FundingReport, Score
from samverkan.funding.services import assessment, reporting
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def full_call(granted, owner, applicant):
    """A call with a scored, granted application and a submitted report with results."""
    first, second = granted.call.criteria.all()
    assessment.conflict_declare(application=granted, user=owner, has_conflict=False)
    assessment.scores_set(
        application=granted, user=owner, scores={first.pk: (4, "Bra"), second.pk: (3, "")}
    )
    indicator = granted.indicators.get()
    report = granted.reports.last()
    reporting.report_submit(
        report=report,
        user=applicant,
        progress="Det gick bra.",
        money_spent=150_000,
        results={indicator.pk: Decimal("35")},
    )
    return granted.call


@pytest.fixture
def fresh(owner):
    organisation = OrganisationFactory(name="Ny finansiär", code="ny-finansiar")
    MembershipFactory(organisation=organisation, user=owner, role="admin")
    owner.__dict__.pop("_samverkan_org_ids", None)  # tenancy caches memberships on the user
    return organisation


def _normalised(records):
    """The exported records without database ids and the call's owner; report results keyed
    by indicator name instead of id."""
    out = []
    for call in records:
        call = {k: v for k, v in call.items() if k not in ("id", "owner_code")}
        call["criteria"] = [
            {k: v for k, v in c.items() if k != "call_id"} for c in call["criteria"]
        ]
        applications = []
        for a in call["applications"]:
            names = {str(i["id"]): i["name"] for i in a["indicators"]}
            a = {k: v for k, v in a.items() if k not in ("id", "call_id", "project_id")}
            a["indicators"] = [{k: v for k, v in i.items() if k != "id"} for i in a["indicators"]]
            a["scores"] = [
                {k: v for k, v in s.items() if k != "application_id"} for s in a["scores"]
            ]
            if a["decision"]:
                a["decision"] = {k: v for k, v in a["decision"].items() if k != "application_id"}
            a["reports"] = [
                {
                    **{k: v for k, v in r.items() if k not in ("application_id", "results")},
                    "results": {names[k]: v for k, v in r["results"].items()},
                }
                for r in a["reports"]
            ]
            applications.append(a)
        call["applications"] = applications
        out.append(call)
    return out


def _export(user, organisation):
    return json.loads(
        data_export(kind="calls", fmt="json", user=user, options={"owner": organisation.code})
    )


def test_json_round_trip_into_a_fresh_owner_gives_the_same_data(full_call, owner, fresh):
    original = _export(owner, full_call.owner)
    records = json.loads(json.dumps(original))
    for record in records:
        record["owner_code"] = fresh.code
    result = data_import(
        kind="calls",
        data=json.dumps(records).encode(),
        filename="calls.json",
        user=owner,
        acting_for=fresh,
    )
    assert result.created == 1
    copy = _export(owner, fresh)
    assert _normalised(copy) == _normalised(original)
    assert copy[0]["applications"][0]["scores"][0]["score"] == 4
    assert copy[0]["applications"][0]["decision"]["amount"] == 200_000
    assert Application.objects.count() == 2 and Decision.objects.count() == 2
    imported = Application.objects.get(call__owner=fresh)
    assert imported.owner == full_call.applications.get().owner  # the applicant keeps it
    assert imported.history.exists()


def test_xlsx_round_trip_into_a_fresh_owner_gives_the_same_data(full_call, owner, fresh):
    from openpyxl import load_workbook

    original = _export(owner, full_call.owner)
    data = data_export(
        kind="calls", fmt="xlsx", user=owner, options={"owner": full_call.owner.code}
    )
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Utlysningar"]
    column = [c.value for c in sheet[1]].index("owner_code") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column, value=fresh.code)
    out = io.BytesIO()
    workbook.save(out)
    result = data_import(
        kind="calls", data=out.getvalue(), filename="calls.xlsx", user=owner, acting_for=fresh
    )
    assert result.created == 1
    assert _normalised(_export(owner, fresh)) == _normalised(original)


def _broken(records):
    application = records[0]["applications"][0]
    application["budget_lines"][0]["amount"] = "mycket"
    application["scores"][0]["assessor"] = "okand@example.se"
    application["decision"]["amount"] = 999_999
    application["reports"][-1]["results"] = {"424242": "3"}
    application["partners"] = [{"organisation_code": "finns-inte", "role": "partner"}]
    return records


def test_import_errors_name_row_and_field_and_nothing_is_written(full_call, owner, fresh):
    records = _broken(_export(owner, full_call.owner))
    records[0]["owner_code"] = fresh.code
    counts = (Call.objects.count(), Application.objects.count(), Score.objects.count())
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="calls",
            data=json.dumps(records).encode(),
            filename="calls.json",
            user=owner,
            acting_for=fresh,
        )
    where = {(e.row, e.column) for e in exc.value.errors}
    for column in (
        "applications[1].budget_lines[1].amount",
        "applications[1].scores[1].assessor",
        "applications[1].decision.amount",
        "applications[1].reports[2].results",
        "applications[1].partners[1].organisation_code",
    ):
        assert (1, column) in where, (column, where)
    message = next(e.message for e in exc.value.errors if e.column.endswith("decision.amount"))
    assert "999\xa0999 kr" in message and "200\xa0000 kr" in message
    assert (Call.objects.count(), Application.objects.count(), Score.objects.count()) == counts
    assert FundingReport.objects.count() == 2


def test_xlsx_errors_name_the_sheet_and_row(full_call, owner, fresh):
    from openpyxl import load_workbook

    data = data_export(
        kind="calls", fmt="xlsx", user=owner, options={"owner": full_call.owner.code}
    )
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Bedömningar"]
    column = [c.value for c in sheet[1]].index("score") + 1
    sheet.cell(row=3, column=column, value=9)
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="calls", data=out.getvalue(), filename="c.xlsx", user=owner, acting_for=fresh
        )
    assert any(e.column == "Bedömningar rad 3: score" for e in exc.value.errors), exc.value.errors
    assert Call.objects.count() == 1


def test_import_refuses_a_grant_sum_over_the_call_budget(full_call, owner, fresh):
    records = _export(owner, full_call.owner)
    records[0]["owner_code"] = fresh.code
    records[0]["budget"] = 100_000
    with pytest.raises(ImportRejected, match="överstiger utlysningens budget"):
        data_import(
            kind="calls",
            data=json.dumps(records).encode(),
            filename="calls.json",
            user=owner,
            acting_for=fresh,
        )
    assert Call.objects.count() == 1
