"""The regional development strategy (RUS) and growth agreements a strategy or plan takes its
starting point in, in every file made of strategies and plans (issue 22, item 8): the strategy
export (`samverkan export strategies` as CSV, XLSX and JSON, the same through the UI and the
API), the plan as XLSX and PDF, and the strategy and plan API. Only the links the reader may
read are written, and the import finds them again."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected, data_export, data_import
from samverkan.core.models import Visibility
from samverkan.plans import reports, selectors, services
from samverkan.plans.models import Strategy
from tests.factories import OrganisationFactory

RUS = "Regional utvecklingsstrategi för Skåne 2030"
GROWTH = "Regionalt tillväxtavtal för Skåne 2000–2002"
HIDDEN = "Annan förenings interna utvecklingsstrategi"


@pytest.fixture
def linked(organisation, other_organisation, skane):
    """An internal strategy of the owner building on a published RUS and on a RUS private to
    another organisation (linked by someone in both), with a plan building on a growth
    agreement."""
    region = OrganisationFactory(
        code="region-12", name="Region Skåne", kind="region", sector="public", county=skane
    )
    rus = services.strategy_create(
        user=tenancy.SYSTEM,
        owner=region,
        title=RUS,
        kind="regional_development",
        level="regional",
        visibility=Visibility.PUBLIC,
    )
    growth = services.strategy_create(
        user=tenancy.SYSTEM,
        owner=region,
        title=GROWTH,
        kind="growth_agreement",
        level="regional",
        visibility=Visibility.PUBLIC,
    )
    hidden = services.strategy_create(
        user=tenancy.SYSTEM,
        owner=other_organisation,
        title=HIDDEN,
        kind="regional_development",
        visibility=Visibility.PRIVATE,
    )
    strategy = services.strategy_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Integrationsstrategi för länsstyrelsen",
        visibility=Visibility.INTERNAL,
        builds_on=[rus, hidden],
    )
    plan = services.plan_create(
        strategy=strategy,
        user=tenancy.SYSTEM,
        title="Handlingsplan 2025",
        year_start=2025,
        builds_on=[growth],
    )
    return {"strategy": strategy, "plan": plan, "rus": rus, "growth": growth, "hidden": hidden}


def _records(user):
    return {
        r["title"]: r for r in json.loads(data_export(kind="strategies", fmt="json", user=user))
    }


def test_json_export_names_the_links_the_reader_may_read(linked, owner, viewer, outsider):
    for member in (owner, viewer):
        record = _records(member)["Integrationsstrategi för länsstyrelsen"]
        assert record["builds_on"] == [
            {"title": RUS, "owner_code": "region-12", "kind": "regional_development"}
        ]
        assert record["plans"][0]["builds_on"] == [
            {"title": GROWTH, "owner_code": "region-12", "kind": "growth_agreement"}
        ]
    # the other organisation reads the internal strategy and its own private RUS
    record = _records(outsider)["Integrationsstrategi för länsstyrelsen"]
    assert [r["title"] for r in record["builds_on"]] == [HIDDEN, RUS]


def test_csv_and_xlsx_exports_and_the_command(linked, owner, tmp_path):
    rows = list(
        csv.DictReader(
            io.StringIO(data_export(kind="strategies", fmt="csv", user=owner).decode("utf-8-sig"))
        )
    )
    by_title = {r["title"]: r for r in rows}
    assert by_title["Integrationsstrategi för länsstyrelsen"]["builds_on"] == RUS
    assert by_title[RUS]["builds_on"] == ""
    workbook = load_workbook(io.BytesIO(data_export(kind="strategies", fmt="xlsx", user=owner)))
    strategies = list(workbook["Strategier"].iter_rows(values_only=True))
    column = strategies[0].index("builds_on")
    assert RUS in [row[column] for row in strategies[1:]]
    plans = list(workbook["Handlingsplaner"].iter_rows(values_only=True))
    assert plans[1][plans[0].index("builds_on")] == GROWTH
    # `samverkan export strategies` (the command line reads everything)
    target = tmp_path / "strategies.json"
    call_command("export", "strategies", "--format", "json", "-o", str(target))
    record = {r["title"]: r for r in json.loads(target.read_text(encoding="utf-8"))}[
        "Integrationsstrategi för länsstyrelsen"
    ]
    assert [r["title"] for r in record["builds_on"]] == [HIDDEN, RUS]
    assert record["plans"][0]["builds_on"][0]["title"] == GROWTH


def test_the_ui_export_gives_the_links_too(linked, owner_client, client):
    response = owner_client.get(reverse("core:export") + "?kind=strategies&format=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert RUS in content.decode("utf-8-sig") and HIDDEN not in content.decode("utf-8-sig")


def test_import_finds_the_links_again_and_refuses_unknown_ones(linked, organisation, owner):
    exported = [_records(owner)["Integrationsstrategi för länsstyrelsen"]]
    exported[0]["title"] = "Kopia"
    result = data_import(
        kind="strategies", data=json.dumps(exported).encode(), filename="s.json", user=owner
    )
    assert result.created == 1
    copy = Strategy.objects.get(title="Kopia")
    assert list(copy.builds_on.all()) == [linked["rus"]]
    assert list(copy.plans.get().builds_on.all()) == [linked["growth"]]
    # CSV: titles separated by ";"
    content = f"title,owner_code,builds_on\nKopia 2,{organisation.code},{RUS}; {GROWTH}\n"
    data_import(kind="strategies", data=content.encode(), filename="s.csv", user=owner)
    assert set(Strategy.objects.get(title="Kopia 2").builds_on.all()) == {
        linked["rus"],
        linked["growth"],
    }
    # an unknown RUS, and one the importer may not read, are refused and nothing is written
    for title in ("Finns inte", HIDDEN):
        content = f"title,owner_code,builds_on\nKopia 3,{organisation.code},{title}\n"
        with pytest.raises(ImportRejected) as caught:
            data_import(kind="strategies", data=content.encode(), filename="s.csv", user=owner)
        assert any("okänd RUS" in str(e) for e in caught.value.errors)
    bad = [{**exported[0], "title": "Kopia 4", "builds_on": "[{'title': 'X'"}]
    with pytest.raises(ImportRejected):
        data_import(kind="strategies", data=json.dumps(bad).encode(), filename="s.json", user=owner)
    assert not Strategy.objects.filter(title__in=["Kopia 3", "Kopia 4"]).exists()


def test_plan_xlsx_names_the_plans_and_the_strategys_starting_points(
    linked, owner_client, outsider_client
):
    url = reverse("plans:plan_export", args=[linked["plan"].pk])

    def summary(client):
        response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content))["Sammanfattning"]
        return dict(sheet.iter_rows(min_row=2, values_only=True))["Tar sin utgångspunkt i"]

    mine = summary(owner_client)
    assert GROWTH in mine and RUS in mine and HIDDEN not in mine
    assert "Regionalt tillväxtavtal, Region Skåne" in mine
    assert HIDDEN in summary(outsider_client)


def test_plan_pdf_names_the_starting_points(linked, owner, outsider, owner_client):
    from django.template.loader import render_to_string

    plan = linked["plan"]
    rollup = selectors.plan_rollup(plan=plan, activities=selectors.plan_activities(plan=plan))

    def html(**kwargs):
        return render_to_string(
            "plans/plan_document.html", reports.plan_document_context(plan, rollup, **kwargs)
        )

    assert RUS in html(user=owner) and GROWTH in html(user=owner)
    assert HIDDEN not in html(user=owner)
    assert HIDDEN in html(user=outsider)
    # the PDF kept for every reader of the internal plan names only what they all may read
    assert HIDDEN not in html(user=outsider, every_reader=True)
    assert RUS in html(user=outsider, every_reader=True)
    # nobody signed in: only published ones (the plan itself is internal, so not readable)
    assert HIDDEN not in html(user=None) and RUS in html(user=None)
    response = owner_client.get(reverse("plans:plan_export_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_pdf_built_in_the_background_leaves_out_what_not_every_reader_may_read(
    linked, outsider, monkeypatch
):
    from samverkan.plans import exports

    seen = {}

    def fake_pdf(plan, rollup, today=None, progress=None, *, user=None, every_reader=False):
        seen["development"] = reports.plan_development(plan, user, every_reader=every_reader)
        return b"%PDF-1.7\n"

    monkeypatch.setattr(reports, "plan_pdf", fake_pdf)
    export = exports.plan_export_start(plan=linked["plan"], user=outsider)
    exports.plan_export_run(export_id=export.pk)
    assert {d.title for d in seen["development"]} == {RUS, GROWTH}


def test_api_gives_the_links_the_reader_may_read(linked, owner_client, outsider_client, client):
    strategy, plan = linked["strategy"], linked["plan"]
    body = owner_client.get(f"/api/strategies/{strategy.pk}/").json()
    assert [r["title"] for r in body["builds_on"]] == [RUS]
    assert body["plans"][0]["builds_on"][0]["title"] == GROWTH
    body = outsider_client.get(f"/api/strategies/{strategy.pk}/").json()
    assert [r["title"] for r in body["builds_on"]] == [HIDDEN, RUS]
    body = owner_client.get(f"/api/action-plans/{plan.pk}/").json()
    assert body["builds_on"] == [
        {"title": GROWTH, "owner_code": "region-12", "kind": "growth_agreement"}
    ]
    assert client.get(f"/api/strategies/{strategy.pk}/").status_code == 404  # internal
