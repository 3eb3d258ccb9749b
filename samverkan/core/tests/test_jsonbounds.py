"""JSON from outside is bounded before it is parsed (red-team issue 16, finding 1): nesting
deeper than 64 levels and more values than the size limit allows are refused with a message
that names the file, as a 400 in the API and a form error in the UI, and nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.actors.models import Organisation
from samverkan.core.exchange import ImportRejected, data_import
from samverkan.core.jsonbounds import JsonRefused, json_loads, json_scan
from samverkan.core.tables import TableError, read_table
from samverkan.core.tenancy import SYSTEM

NESTED = b"[" * 200_000 + b"]" * 200_000


def scan_in_chunks(data: bytes, size: int, **kw):
    return json_scan(
        (data[i : i + size] for i in range(0, len(data), size)), source="fil.json", **kw
    )


def test_nesting_deeper_than_64_levels_is_refused_naming_the_file():
    with pytest.raises(JsonRefused, match="fil.json: JSON-datat är nästlat i mer än 64 nivåer"):
        json_scan([NESTED], source="fil.json")
    assert json_scan([b"[" * 64 + b"]" * 64], source="fil.json").depth == 64


def test_brackets_and_commas_inside_strings_are_not_counted_wherever_the_chunks_split():
    doc = {"a": ['x[[{,"', "\\", 'b\\"]]', {"c": [[[]]]}], "d": "]}],"}
    data = json.dumps(doc).encode()
    shapes = {scan_in_chunks(data, size) for size in (1, 2, 3, 5, 7, len(data))}
    assert len(shapes) == 1
    (shape,) = shapes
    assert shape.depth == 6
    with pytest.raises(JsonRefused):
        scan_in_chunks(b'["' + b"[" * 100 + b'"' + b"[" * 65, 3)


def test_more_values_than_the_budget_is_refused():
    with pytest.raises(JsonRefused, match="fler än 3 värden"):
        json_loads(b"[1, 2, 3, 4, 5]", source="fil.json", max_values=3)
    assert json_loads(b"[1, 2]", source="fil.json", max_values=3) == [1, 2]


def test_json_table_nested_200000_deep_is_refused_not_a_recursion_error():
    with pytest.raises(TableError, match="djup.json: JSON-datat är nästlat i mer än 64 nivåer"):
        read_table(NESTED, "djup.json")


def test_json_table_with_a_new_key_in_every_record_is_refused_before_the_cells_are_built(
    settings,
):
    settings.MAX_UPLOAD_BYTES = 64 * 1024  # a budget of 4,096 values
    records = [{f"kolumn{i}": i} for i in range(1000)]  # 1,000 × 1,000 cells
    with pytest.raises(TableError, match="bred.json: JSON-filen har minst .* olika nycklar"):
        read_table(json.dumps(records).encode(), "bred.json")


@pytest.mark.django_db
def test_nested_json_import_is_rejected_and_nothing_is_stored():
    before = Organisation.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        data_import(kind="organisations", data=NESTED, filename="djup.json", user=SYSTEM)
    assert "djup.json: JSON-datat är nästlat i mer än 64 nivåer" in str(rejected.value)
    assert Organisation.objects.count() == before


def test_nested_json_import_through_the_api_is_a_400_in_the_error_shape(owner_client):
    before = Organisation.objects.count()
    response = owner_client.post(
        "/api/import/organisations/", {"file": SimpleUploadedFile("djup.json", NESTED)}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert (
        "djup.json: JSON-datat är nästlat i mer än 64 nivåer"
        in body["errors"]["rows"][0]["message"]
    )
    assert Organisation.objects.count() == before


def test_nested_json_import_in_the_ui_is_a_form_error(owner_client, organisation):
    response = owner_client.post(
        "/data/import/",
        {
            "kind": "organisations",
            "acting_for": organisation.pk,
            "file": SimpleUploadedFile("djup.json", NESTED),
        },
    )
    assert response.status_code == 200
    assert "djup.json: JSON-datat är nästlat i mer än 64 nivåer" in response.content.decode()


def test_api_request_body_nested_too_deep_is_a_400_not_a_500(owner_client):
    response = owner_client.post(
        "/api/own-indicators/", "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "nästlat i mer än 64 nivåer" in response.json()["message"]


def test_api_request_body_still_refuses_nan(owner_client):
    response = owner_client.post(
        "/api/own-indicators/", '{"title": NaN}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
