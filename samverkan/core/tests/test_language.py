import pytest

pytestmark = pytest.mark.django_db


def test_interface_is_swedish_by_default_and_english_on_request(client):
    swedish = client.get("/lan/").content.decode()
    assert '<html lang="sv">' in swedish and "Län och kommuner" in swedish
    client.post("/i18n/setlang/", {"language": "en", "next": "/lan/"})
    english = client.get("/lan/").content.decode()
    assert '<html lang="en">' in english and "Counties and municipalities" in english
