"""Import of calls with the full nesting (criteria, applications, scores, decisions, reports):
export → import into a fresh owner gives the same data, in JSON and XLSX; errors name the row
and the field, and nothing is written."""

import io
import json
from decimal import Decimal

import pytest

from samverkan.core.exchange import ImportRejected, data_export, data_import
from samverkan.core.models import Visibility
from samverkan.funding.models import Application, Call, Decision, FundingReport, Score
from samverkan.funding.services import assessment, reporting
from samverkan.projects.models import ParticipantRole, Project, ProjectStatus
from samverkan.projects.services import project_create
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


# --- the knowledge-bank project link -----------------------------------------------------------


def _round_trip(fmt, owner, source, target):
    """Export ``source``'s calls in ``fmt``, import them for ``target``; return the import."""
    from openpyxl import load_workbook

    if fmt == "json":
        records = _export(owner, source)
        for record in records:
            record["owner_code"] = target.code
        data = json.dumps(records).encode()
    else:
        workbook = load_workbook(
            io.BytesIO(
                data_export(kind="calls", fmt="xlsx", user=owner, options={"owner": source.code})
            )
        )
        sheet = workbook["Utlysningar"]
        column = [c.value for c in sheet[1]].index("owner_code") + 1
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row=row, column=column, value=target.code)
        out = io.BytesIO()
        workbook.save(out)
        data = out.getvalue()
    return data_import(
        kind="calls", data=data, filename=f"calls.{fmt}", user=owner, acting_for=target
    )


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_round_trip_links_the_readable_project_again(full_call, owner, fresh, fmt):
    original = full_call.applications.get()
    project = original.project
    Project.objects.filter(pk=project.pk).update(visibility=Visibility.PUBLIC, title="Språkcafé")
    exported = _export(owner, full_call.owner)[0]["applications"][0]
    assert (exported["project_owner_code"], exported["project_title"]) == (
        original.owner.code,
        "Språkcafé",  # the project's own title: the exporter may read it
    )
    projects = Project.objects.count()
    assert _round_trip(fmt, owner, full_call.owner, fresh).created == 1
    imported = Application.objects.get(call__owner=fresh)
    assert imported.project_id == project.pk
    assert Project.objects.count() == projects
    assert _normalised(_export(owner, fresh)) == _normalised(_export(owner, full_call.owner))


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_round_trip_makes_the_planned_project_when_it_cannot_be_read(full_call, owner, fresh, fmt):
    original = full_call.applications.get()
    assert original.project.visibility == Visibility.PRIVATE  # the applicant's, unreadable here
    exported = _export(owner, full_call.owner)[0]["applications"][0]
    assert (exported["project_owner_code"], exported["project_title"]) == (
        original.owner.code,
        original.title,  # the title the project was linked by, not the private project's own
    )
    assert _round_trip(fmt, owner, full_call.owner, fresh).created == 1
    imported = Application.objects.get(call__owner=fresh)
    project = imported.project
    assert project is not None and project.pk != original.project_id
    assert (project.owner, project.title, project.status, project.visibility) == (
        original.owner,
        original.title,
        ProjectStatus.PLANNED,
        Visibility.PRIVATE,
    )
    assert project.source == f"Ansökan till {full_call.title}"
    assert set(project.participants.values_list("organisation__code", "role")) == {
        (original.owner.code, ParticipantRole.IMPLEMENTING)
    }
    assert _normalised(_export(owner, fresh)) == _normalised(_export(owner, full_call.owner))


def test_applications_naming_the_same_missing_project_share_the_new_one(full_call, owner, fresh):
    records = _export(owner, full_call.owner)
    records[0]["owner_code"] = fresh.code
    first = records[0]["applications"][0]
    records[0]["applications"].append({**first, "title": "Språkcafé i Malmö, andra året"})
    projects = Project.objects.count()
    data_import(
        kind="calls",
        data=json.dumps(records).encode(),
        filename="calls.json",
        user=owner,
        acting_for=fresh,
    )
    linked = set(Application.objects.filter(call__owner=fresh).values_list("project", flat=True))
    assert len(linked) == 1 and Project.objects.count() == projects + 1


def test_an_ambiguous_project_reference_rejects_the_file(full_call, owner, fresh, applicant):
    original = full_call.applications.get()
    Project.objects.filter(pk=original.project_id).update(visibility=Visibility.PUBLIC)
    twin = project_create(
        user=applicant,
        owner=original.owner,
        title="språkcafé  i Malmö!",  # the same by the project exchange's key
        visibility=Visibility.PUBLIC,
    )
    records = _export(owner, full_call.owner)
    records[0]["owner_code"] = fresh.code
    counts = (Call.objects.count(), Application.objects.count(), Project.objects.count())
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="calls",
            data=json.dumps(records).encode(),
            filename="calls.json",
            user=owner,
            acting_for=fresh,
        )
    (error,) = [e for e in exc.value.errors if "project" in e.column]
    assert (error.row, error.column) == (1, "applications[1].project_title")
    assert "tvetydig" in error.message
    assert f"{original.project_id}, {twin.pk}" in error.message
    assert (Call.objects.count(), Application.objects.count(), Project.objects.count()) == counts


def test_an_ambiguous_project_reference_in_xlsx_names_the_sheet_and_row(
    full_call, owner, fresh, applicant
):
    original = full_call.applications.get()
    Project.objects.filter(pk=original.project_id).update(visibility=Visibility.PUBLIC)
    project_create(
        user=applicant, owner=original.owner, title="SPRÅKCAFÉ I MALMÖ", visibility="public"
    )
    with pytest.raises(ImportRejected) as exc:
        _round_trip("xlsx", owner, full_call.owner, fresh)
    assert [e.column for e in exc.value.errors] == ["Ansökningar rad 2: project_title"]
    assert not Call.objects.filter(owner=fresh).exists()


def test_half_a_project_reference_is_refused(full_call, owner, fresh):
    records = _export(owner, full_call.owner)
    records[0]["owner_code"] = fresh.code
    records[0]["applications"][0]["project_owner_code"] = ""
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="calls",
            data=json.dumps(records).encode(),
            filename="calls.json",
            user=owner,
            acting_for=fresh,
        )
    assert [(e.column, e.message) for e in exc.value.errors] == [
        (
            "applications[1].project_owner_code",
            "ange både project_owner_code och project_title, eller ingen av dem",
        )
    ]


@pytest.mark.parametrize("text", ["[" * 5_000 + "]" * 5_000, "-" * 30_000 + "1"])
def test_a_nested_value_cell_nested_too_deep_is_read_as_text_not_a_server_error(text):
    from samverkan.funding.import_checks import literal

    assert literal(text) == [text]
