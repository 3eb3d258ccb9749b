"""Who may read and write projects, through the pages, the API and the services."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.core.models import Visibility
from samverkan.projects.models import Project
from samverkan.projects.services import project_create, project_review_good_example


def test_editor_creates_a_project_through_the_page(editor_client, organisation):
    response = editor_client.post(
        reverse("projects:create"),
        {
            "owner": organisation.pk,
            "title": "Språkcafé i Ystad",
            "summary": "Samtal på svenska.",
            "status": "ongoing",
            "visibility": "internal",
            "budget_text": "1 200 000 kr",
            "fundings_text": "ESF: 500 000 kr\nYstads kommun: 700 000",
            "themes": [],
            "partners_text": f"{organisation.code}: genomförare",
            "action": "save",
        },
    )
    project = Project.objects.get(title="Språkcafé i Ystad")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.budget == 1_200_000
    assert [(f.funder, f.amount) for f in project.fundings.order_by("funder")] == [
        ("ESF", 500_000),
        ("Ystads kommun", 700_000),
    ]
    assert project.participants.get().role == "implementing"
    assert editor_client.get(project.get_absolute_url()).status_code == 200


def test_form_refuses_bad_budget_and_end_before_start(editor_client, organisation):
    response = editor_client.post(
        reverse("projects:create"),
        {
            "owner": organisation.pk,
            "title": "Fel",
            "status": "ongoing",
            "visibility": "internal",
            "budget_text": "lots",
            "start_date": "2020-05-01",
            "end_date": "2019-01-01",
            "action": "save",
        },
    )
    assert response.status_code == 200
    assert "ogiltigt belopp ”lots”" in response.content.decode()
    assert "Slutdatum kan inte ligga före startdatum." in response.content.decode()
    assert not Project.objects.filter(title="Fel").exists()


def test_viewer_and_outsider_cannot_create_for_the_organisation(
    viewer_client, outsider_client, organisation
):
    for client in (viewer_client, outsider_client):
        response = client.post(
            reverse("projects:create"),
            {
                "owner": organisation.pk,
                "title": "Intrång",
                "status": "ongoing",
                "visibility": "internal",
                "action": "save",
            },
        )
        assert response.status_code == 200  # the owner is not among the choices
    assert not Project.objects.filter(title="Intrång").exists()


def test_outsider_cannot_edit_or_delete(corpus, outsider_client, owner_client):
    project = corpus["validering"]
    for name in ("projects:edit", "projects:delete"):
        url = reverse(name, args=[project.pk])
        assert outsider_client.get(url).status_code == 403
        assert outsider_client.post(url, {"title": "Kapad"}).status_code == 403
    project.refresh_from_db()
    assert project.title == "Validering av nyanländas yrkeskompetens"
    assert owner_client.post(reverse("projects:delete", args=[project.pk])).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()


def test_private_project_is_404_for_others(corpus, owner_client, outsider_client, client):
    hidden = corpus["hemlig"]
    assert owner_client.get(hidden.get_absolute_url()).status_code == 404
    assert outsider_client.get(hidden.get_absolute_url()).status_code == 200
    assert client.get(corpus["validering"].get_absolute_url()).status_code == 404  # internal
    assert client.get(corpus["mentor"].get_absolute_url()).status_code == 200  # public


def test_list_page_shows_hits_facets_and_escaped_snippets(corpus, owner_client):
    response = owner_client.get(reverse("projects:list"), {"q": "valideringen", "county": "12"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Validering av nyanländas yrkeskompetens" in page and "Hemlig" not in page
    assert "<mark>" in page
    assert owner_client.get(reverse("projects:list"), {"q": "'; DROP"}).status_code == 200


def test_service_refuses_long_title_and_foreign_owner(owner, outsider, organisation):
    with pytest.raises(ValidationError) as error:
        project_create(user=owner, owner=organisation, title="x" * 10_000)
    assert "title" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        project_create(user=outsider, owner=organisation, title="Intrång")
    assert not Project.objects.exists()


def test_only_the_county_board_reviews_good_examples(corpus, owner, outsider):
    project = corpus["validering"]  # in Skåne; ``organisation`` is a county board in Skåne
    with pytest.raises(PermissionDenied):
        project_review_good_example(project=project, user=outsider, good_example=True)
    project_review_good_example(project=project, user=owner, good_example=True)
    project.refresh_from_db()
    assert project.good_example and project.good_example_reviewed_by == owner


def test_api_search_create_update_and_outsider_denial(
    corpus, owner_client, outsider_client, organisation, client
):
    url = reverse("api:project-list")
    body = client.get(url, {"q": "akademiker"}).json()
    assert [r["title"] for r in body["results"]] == ["Mentor-adept i Östergötland"]
    body = owner_client.get(url, {"q": "akademiker", "county": "12"}).json()
    assert body["count"] == 1 and body["facets"]["county"][0]["code"] == "12"
    paging = owner_client.get(url, {"q": "akademiker", "facets": "0"}).json()
    assert paging["count"] == 2 and paging["facets"] == {}
    assert [r["title"] for r in paging["results"]] == [
        r["title"] for r in owner_client.get(url, {"q": "akademiker"}).json()["results"]
    ]
    response = owner_client.post(
        url,
        json.dumps(
            {
                "owner_code": organisation.code,
                "title": "Nytt via API",
                "theme_codes": ["housing"],
                "fundings": [{"funder": "ESF", "amount": 100}],
                "municipality_codes": ["1280"],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["county_code"] == "12" and created["theme_codes"] == ["housing"]
    detail = reverse("api:project-detail", args=[created["id"]])
    response = outsider_client.post(
        url,
        json.dumps({"owner_code": organisation.code, "title": "Intrång"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        outsider_client.patch(
            detail, json.dumps({"title": "Kapad"}), content_type="application/json"
        ).status_code
        == 403
    )
    assert outsider_client.delete(detail).status_code == 403
    assert Project.objects.get(pk=created["id"]).title == "Nytt via API"
    hidden = reverse("api:project-detail", args=[corpus["hemlig"].pk])
    assert owner_client.get(hidden).status_code == 404
    assert (
        owner_client.patch(
            detail,
            json.dumps({"end_date": "1990-01-01", "start_date": "2000-01-01"}),
            content_type="application/json",
        ).status_code
        == 400
    )
    assert owner_client.delete(detail).status_code == 204


def test_api_similar_and_duplicates_respect_visibility(corpus, owner_client):
    similar = owner_client.get(
        reverse("api:project-similar", args=[corpus["validering"].pk])
    ).json()
    assert "Hemlig validering" not in [s["title"] for s in similar]
    assert (
        owner_client.get(reverse("api:project-similar", args=[corpus["hemlig"].pk])).status_code
        == 404
    )


def test_public_visibility_is_readable_by_anonymous(organisation, make):
    make(organisation, "Öppet projekt", visibility=Visibility.PUBLIC)
    make(organisation, "Internt projekt")
    assert [p.title for p in Project.objects.filter(visibility="public")] == ["Öppet projekt"]


@pytest.mark.parametrize("hostile", ['"', "*", "NEAR(", "'; DROP TABLE projects_project; --"])
def test_api_and_cli_survive_hostile_queries(corpus, owner_client, hostile):
    import io

    from django.core.management import call_command

    response = owner_client.get(reverse("api:project-list"), {"q": hostile, "year": "x'"})
    assert response.status_code == 200
    out = io.StringIO()
    call_command("search", hostile, "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["count"] >= 0
    assert Project.objects.count() == 5
