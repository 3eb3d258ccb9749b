import pytest

from samverkan.geo.models import County, Municipality
from samverkan.geo.services import geography_load_reference


@pytest.mark.django_db
def test_reference_geography_has_all_counties_and_municipalities():
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert Municipality.objects.get(code="0114").name == "Upplands Väsby"
    assert Municipality.objects.get(code="1280").county.code == "12"


@pytest.mark.django_db
def test_loading_geography_twice_changes_nothing():
    result = geography_load_reference()
    assert (result.counties_created, result.municipalities_created, result.updated) == (0, 0, 0)


@pytest.mark.django_db
def test_county_page_lists_municipalities_and_organisations(client, organisation):
    response = client.get("/lan/12/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skåne län" in body
    assert "Kristianstad" in body and "Staffanstorp" in body
    assert "Länsstyrelsen Testlän" in body
    assert body.count('href="/kommun/12') == 33


@pytest.mark.django_db
def test_unknown_county_is_404(client):
    assert client.get("/lan/99/").status_code == 404


@pytest.mark.django_db
def test_geography_api(client):
    counties = client.get("/api/counties/").json()
    assert len(counties) == 21
    municipalities = client.get("/api/municipalities/?county=12&page_size=100").json()
    assert municipalities["count"] == 33
    assert {"code": "1280", "name": "Malmö", "county_code": "12"} in municipalities["results"]
