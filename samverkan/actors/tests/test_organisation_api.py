import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from samverkan.actors.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_list_is_paginated_and_filtered(api, organisation, other_organisation):
    body = api.get("/api/organisations/?county=12").json()
    assert body["count"] == 1
    assert body["results"][0]["code"] == "lst-test"
    assert body["results"][0]["county_code"] == "12"
    assert api.get("/api/organisations/?q=annan").json()["count"] == 1


def test_anonymous_cannot_create_and_gets_the_error_shape(api):
    response = api.post("/api/organisations/", {"name": "X", "kind": "other"}, format="json")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == 401 and body["code"] == "not_authenticated"


def test_token_authenticated_create_and_validation_errors(api, outsider):
    token = Token.objects.create(user=outsider)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        "/api/organisations/",
        {"name": "API-föreningen", "kind": "civil_society", "municipality_code": "1280"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["county_code"] == "12"
    bad = api.post(
        "/api/organisations/", {"name": "", "kind": "nonsense", "county_code": "99"}, format="json"
    )
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert {"name", "kind", "county_code"} <= set(errors)


def test_outsider_cannot_update_or_delete_another_organisation(api, outsider, organisation):
    api.force_authenticate(outsider)
    response = api.patch("/api/organisations/lst-test/", {"name": "Kapad"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert api.delete("/api/organisations/lst-test/").status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Länsstyrelsen Testlän"


def test_editor_updates_own_organisation(api, editor, organisation):
    api.force_authenticate(editor)
    response = api.patch(
        "/api/organisations/lst-test/", {"website": "https://lst.example.se"}, format="json"
    )
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.website == "https://lst.example.se"


def test_private_organisation_is_404_for_outsiders(api, outsider, organisation):
    organisation.visibility = "private"
    organisation.save()
    api.force_authenticate(outsider)
    assert api.get("/api/organisations/lst-test/").status_code == 404


def test_session_api_requires_csrf(owner, organisation):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.patch("/api/organisations/lst-test/", {"name": "Utan CSRF"}, format="json")
    assert response.status_code == 403
    assert Organisation.objects.get(pk=organisation.pk).name == "Länsstyrelsen Testlän"


def test_openapi_document_and_docs_page(api):
    schema = api.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/organisations/" in paths and "/api/counties/" in paths
    assert "/api/import/{kind}/" in paths
    docs = api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_unknown_api_url_answers_json(api):
    response = api.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_import_rejects_with_row_errors_and_export_json(api, owner, organisation):
    api.force_authenticate(owner)
    upload = (
        "name,kind,municipality_code\nBra,civil_society,1280\nDålig,civil_society,0000\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post(
        "/api/import/organisations/",
        {"file": SimpleUploadedFile("a.csv", upload), "acting_for": "lst-test"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["rows"] == [
        {"row": 3, "column": "municipality_code", "message": "okänd kommunkod ”0000”"}
    ]
    assert not Organisation.objects.filter(name="Bra").exists()
    exported = api.get("/api/export/organisations/?format=json&county=12").json()
    assert exported == [
        {
            "name": "Länsstyrelsen Testlän",
            "code": "lst-test",
            "kind": "county_board",
            "sector": "public",
            "county_code": "12",
            "municipality_code": "",
            "org_number": "",
            "description": "",
            "website": "",
        }
    ]
