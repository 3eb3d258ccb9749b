"""Malformed requests are 400s or 404s, never 500s (red-team issue 16, finding 9): a NUL in the
address (PostgreSQL cannot compare text containing it), page numbers past any page (a bigint
overflow on PostgreSQL) and digits ``int()`` refuses (``²``, or 5,000 of them)."""

from __future__ import annotations

import pytest
from django.http import Http404

from samverkan.core.params import page_number, query_id, query_int


@pytest.mark.parametrize(
    "url",
    [
        "/api/organisations/?q=%00",
        "/api/networks/?kind=%00",
        "/api/projects/?county=%00",
        "/api/indicators/?q=%00",
        "/api/network-graph/?theme=%00",
        "/api/organisations/?a%00=1",
    ],
)
def test_nul_in_a_query_parameter_is_a_400_in_the_api_error_shape(owner_client, url):
    response = owner_client.get(url)
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "bad_request",
        "message": "Adressen innehåller ett otillåtet tecken (NUL, %00).",
        "errors": {},
    }


@pytest.mark.parametrize(
    "url",
    ["/aktorer/natverk/?q=%00", "/indikatorer/?q=%00", "/projekt/?theme=%00", "/projekt/?q=a%00b"],
)
def test_nul_in_a_search_or_filter_of_a_page_is_a_400(db, client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "otillåtet tecken (NUL, %00)" in response.content.decode()


def test_a_page_number_past_any_page_is_a_404(db, client):
    assert client.get("/projekt/?page=99999999999999999999").status_code == 404
    assert client.get("/projekt/?page=50001").status_code == 404
    assert client.get("/projekt/?page=2").status_code == 200
    response = client.get("/api/organisations/?page=99999999999999999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "url",
    [
        "/projekt/?page=²",
        "/api/projects/?offset=²",
        "/api/projects/?limit=" + "9" * 5000,
        "/indikatorer/?goal=²",
        "/indikatorer/?goal=" + "9" * 5000,
        "/api/funding-applications/?call=²",
    ],
)
def test_digits_int_refuses_are_read_as_no_number(owner_client, url):
    assert owner_client.get(url).status_code == 200


def test_numbers_from_parameters_are_plain_digits_and_bounded():
    assert query_int("²", default=1, maximum=10) == 1
    assert query_int("9" * 5000, default=1, maximum=10) == 10
    assert query_int("7", default=1, maximum=10) == 7
    assert query_id("²") is None
    assert query_id("9" * 19) is None
    assert query_id("42") == 42
    assert page_number(None, maximum=5) == 1
    assert page_number("0", maximum=5) == 1
    with pytest.raises(Http404):
        page_number("99999999999999999999", maximum=5)
