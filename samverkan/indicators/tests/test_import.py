"""Importing observations: all or nothing, clear errors, each format."""

import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected
from samverkan.indicators.importing import observations_import
from samverkan.indicators.models import AreaType, Breakdown, Indicator, Observation

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(
        code="folkmangd",
        title="Folkmängd",
        definition="Antal",
        unit="antal",
        source_kind="scb",
        source_id="TAB6471",
    )


def run(indicator, data, fmt="jsonstat", user=tenancy.SYSTEM, **kw):
    return observations_import(
        user=user,
        indicator=indicator,
        stream=io.BytesIO(data),
        filename=f"test.{fmt}",
        fmt=fmt,
        **kw,
    )


def test_real_scb_file_imports_every_cell(indicator):
    result = run(indicator, (FIXTURES / "TAB6471_data.json").read_bytes())
    assert result.created == 2772
    skane_women = Breakdown.objects.get(sex="K", age_band="20-29", birth_region="")
    row = Observation.objects.get(
        indicator=indicator, area_code="12", period=202601, breakdown=skane_women
    )
    assert row.area_type == AreaType.COUNTY
    assert row.value > 0


def test_duplicates_are_rejected_unless_replaced(indicator):
    data = (FIXTURES / "TAB6471_data.json").read_bytes()
    run(indicator, data)
    with pytest.raises(ImportRejected, match="finns redan"):
        run(indicator, data)
    assert Observation.objects.filter(indicator=indicator).count() == 2772
    assert run(indicator, data, replace=True).created == 2772
    assert Observation.objects.filter(indicator=indicator).count() == 2772


def test_unknown_area_codes_are_listed_and_nothing_imported(indicator):
    doc = json.loads((FIXTURES / "TAB6471_data.json").read_text())
    doc["dimension"]["Region"]["category"]["index"].pop("25")
    doc["dimension"]["Region"]["category"]["index"]["99"] = 20
    with pytest.raises(ImportRejected, match="okända områdeskoder i Region: 99"):
        run(indicator, json.dumps(doc).encode())
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_bad_value_mid_file_rolls_back(indicator):
    doc = json.loads((FIXTURES / "TAB6471_data.json").read_text())
    doc["value"][2000] = "inte ett tal"
    with pytest.raises(ImportRejected, match="cell 2000"):
        run(indicator, json.dumps(doc).encode())
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_sdmx_csv_with_flags(indicator):
    data = (
        b"DATAFLOW,freq,unit,sex,c_birth,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        b"ESTAT:LFSA_ERGACOB(1.0),A,PC,T,NAT,SE,2023,84.1,\n"
        b"ESTAT:LFSA_ERGACOB(1.0),A,PC,T,NEU27_2020_FOR,SE,2023,66.0,p\n"
        b"ESTAT:LFSA_ERGACOB(1.0),A,PC,F,NEU27_2020_FOR,SE,2023,,c\n"
    )
    assert run(indicator, data, fmt="sdmx-csv").created == 3
    rows = {
        (o.breakdown.sex, o.breakdown.birth_region): (o.value, o.status)
        for o in Observation.objects.filter(indicator=indicator).select_related("breakdown")
    }
    assert rows == {
        ("T", "sverige"): (84.1, 0),
        ("T", "utanfor-eu"): (66.0, 1),
        ("K", "utanfor-eu"): (None, 3),
    }


def test_csv_template_reports_every_bad_row(indicator):
    data = (
        b"area_code,period,sex,value\n0114,2024,T,1.5\n9999,2024,T,2\n0127,20x4,T,3\n"
        b"0127,2024,Q,4\n0127,2024,K,abc\n"
    )
    with pytest.raises(ImportRejected) as info:
        run(indicator, data, fmt="csv")
    text = str(info.value)
    assert "okända områdeskoder: 9999" in text
    assert "rad 4: okänd period '20x4'" in text
    assert "rad 5: okänt kön 'Q'" in text
    assert "rad 6: värdet 'abc' är inget tal" in text
    assert not Observation.objects.exists()


def test_csv_template_quarters_and_own_areas(indicator):
    data = b"area_code,period,value,status\nomr-varby-gard,2024K2,3,p\n0000,2024M05,4,\n"
    assert run(indicator, data, fmt="csv").created == 2
    assert set(Observation.objects.values_list("area_code", "period", "status")) == {
        ("omr-varby-gard", 202422, 1),
        ("0000", 202405, 0),
    }


def test_outsider_cannot_import_into_another_organisations_indicator(organisation, outsider):
    own = Indicator.objects.create(
        code="egen",
        title="Egen",
        definition="d",
        unit="st",
        source_kind="own",
        owner=organisation,
        visibility="private",
    )
    with pytest.raises(PermissionDenied):
        run(own, b"area_code,period,value\n0114,2024,1\n", fmt="csv", user=outsider)
    assert not Observation.objects.exists()


def run_file(indicator, path, **kw):
    with open(path, "rb") as stream:
        return observations_import(
            user=tenancy.SYSTEM,
            indicator=indicator,
            stream=stream,
            filename=path.name,
            fmt="jsonstat",
            **kw,
        )


def generated(municipalities=("0114", "0127", "0180"), years=range(2000, 2020), bad_at=None):
    """A generated JSON-stat 2.0 file with ``value`` before ``dimension``."""
    ids = {"Region": list(municipalities), "Kon": ["1", "2"], "Tid": [str(y) for y in years]}
    cells = len(municipalities) * 2 * len(years)
    values = [round(i * 0.5, 1) for i in range(cells)]
    if bad_at is not None:
        values[bad_at] = "x"
    return {
        "value": values,
        "version": "2.0",
        "class": "dataset",
        "id": list(ids),
        "size": [len(v) for v in ids.values()],
        "dimension": {d: {"label": d, "category": {"index": c}} for d, c in ids.items()},
    }


def test_generated_file_streams_in_with_values_first(indicator, tmp_path):
    path = tmp_path / "gen.json"
    path.write_text(json.dumps(generated()))
    assert run_file(indicator, path).created == 120
    men = Breakdown.objects.get(sex="M", age_band="", birth_region="", extra="")
    row = Observation.objects.get(
        indicator=indicator, area_code="0127", period=200100, breakdown=men
    )
    assert row.value == (40 + 1) * 0.5  # Botkyrka (2nd), men (1st), 2001 (2nd)


def test_bad_value_late_in_a_streamed_file_leaves_nothing(indicator, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(generated(bad_at=117)))
    with pytest.raises(ImportRejected, match="cell 117: värdet 'x' är inget tal"):
        run_file(indicator, path)
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_duplicate_in_a_streamed_file_leaves_nothing(indicator, tmp_path):
    path = tmp_path / "gen.json"
    path.write_text(json.dumps(generated()))
    # one observation already stored, in the middle of the file: the import is rejected whole
    Observation.objects.create(
        indicator=indicator,
        area_type=AreaType.MUNICIPALITY,
        area_code="0180",
        period=201000,
        breakdown=Breakdown.objects.get_or_create(sex="K")[0],
        value=1.0,
    )
    with pytest.raises(ImportRejected, match="finns redan"):
        run_file(indicator, path)
    assert Observation.objects.filter(indicator=indicator).count() == 1
    assert run_file(indicator, path, replace=True).created == 120


def test_duplicate_rows_within_one_file_are_rejected(indicator):
    data = b"area_code,period,value\n0114,2024,1\n0127,2024,2\n0114,2024,3\n"
    with pytest.raises(ImportRejected, match="finns redan"):
        run(indicator, data, fmt="csv")
    assert not Observation.objects.exists()


def test_many_rows_go_in_whole_statements_and_a_remainder(indicator, tmp_path):
    # 1,200 rows: on SQLite two full 500-row statements and a remainder of 200
    path = tmp_path / "gen.json"
    path.write_text(json.dumps(generated(municipalities=["0114", "0127"], years=range(1720, 2020))))
    assert run_file(indicator, path).created == 1200
    stored = Observation.objects.filter(indicator=indicator).order_by(
        "area_code", "breakdown", "period"
    )
    assert stored.count() == 1200
    assert sorted(stored.values_list("value", flat=True)) == [i * 0.5 for i in range(1200)]


def test_breakdown_combinations_beyond_the_limit_are_refused_before_any_is_created(indicator):
    # two extra dimensions of 101 categories: 10,201 breakdowns would be created up front
    codes = [f"k{i}" for i in range(101)]
    ids = {"Region": ["0127"], "Tid": ["2024"], "Utbildning": codes, "Bransch": codes}
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": list(ids),
        "size": [len(c) for c in ids.values()],
        "dimension": {d: {"category": {"index": c}} for d, c in ids.items()},
        "value": {"0": 1.0},
    }
    before = Breakdown.objects.count()
    with pytest.raises(ImportRejected, match="10201 kombinationer; högst 10000 stöds"):
        run(indicator, json.dumps(doc).encode())
    assert Breakdown.objects.count() == before
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_nested_jsonstat_upload_to_an_own_indicator_is_a_400_and_stores_nothing(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {
        "owner_code": "lst-test",
        "code": "egen-andel",
        "title": "Egen andel",
        "definition": "Andel deltagare i arbete efter insatsen",
        "unit": "procent",
    }
    assert editor_client.post("/api/own-indicators/", body, "application/json").status_code == 201
    attack = b'{"class": "dataset", "value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = editor_client.post(
        "/api/own-indicators/egen-andel/observations/",
        {"file": SimpleUploadedFile("attack.json", attack), "format": "jsonstat"},
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert "attack.json: JSON-datat är nästlat i mer än 64 nivåer" in error["errors"]["file"][0]
    assert not Observation.objects.filter(indicator__code="egen-andel").exists()
