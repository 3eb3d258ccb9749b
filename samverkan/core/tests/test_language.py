import re

import pytest

pytestmark = pytest.mark.django_db


def test_interface_is_swedish_by_default_and_english_on_request(client):
    swedish = client.get("/lan/").content.decode()
    assert re.search(r'<html lang="sv"[ >]', swedish) and "Län och kommuner" in swedish
    client.post("/i18n/setlang/", {"language": "en", "next": "/lan/"})
    english = client.get("/lan/").content.decode()
    assert re.search(r'<html lang="en"[ >]', english) and "Counties and municipalities" in english


def test_browser_language_does_not_override_swedish(client):
    body = client.get("/lan/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert re.search(r'<html lang="sv"[ >]', body)


def test_stylesheet_is_served_locally(client):
    body = client.get("/").content.decode()
    assert 'href="/static/samverkan/samverkan.css"' in body
    assert "cdn" not in body.lower()
