"""Statistics files as they come: each JSON-stat variant flattened like the toolkit's toTable,
formats told from content, what is refused and why, and imports of every format.

The fixtures in ``fixtures/variants/`` are small files written for these tests (not copies of
publishers' files); each expected table below was worked out by hand from the file, following
jsonstat-toolkit's ``toTable()`` (array form, default options): one column per dimension named
by its label (its id when the label is missing or empty), category labels in the cells (the id
when the category has no ``label`` object, nothing when the object lacks that category), a
missing ``index`` read from the label keys in JavaScript's key order (array-index keys first,
ascending), numbers as JavaScript's ``String()`` writes them, nothing for null or absent values.
"""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected
from samverkan.indicators.formats import FormatError, file_meta, format_detect, pxweb_v1_datasets
from samverkan.indicators.importing import observations_import, observations_import_auto
from samverkan.indicators.jsonstat import datasets_read, js_number
from samverkan.indicators.models import Breakdown, Indicator, Observation

VARIANTS = Path(__file__).parent / "fixtures" / "variants"
FIXTURES = Path(__file__).parent / "fixtures"

# file, dataset (1-based), the table toTable gives, worked out by hand
TABLES = [
    (
        # JSON-stat 1.0, single dataset in a bundle, size as strings ("2"), status array, null
        "v1_bundle_string_size.json",
        1,
        [
            ["kommun", "år", "Value"],
            ["Upplands Väsby", "2023", "71.5"],
            ["Upplands Väsby", "2024", "72"],  # 72.0 in the file: String(72.0) is "72"
            ["Botkyrka", "2023", ""],  # null
            ["Botkyrka", "2024", "68.25"],
        ],
    ),
    (
        # 1.0 bundle, first dataset: Tid without label (the id is the header) and without
        # index: categories in JavaScript key order of the labels, "2022" before "2024"
        # although written after it, then "x"; Region's one category without index
        "v1_bundle_two_datasets.json",
        1,
        [
            ["Tid", "område", "Value"],
            ["år 2022", "Botkyrka", "10"],
            ["år 2024", "Botkyrka", "20"],
            ["okänt år", "Botkyrka", "30.5"],
        ],
    ),
    (
        # second dataset of the bundle: no category labels (ids), an empty dimension label
        # (the id), sparse value object with position 0 absent
        "v1_bundle_two_datasets.json",
        2,
        [
            ["område", "Tid", "Value"],
            ["0127", "2022", ""],
            ["0127", "2024", "7"],
        ],
    ),
    (
        # 2.0 dataset without role; sparse values (position 2 absent); status an object with
        # its own value list and category labels (not part of toTable's default output)
        "v2_dataset_status_object.json",
        1,
        [
            ["Område", "Tid", "Value"],
            ["Stockholms län", "2022", "45.1"],
            ["Stockholms län", "2023", "46"],
            ["Skåne län", "2022", ""],
            ["Skåne län", "2023", "39.95"],
        ],
    ),
    (
        # 2.0 with role, status as an object by position; 1e-7 and 1e21 as JavaScript writes
        "v2_dataset_status_positions.json",
        1,
        [
            ["enhet", "geo", "time", "Value"],
            ["Procent", "Sverige", "2023", "6.2"],
            ["Procent", "Sverige", "2024", "1e-7"],
            ["Procent", "Botkyrka", "2023", ""],
            ["Procent", "Botkyrka", "2024", "1e+21"],
        ],
    ),
    (
        # status one string for all; Kon's label object lacks "2": toTable writes nothing;
        # Region has one category and no index; 0.000001 stays in decimal form
        "v2_dataset_status_string.json",
        1,
        [
            ["region", "kön", "år", "Value"],
            ["Stockholm", "män", "2024", "40"],
            ["Stockholm", "", "2024", "0.000001"],
        ],
    ),
    (
        # 2.0 collection, the first embedded dataset (Region without label: the id)
        "v2_collection.json",
        1,
        [["Region", "år", "Value"], ["Botkyrka", "2023", "1"], ["Botkyrka", "2024", "2"]],
    ),
    (
        "v2_collection.json",
        2,
        [["Region", "år", "Value"], ["Upplands Väsby", "2022", "3.5"]],
    ),
    (
        # PxWeb API v2 answer (JSON-stat 2.0 with extension.px)
        "pxweb_v2_answer.json",
        1,
        [
            ["region", "födelseregion", "tabellinnehåll", "år", "Value"],
            ["Upplands Väsby", "inrikes född", "Sysselsättningsgrad 20-64 år", "2023", "83.1"],
            ["Upplands Väsby", "inrikes född", "Sysselsättningsgrad 20-64 år", "2024", "83.4"],
            ["Upplands Väsby", "utrikes född", "Sysselsättningsgrad 20-64 år", "2023", "61"],
            ["Upplands Väsby", "utrikes född", "Sysselsättningsgrad 20-64 år", "2024", "62.25"],
            ["Botkyrka", "inrikes född", "Sysselsättningsgrad 20-64 år", "2023", "79.9"],
            ["Botkyrka", "inrikes född", "Sysselsättningsgrad 20-64 år", "2024", "80"],
            ["Botkyrka", "utrikes född", "Sysselsättningsgrad 20-64 år", "2023", "58.5"],
            ["Botkyrka", "utrikes född", "Sysselsättningsgrad 20-64 år", "2024", ""],
        ],
    ),
    (
        # PxWeb API v1 answer: its content column becomes the ContentsCode dimension; values
        # stay as the strings the API writes
        "pxweb_v1_answer.json",
        1,
        [
            ["region", "år", "tabellinnehåll", "Value"],
            ["0114", "2023", "Folkmängd", "48000"],
            ["0114", "2024", "Folkmängd", "48650"],
            ["0127", "2023", "Folkmängd", "97000"],
            ["0127", "2024", "Folkmängd", ".."],
        ],
    ),
]


@pytest.mark.parametrize(("name", "number", "expected"), TABLES)
def test_flatten_gives_the_toolkits_table(tmp_path, name, number, expected):
    out = tmp_path / "table.csv"
    call_command(
        "indicators",
        "flatten",
        str(VARIANTS / name),
        "--dataset",
        str(number),
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    assert list(csv.reader(out.open(encoding="utf-8"))) == expected


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (-0.0, "0"),
        (72.0, "72"),
        (71.5, "71.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (1.5e-10, "1.5e-10"),
        (123456789012345680000.0, "123456789012345680000"),
        (1e21, "1e+21"),
        (2.5e22, "2.5e+22"),
        (-3.25, "-3.25"),
        (10**22, "1e+22"),
        (123456789012345678, "123456789012345680"),
        (2**53, "9007199254740992"),
    ],
)
def test_numbers_are_written_as_javascript_writes_them(number, text):
    assert js_number(number) == text


def read(name):
    with open(VARIANTS / name, "rb") as stream:
        detected = format_detect(stream, name)
        if detected.pxweb_v1:
            return pxweb_v1_datasets(stream, source=name, max_bytes=10**6)
        return datasets_read(stream, source=name, max_bytes=10**6)


def test_status_variants_are_read_per_cell():
    (string_sizes,) = read("v1_bundle_string_size.json")
    assert string_sizes.size == [2, 2]
    assert list(string_sizes.iter_status()) == ["", "p", "..", "p"]
    (status_object,) = read("v2_dataset_status_object.json")
    assert list(status_object.iter_status()) == [None, "F", "Z", "K"]
    assert status_object.status_labels["K"] == "confidential"
    (positions,) = read("v2_dataset_status_positions.json")
    assert list(positions.iter_status()) == [None, "p", ":", None]
    assert positions.status_labels == {"p": "provisional", ":": "not available"}
    (one,) = read("v2_dataset_status_string.json")
    assert list(one.iter_status()) == ["p", "p"]


# -- telling the format from the content ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "label"),
    [
        ("v1_bundle_string_size.json", "jsonstat", "JSON-stat 1.0"),
        ("v1_bundle_two_datasets.json", "jsonstat", "JSON-stat 1.0"),
        ("v2_dataset_status_object.json", "jsonstat", "JSON-stat 2.0"),
        ("v2_collection.json", "jsonstat", "JSON-stat 2.0"),
        ("pxweb_v2_answer.json", "pxweb", "PxWeb API v2 (JSON-stat 2.0)"),
        ("pxweb_v1_answer.json", "pxweb", "PxWeb API v1 (JSON)"),
        ("sdmx.csv", "sdmx-csv", "SDMX-CSV"),
        ("mall_svenska.csv", "csv", "CSV"),
    ],
)
def test_format_is_told_from_content_whatever_the_name(name, fmt, label):
    data = (VARIANTS / name).read_bytes()
    detected = format_detect(io.BytesIO(data), "nedladdning.txt")
    assert (detected.fmt, detected.label) == (fmt, label)


def test_values_before_everything_else_are_still_json_stat():
    doc = json.loads((VARIANTS / "v2_dataset_status_string.json").read_text())
    data = json.dumps({"value": doc.pop("value"), **doc}).encode()
    assert format_detect(io.BytesIO(data), "x.json").fmt == "jsonstat"


def test_sdmx_csv_2_structure_header():
    data = b"STRUCTURE,STRUCTURE_ID,ACTION,geo,TIME_PERIOD,OBS_VALUE\n"
    assert format_detect(io.BytesIO(data), "x.csv").fmt == "sdmx-csv"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<!DOCTYPE html><html><body>503</body></html>", "är en HTML-sida"),
        (b'<?xml version="1.0"?><message:GenericData/>', "XML (t.ex. SDMX-ML)"),
        (b'CHARSET="ANSI";\nAXIS-VERSION="2010";\n', "en PC-Axis-fil (.px)"),
        (b"[1, 2, 3]", "en JSON-lista"),
        (b'{"values": [{"kpi": "N1"}], "count": 1}', "JSON med fälten values, count"),
        (b'{"error": "Table not found"}', "ett felsvar"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "ingen textfil"),
        (b"{" * 100 + b"}" * 100, "nästlat i mer än 64 nivåer"),
    ],
)
def test_other_files_are_refused_naming_what_is_expected(data, message):
    with pytest.raises(FormatError) as info:
        format_detect(io.BytesIO(data), "fil.json")
    text = str(info.value)
    assert message in text
    assert "JSON-stat 1.0 eller 2.0" in text or "nästlat" in text
    if "nästlat" not in text:
        assert "SDMX-CSV" in text and "PxWeb API v1 eller v2" in text


def test_zip_files_other_than_xlsx_are_refused():
    import zipfile

    for names, message in (
        (["[Content_Types].xml", "word/document.xml"], "fil.json är en DOCX-fil."),
        (["data.csv"], "ett ZIP-arkiv som inte är en XLSX-fil"),
    ):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name in names:
                archive.writestr(name, "x")
        with pytest.raises(FormatError) as info:
            format_detect(io.BytesIO(out.getvalue()), "fil.json")
        assert message in str(info.value)
        assert "Filer som läses: JSON-stat" in str(info.value)


def test_empty_file_is_refused():
    with pytest.raises(FormatError, match="tom"):
        format_detect(io.BytesIO(b"  \n"), "tom.csv")


# -- what a file says about itself ------------------------------------------------------------


def test_metadata_of_pxweb_and_eurostat_files():
    meta = file_meta(read("pxweb_v2_answer.json")[0], filename="a.json")
    assert (meta.title, meta.unit, meta.source, meta.source_kind, meta.table_id) == (
        "Sysselsättningsgrad efter region, födelseregion och år",
        "procent",
        "SCB",
        "scb",
        "TAB9999",
    )
    v1 = file_meta(read("pxweb_v1_answer.json")[0])
    assert (v1.title, v1.unit, v1.source_kind, v1.table_id) == (
        "Folkmängden efter region och år",
        "antal",
        "scb",
        "BE0101N1",
    )
    eurostat = file_meta(read("v2_dataset_status_positions.json")[0])
    assert (eurostat.unit, eurostat.source_kind, eurostat.table_id) == (
        "Procent",
        "eurostat",
        "lfst_r_lfu3rt",
    )


# -- importing each format ----------------------------------------------------------------------


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(
        code="test", title="Test", definition="d", unit="%", source_kind="own"
    )


def imported(indicator, name, fmt="auto", **kw):
    with open(VARIANTS / name, "rb") as stream:
        observations_import(
            user=tenancy.SYSTEM,
            indicator=indicator,
            stream=stream,
            filename=name,
            fmt=fmt,
            **kw,
        )
    return {
        (o.area_code, o.period, o.breakdown.sex, o.breakdown.birth_region): (o.value, o.status)
        for o in Observation.objects.filter(indicator=indicator).select_related("breakdown")
    }


def test_import_json_stat_1_with_string_sizes_and_status_array(indicator):
    assert imported(indicator, "v1_bundle_string_size.json") == {
        ("0114", 202300, "T", ""): (71.5, 0),
        ("0114", 202400, "T", ""): (72.0, 1),
        ("0127", 202300, "T", ""): (None, 2),
        ("0127", 202400, "T", ""): (68.25, 1),
    }


def test_import_status_object_with_its_own_labels(indicator):
    # codes F, K, Z are read by what the file says they mean
    assert imported(indicator, "v2_dataset_status_object.json") == {
        ("01", 202200, "T", ""): (45.1, 0),
        ("01", 202300, "T", ""): (46.0, 1),
        ("12", 202200, "T", ""): (None, 2),
        ("12", 202300, "T", ""): (39.95, 3),
    }


def test_import_status_by_position_and_eurostat_labels(indicator):
    rows = imported(indicator, "v2_dataset_status_positions.json")
    assert rows[("0000", 202300, "T", "")] == (6.2, 0)
    assert rows[("0000", 202400, "T", "")] == (1e-7, 1)
    assert rows[("0127", 202300, "T", "")] == (None, 2)


def test_import_pxweb_answers(indicator):
    rows = imported(indicator, "pxweb_v2_answer.json", fmt="jsonstat")
    assert rows[("0127", 202300, "T", "utrikes")] == (58.5, 0)
    assert rows[("0127", 202400, "T", "utrikes")] == (None, 2)
    assert len(rows) == 8
    Observation.objects.all().delete()
    rows = imported(indicator, "pxweb_v1_answer.json", fmt="pxweb")
    assert rows == {
        ("0114", 202300, "T", ""): (48000.0, 0),
        ("0114", 202400, "T", ""): (48650.0, 0),
        ("0127", 202300, "T", ""): (97000.0, 0),
        ("0127", 202400, "T", ""): (None, 2),
    }


def test_import_sdmx_csv_and_swedish_csv_with_decimal_commas(indicator):
    rows = imported(indicator, "sdmx.csv")
    assert rows == {("0000", 202300, "T", ""): (7.7, 0), ("0000", 202300, "K", ""): (7.9, 1)}
    Observation.objects.all().delete()
    assert imported(indicator, "mall_svenska.csv") == {
        ("0114", 202400, "K", ""): (61.5, 0),
        ("0127", 202400, "M", ""): (1234.75, 0),
        ("0000", 202400, "T", ""): (70.0, 0),
    }


def test_import_xlsx_with_swedish_headers(indicator):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Områdeskod", "Period", "Kön", "Värde"])
    sheet.append(["0127", "2024", "K", "55,5"])
    sheet.append(["0127", 2023, "T", 54.25])
    out = io.BytesIO()
    book.save(out)
    observations_import(
        user=tenancy.SYSTEM,
        indicator=indicator,
        stream=io.BytesIO(out.getvalue()),
        filename="värden.bin",
        fmt="auto",
    )
    values = dict(Observation.objects.filter(indicator=indicator).values_list("period", "value"))
    assert values == {202400: 55.5, 202300: 54.25}


def test_a_chosen_format_that_is_not_the_content_is_refused(indicator):
    data = (VARIANTS / "pxweb_v2_answer.json").read_bytes()
    with pytest.raises(ImportRejected) as info:
        observations_import(
            user=tenancy.SYSTEM,
            indicator=indicator,
            stream=io.BytesIO(data),
            filename="tabell.json",
            fmt="csv",
        )
    assert "tabell.json är PxWeb API v2 (JSON-stat 2.0), men formatet csv valdes" in str(
        info.value.errors[0]
    )


def test_unknown_template_columns_name_the_swedish_ones(indicator):
    with pytest.raises(ImportRejected) as info:
        observations_import(
            user=tenancy.SYSTEM,
            indicator=indicator,
            stream=io.BytesIO("Kommun;Antal invånare\n0127;5\n".encode()),
            filename="x.csv",
        )
    messages = [str(e) for e in info.value.errors]
    assert any("obligatorisk kolumn saknas: period" in m for m in messages)
    assert any("okänd kolumn Antal invånare" in m and "värde" in m for m in messages)
    assert not Observation.objects.exists()


def test_sdmx_rows_past_the_value_budget_are_refused(indicator, settings):
    settings.INDICATORS_MAX_IMPORT_BYTES = 2000  # a budget of 125 values
    head = "DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\n"
    data = (head + "E:X(1.0),SE,2023,1\n" * 40).encode()
    with pytest.raises(ImportRejected, match="fler än 125 värden"):
        observations_import(
            user=tenancy.SYSTEM,
            indicator=indicator,
            stream=io.BytesIO(data),
            filename="s.csv",
        )
    assert not Observation.objects.exists()


# -- an indicator from the file itself ----------------------------------------------------------


def auto(name, owner=None, user=tenancy.SYSTEM, **kw):
    with open(VARIANTS / name, "rb") as stream:
        return observations_import_auto(user=user, owner=owner, stream=stream, filename=name, **kw)


def test_the_file_creates_its_indicator_then_reuses_it(db):
    first = auto("pxweb_v2_answer.json")
    assert first.created
    made = first.indicator
    assert (made.title, made.unit, made.source_kind, made.source_id, made.owner) == (
        "Sysselsättningsgrad efter region, födelseregion och år",
        "procent",
        "scb",
        "TAB9999",
        None,
    )
    assert made.visibility == "public"
    again = auto("pxweb_v2_answer.json", replace=True)
    assert not again.created and again.indicator == made
    assert Indicator.objects.count() == 1
    assert Observation.objects.filter(indicator=made).count() == 8


def test_organisation_gets_its_own_private_indicator(organisation, editor):
    catalogue = auto("pxweb_v1_answer.json").indicator
    own = auto("pxweb_v1_answer.json", owner=organisation, user=editor)
    assert own.created
    assert own.indicator != catalogue
    assert (own.indicator.owner, own.indicator.visibility) == (organisation, "private")
    assert own.indicator.code != catalogue.code


def test_outsider_cannot_create_for_an_organisation_or_the_catalogue(organisation, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        auto("pxweb_v1_answer.json", owner=organisation, user=outsider)
    with pytest.raises(PermissionDenied):
        auto("pxweb_v1_answer.json", owner=None, user=outsider)
    assert not Indicator.objects.exists()


def test_a_failing_file_leaves_no_indicator(db, tmp_path):
    doc = json.loads((VARIANTS / "pxweb_v2_answer.json").read_text())
    doc["dimension"]["Region"]["category"]["index"] = {"0114": 0, "9999": 1}
    path = tmp_path / "fel.json"
    path.write_text(json.dumps(doc))
    with open(path, "rb") as stream, pytest.raises(ImportRejected, match="9999"):
        observations_import_auto(
            user=tenancy.SYSTEM, owner=None, stream=stream, filename="fel.json"
        )
    assert not Indicator.objects.exists()
    assert not Observation.objects.exists()
    assert not Breakdown.objects.filter(birth_region="utrikes").exists()


def test_files_without_their_own_description_need_an_indicator(db):
    with pytest.raises(ImportRejected, match="anger inte själv titel, enhet och källa"):
        auto("sdmx.csv")
    assert not Indicator.objects.exists()


# -- the command line -----------------------------------------------------------------------------


def command(*args):
    out = io.StringIO()
    call_command("indicators", "import", *args, stdout=out)
    return out.getvalue()


def test_cli_import_without_format_or_indicator_creates_then_reuses(db):
    path = str(VARIANTS / "pxweb_v2_answer.json")
    output = command(path)
    made = Indicator.objects.get()
    assert f"Skapade indikatorn {made.code} (" in output
    assert "PxWeb API v2 (JSON-stat 2.0): 8 observationer importerade" in output
    output = command(path, "--replace")
    assert f"Använde indikatorn {made.code} (" in output
    assert Indicator.objects.count() == 1


def test_cli_reuses_the_catalogue_indicator_of_the_same_table(db):
    Indicator.objects.create(
        code="folkmangd-manad",
        title="Folkmängd per månad",
        definition="d",
        unit="antal",
        source_kind="scb",
        source_id="TAB6471",
    )
    output = command(str(FIXTURES / "TAB6471_data.json"))
    assert "Använde indikatorn folkmangd-manad (Folkmängd per månad, antal)" in output
    assert Observation.objects.filter(indicator__code="folkmangd-manad").count() == 2772


def test_cli_owner_and_refusals(organisation, tmp_path):
    output = command(str(VARIANTS / "pxweb_v1_answer.json"), "--owner", "lst-test")
    assert "Skapade indikatorn" in output
    assert Indicator.objects.get().owner == organisation
    with pytest.raises(CommandError, match="okänd organisation: nej"):
        command(str(VARIANTS / "pxweb_v1_answer.json"), "--owner", "nej")
    with pytest.raises(CommandError, match="anger inte själv titel"):
        command(str(VARIANTS / "mall_svenska.csv"))
    page = tmp_path / "svar.json"
    page.write_text("<!DOCTYPE html><html><body>Service Unavailable</body></html>")
    with pytest.raises(CommandError, match="svar.json är en HTML-sida. Filer som läses: JSON-stat"):
        command(str(page), "--indicator", Indicator.objects.get().code)
    assert Observation.objects.count() == 4


# -- the indicator page's import form -----------------------------------------------------------


def test_indicator_page_upload_tells_the_format_by_itself(
    editor_client, viewer_client, outsider_client, organisation
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    own = Indicator.objects.create(
        code="egen",
        title="Egen",
        definition="d",
        unit="%",
        source_kind="own",
        owner=organisation,
        visibility="private",
    )
    page = editor_client.get("/indikatorer/egen/").content.decode()
    assert '<option value="auto" selected>' in page

    def post(client):
        data = (VARIANTS / "pxweb_v2_answer.json").read_bytes()
        return client.post(
            "/indikatorer/egen/importera/",
            {"file": SimpleUploadedFile("tabell.json", data)},  # no format chosen
        )

    assert post(outsider_client).status_code == 404
    assert post(viewer_client).status_code == 403
    assert not Observation.objects.exists()
    response = post(editor_client)
    assert response.status_code == 302
    assert Observation.objects.filter(indicator=own).count() == 8


# -- PxWeb API v1: bounded and checked -------------------------------------------------------------


def v1_answer(rows):
    return json.dumps(
        {
            "columns": [
                {"code": "Region", "text": "region", "type": "d"},
                {"code": "Tid", "text": "år", "type": "t"},
                {"code": "X1", "text": "Antal", "type": "c"},
            ],
            "data": rows,
        }
    ).encode()


def test_pxweb_v1_answer_is_bounded_before_it_is_built():
    from samverkan.indicators.jsonstat import JsonStatError

    rows = [{"key": ["0127", str(2000 + n)], "values": [str(n)]} for n in range(200)]
    data = v1_answer(rows)
    with pytest.raises(JsonStatError, match=r"fler än \d+ värden och läses inte"):
        pxweb_v1_datasets(io.BytesIO(data), source="p.json", max_bytes=len(data))
    (dataset,) = pxweb_v1_datasets(io.BytesIO(data), source="p.json", max_bytes=10**6)
    assert dataset.size == [1, 200, 1]
    deep = b'{"columns": ' + b"[" * 70 + b"]" * 70 + b', "data": []}'
    with pytest.raises(JsonStatError, match="nästlat i mer än 64 nivåer"):
        pxweb_v1_datasets(io.BytesIO(deep), source="p.json", max_bytes=10**6)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"key": ["0127"], "values": ["1"]}], "data post 1: key ska ha 2 koder"),
        ([{"key": ["0127", "2024"], "values": []}], "data post 1: values ska ha 1 värden"),
        (
            [{"key": ["0127", "2024"], "values": ["1"]}] * 2,
            "koderna 0127, 2024 förekommer flera gånger i data",
        ),
    ],
)
def test_pxweb_v1_answer_errors_name_the_post(rows, message):
    from samverkan.indicators.jsonstat import JsonStatError

    with pytest.raises(JsonStatError, match=message):
        pxweb_v1_datasets(io.BytesIO(v1_answer(rows)), source="p.json", max_bytes=10**6)


def test_flatten_refuses_what_it_cannot_flatten():
    with pytest.raises(CommandError, match="sdmx.csv är SDMX-CSV; flatten läser JSON-stat"):
        call_command("indicators", "flatten", str(VARIANTS / "sdmx.csv"))


def test_detection_stops_at_the_cell_arrays():
    # a value-first file: the head is all numbers; detection need not read them
    data = b'{"value": [' + b"1," * 600_000 + b'1], "class": "dataset"}'
    detected = format_detect(io.BytesIO(data), "stor.json")
    assert detected.fmt == "jsonstat"


def test_json_stat_and_pxweb_v2_may_be_chosen_for_each_other(indicator):
    for name, fmt in (("pxweb_v2_answer.json", "jsonstat"), ("v2_collection.json", "pxweb")):
        observations_import(
            user=tenancy.SYSTEM,
            indicator=indicator,
            stream=io.BytesIO((VARIANTS / name).read_bytes()),
            filename=name,
            fmt=fmt,
        )
    with pytest.raises(ImportRejected, match="är PxWeb API v1 \\(JSON\\), men formatet jsonstat"):
        imported(indicator, "pxweb_v1_answer.json", fmt="jsonstat")
