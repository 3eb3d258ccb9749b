"""JSON-stat reading: versions, dimension orders, sparse values, and the errors people meet."""

import csv
import io
import json
from pathlib import Path

import pytest

from samverkan.indicators.jsonstat import (
    JsonStatError,
    dataset_flatten,
    datasets_from_object,
    datasets_read,
)

FIXTURES = Path(__file__).parent / "fixtures"


def v2(**over):
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "Test",
        "id": ["Region", "Kon", "Tid"],
        "size": [2, 2, 2],
        "role": {"time": ["Tid"], "geo": ["Region"]},
        "dimension": {
            "Region": {
                "label": "region",
                "category": {
                    "index": ["0114", "0127"],
                    "label": {"0114": "Upplands Väsby", "0127": "Botkyrka"},
                },
            },
            "Kon": {
                "label": "kön",
                "category": {"index": {"1": 0, "2": 1}, "label": {"1": "män", "2": "kvinnor"}},
            },
            "Tid": {"label": "år", "category": {"index": ["2023", "2024"]}},
        },
        "value": [1, 2, 3, 4, 5, 6, 7, 8],
    }
    doc.update(over)
    return doc


def flat(doc):
    out = io.StringIO()
    dataset_flatten(datasets_from_object(doc)[0], out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_flatten_is_row_major_with_labels():
    rows = flat(v2())
    assert rows[0] == ["region", "kön", "år", "Value"]
    assert rows[1] == ["Upplands Väsby", "män", "2023", "1"]
    assert rows[2] == ["Upplands Väsby", "män", "2024", "2"]
    assert rows[3] == ["Upplands Väsby", "kvinnor", "2023", "3"]
    assert rows[8] == ["Botkyrka", "kvinnor", "2024", "8"]


def test_sparse_values_and_nulls_give_empty_cells():
    rows = flat(v2(value={"0": 1.5, "7": 8}))
    assert rows[1][-1] == "1.5"
    assert rows[2][-1] == ""
    assert rows[8][-1] == "8"


def test_other_dimension_order_follows_id():
    doc = v2(id=["Tid", "Region", "Kon"], size=[2, 2, 2])
    rows = flat(doc)
    assert rows[0] == ["år", "region", "kön", "Value"]
    assert rows[2] == ["2023", "Upplands Väsby", "kvinnor", "2"]


def test_version_1_bundle():
    ds = v2()
    bundle = {
        "bef": {
            "label": "Bef",
            "dimension": {
                **ds["dimension"],
                "id": ds["id"],
                "size": ds["size"],
                "role": ds["role"],
            },
            "value": ds["value"],
            "status": {"3": "p"},
        }
    }
    (dataset,) = datasets_from_object(bundle)
    assert dataset.name == "bef"
    assert list(dataset.iter_status())[3] == "p"
    assert dataset.dimension("Tid").role == "time"


def test_collection_of_datasets():
    doc = {"version": "2.0", "class": "collection", "link": {"item": [v2(), v2(label="B")]}}
    assert [d.label for d in datasets_from_object(doc)] == ["Test", "B"]


def test_collection_with_only_links_is_refused():
    doc = {
        "version": "2.0",
        "class": "collection",
        "link": {"item": [{"class": "dataset", "href": "https://example.org/x"}]},
    }
    with pytest.raises(JsonStatError, match="utan inbäddat dataset"):
        datasets_from_object(doc)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"size": [2, 2]}, "id har 3 dimensioner men size har 2"),
        ({"size": [2, 2, 3]}, "Tid har 2 kategorier men size anger 3"),
        ({"value": [1, 2, 3]}, "size ger 8 celler men value har 3 värden"),
        ({"value": {"8": 1}}, "positionen 8 utanför 0–7"),
        ({"status": ["a", "b"]}, "status har 2"),
        ({"id": ["Region", "Kon", "Okänd"]}, "Okänd i id saknas under dimension"),
    ],
)
def test_inconsistent_datasets_are_refused(change, message):
    with pytest.raises(JsonStatError, match=message):
        datasets_from_object(v2(**change))


def test_html_error_page_and_oversized_files_are_refused():
    with pytest.raises(JsonStatError, match="HTML-sida"):
        datasets_read(io.BytesIO(b"<!DOCTYPE html><html>503</html>"), source="x", max_bytes=1000)
    with pytest.raises(JsonStatError, match="större än"):
        datasets_read(io.BytesIO(b"{" + b" " * 3 * 2**20 + b"}"), source="x", max_bytes=2**20)
    with pytest.raises(JsonStatError, match="ogiltig JSON"):
        datasets_read(io.BytesIO(b'{"class": '), source="x", max_bytes=1000)


def test_real_scb_response_flattens_like_totable():
    with open(FIXTURES / "TAB6471_data.json", "rb") as f:
        (dataset,) = datasets_read(f, source="TAB6471", max_bytes=10**7)
    out = io.StringIO()
    assert dataset_flatten(dataset, out) == 21 * 11 * 3 * 4
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["region", "ålder", "kön", "tabellinnehåll", "månad", "Value"]
    assert rows[1] == [
        "Stockholms län",
        "0-9 år",
        "totalt, samtliga män och kvinnor",
        "Folkmängden per månad",
        "2026M01",
        "245284",
    ]
    raw = json.loads((FIXTURES / "TAB6471_data.json").read_text())
    assert [r[-1] for r in rows[1:]] == [str(v) for v in raw["value"]]


# -- streaming from a file on disk ------------------------------------------------------------


def write(tmp_path, doc, name="data.json"):
    """Write ``doc`` with ``value`` (and ``status``) first, as JSON-stat allows."""
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def read_file(path, **kw):
    with open(path, "rb") as f:
        return datasets_read(f, source=path.name, max_bytes=kw.get("max_bytes", 10**8))


def values_first(doc):
    return {"value": doc.pop("value"), **doc}


def test_values_before_dimension_are_streamed_from_the_file(tmp_path):
    path = write(tmp_path, values_first(v2()))
    (dataset,) = read_file(path)
    assert not isinstance(dataset.values, list)  # left in the file, counted
    assert len(dataset.values) == 8
    assert list(dataset.iter_values()) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert list(dataset.iter_values()) == [1, 2, 3, 4, 5, 6, 7, 8]  # read again
    out = io.StringIO()
    dataset_flatten(dataset, out)
    assert out.getvalue().splitlines() == [",".join(r) for r in flat(v2())]


def test_collection_streams_each_datasets_own_values(tmp_path):
    second = v2(label="B", value=[10, 20, 30, 40, 50, 60, 70, 80.5], status=["p"] * 8)
    sparse = v2(label="C", value={"1": 9})
    doc = {"version": "2.0", "class": "collection", "link": {"item": [v2(), sparse, second]}}
    datasets = read_file(write(tmp_path, doc))
    assert [list(d.iter_values()) for d in datasets] == [
        [1, 2, 3, 4, 5, 6, 7, 8],
        [None, 9, None, None, None, None, None, None],
        [10, 20, 30, 40, 50, 60, 70, 80.5],
    ]
    assert list(datasets[2].iter_status()) == ["p"] * 8


def test_bundle_streams_values_and_status(tmp_path):
    ds = v2()
    bundle = {
        "b": {
            "value": [None, 2.5, 3, 4, 5, 6, 7, 8],
            "status": [".."] + ["p"] * 7,
            "label": "Bef",
            "dimension": {**ds["dimension"], "id": ds["id"], "size": ds["size"]},
        }
    }
    (dataset,) = read_file(write(tmp_path, bundle))
    assert list(dataset.iter_values())[:2] == [None, 2.5]
    assert list(dataset.iter_status())[:2] == ["..", "p"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": [1, 2, 3]}, "size ger 8 celler men value har 3 värden"),
        ({"value": [[1], 2, 3, 4, 5, 6, 7, 8, 9]}, "size ger 8 celler men value har 9 värden"),
        ({"status": ["a", "b"]}, "status har 2"),
        ({"size": [2, 2, 3]}, "Tid har 2 kategorier men size anger 3"),
    ],
)
def test_streamed_files_are_checked_like_parsed_ones(tmp_path, change, message):
    with pytest.raises(JsonStatError, match=message):
        read_file(write(tmp_path, values_first(v2(**change))))


def test_broken_and_oversized_files_are_refused_without_loading_them(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(v2())[:-40])
    with pytest.raises(JsonStatError, match="ogiltig JSON"):
        read_file(broken)
    big = write(tmp_path, v2(), name="big.json")
    with pytest.raises(JsonStatError, match="större än"):
        read_file(big, max_bytes=100)


# -- bounds (red-team issue 16, finding 1) ----------------------------------------------------


def test_value_nested_100000_deep_is_refused_before_ijson_reads_it(tmp_path):
    # the attack: 200 KB whose `value` nests 100,000 arrays took a web worker to ~14 GB
    path = tmp_path / "djup.json"
    path.write_bytes(b'{"class": "dataset", "value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with pytest.raises(JsonStatError, match="djup.json: JSON-datat är nästlat i mer än 64 nivåer"):
        read_file(path)


def test_more_categories_than_the_size_limit_allows_are_refused():
    codes = [f"r{i}" for i in range(1000)]
    doc = v2(
        id=["Region", "Tid"],
        size=[1000, 2],
        value={},
        dimension={
            "Region": {"category": {"index": codes}},
            "Tid": {"category": {"index": ["2023", "2024"]}},
        },
    )
    data = json.dumps(doc).encode()
    assert len(data) < 10_000  # a budget of 625 values
    with pytest.raises(JsonStatError, match="fler än 625 värden"):
        datasets_read(io.BytesIO(data), source="kategorier.json", max_bytes=10_000)
    assert len(datasets_read(io.BytesIO(data), source="k.json", max_bytes=10**6)) == 1


def test_sparse_dataset_may_not_describe_more_cells_than_a_dense_file_could_hold():
    codes = [str(i) for i in range(1000)]
    doc = v2(
        id=["A", "B", "Tid"],
        size=[1000, 1000, 1000],
        value={"0": 1},
        dimension={d: {"category": {"index": codes}} for d in ("A", "B", "Tid")},
    )
    with pytest.raises(JsonStatError, match="size ger 1000000000 celler; högst 500000 celler"):
        datasets_read(io.BytesIO(json.dumps(doc).encode()), source="gles.json", max_bytes=10**6)
