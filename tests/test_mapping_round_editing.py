"""Mapping rounds registered and changed in the form and the REST API (issue 22, item 10): a
county board records the round with its groups of respondents (municipalities and city
districts), how many were asked and answered, who when named, and who did not answer. The owner's
admins and editors write; its viewers and other organisations only read what they may, and bad
input is refused with every error listed."""

import json

import pytest
from django.urls import reverse

from samverkan.actors.models import OrganisationKind
from samverkan.core.models import AuditEntry, Visibility
from samverkan.geo.models import County, Municipality
from samverkan.projects.models import DatePrecision, MappingGroup, MappingRound
from tests.factories import OrganisationFactory


@pytest.fixture
def places(db, skane):
    """Two municipalities and two city districts in Skåne, a municipality in Stockholm."""
    malmo = Municipality.objects.get(code="1280")
    lund = Municipality.objects.get(code="1281")
    stockholm = Municipality.objects.get(code="0180")

    def org(code, name, kind, municipality):
        return OrganisationFactory(
            code=code,
            name=name,
            kind=kind,
            sector="public",
            county=municipality.county,
            municipality=municipality,
        )

    return {
        "malmo": org("kommun-1280", "Malmö stad", OrganisationKind.MUNICIPALITY, malmo),
        "lund": org("kommun-1281", "Lunds kommun", OrganisationKind.MUNICIPALITY, lund),
        "limhamn": org(
            "stadsdel-limhamn", "Limhamn-Bunkeflo", OrganisationKind.CITY_DISTRICT, malmo
        ),
        "husie": org("stadsdel-husie", "Husie", OrganisationKind.CITY_DISTRICT, malmo),
        "stockholm": org(
            "kommun-0180", "Stockholms stad", OrganisationKind.MUNICIPALITY, stockholm
        ),
    }


def _group(n, **values):
    """A group's fields as the form posts them (prefix ``groups``)."""
    return {f"groups-{n}-{key}": value for key, value in values.items()}


def _post_data(organisation, places, *, groups=None, **fields):
    data = {
        "owner": organisation.pk,
        "title": "Kartläggning av integrationsprojekt i Skåne 2025",
        "county": County.objects.get(code="12").pk,
        "when": "2025",
        "description": "Enkät till länets kommuner och Malmös stadsdelar.",
        "projects_reported": "14",
        "projects_selected": "3",
        "source": "Länsstyrelsen i Skåne län, Rapport 2025:4, avsnitt 2",
        "visibility": "internal",
        "groups-TOTAL_FORMS": "2",
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "20",
    }
    if groups is None:
        groups = {
            **_group(
                0,
                label="Länets kommuner",
                respondent_kind="municipality",
                asked="2",
                answered="1",
                respondents=[places["malmo"].pk, places["lund"].pk],
                non_respondents=[places["lund"].pk],
            ),
            **_group(
                1,
                label="Stadsdelar i Malmö stad",
                respondent_kind="city_district",
                asked="10",
                answered="9",
                respondents=[places["limhamn"].pk, places["husie"].pk],
                non_respondents=[places["limhamn"].pk],
                note="Rapporten namnger två av stadsdelarna.",
            ),
        }
    data.update(groups)
    data.update(fields)
    return data


@pytest.fixture
def mapping(organisation, places):
    round_ = MappingRound.objects.create(
        owner=organisation,
        title="Kartläggning 2024",
        county=organisation.county,
        visibility=Visibility.INTERNAL,
        start_date="2024-01-01",
        start_precision=DatePrecision.YEAR,
    )
    group = MappingGroup.objects.create(
        round=round_, label="Länets kommuner", respondent_kind="municipality", asked=2, answered=1
    )
    group.respondents.set([places["malmo"], places["lund"]])
    group.non_respondents.set([places["lund"]])
    return round_


# --- The form ------------------------------------------------------------------------------


def test_owner_records_a_round_with_municipalities_and_city_districts(
    organisation, places, owner_client
):
    response = owner_client.post(
        reverse("projects:mapping_round_create"), _post_data(organisation, places)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    mapping = MappingRound.objects.get()
    assert response["Location"] == mapping.get_absolute_url()
    assert mapping.owner == organisation and mapping.county.code == "12"
    assert (mapping.start_date.isoformat(), mapping.start_precision) == ("2025-01-01", "year")
    assert (mapping.projects_reported, mapping.projects_selected) == (14, 3)
    municipalities, districts = mapping.groups.order_by("position")
    assert (municipalities.asked, municipalities.answered) == (2, 1)
    assert set(municipalities.respondents.all()) == {places["malmo"], places["lund"]}
    assert list(municipalities.non_respondents.all()) == [places["lund"]]
    assert districts.respondent_kind == OrganisationKind.CITY_DISTRICT
    assert (districts.asked, districts.answered) == (10, 9)
    assert list(districts.non_respondents.all()) == [places["limhamn"]]
    assert AuditEntry.objects.filter(action="projects.mappinground.created").count() == 1
    html = owner_client.get(mapping.get_absolute_url()).content.decode()
    assert "1 av 2 svarade" in html and "9 av 10 svarade" in html
    # who answered, derived from the named respondents: Malmö, and Husie among the districts
    answered = html.split("Svarade:")[1].split("<br>")[0]
    assert "Malmö stad" in answered and "Lunds kommun" not in answered
    assert "Rapport 2025:4" in html
    assert reverse("projects:mapping_round_edit", args=[mapping.pk]) in html


def test_an_unknown_count_stays_empty_and_a_month_is_kept_as_a_month(
    organisation, places, editor_client
):
    groups = _group(0, label="Länets kommuner", respondent_kind="municipality", asked="33")
    data = _post_data(
        organisation,
        places,
        groups=groups,
        when="november 1999",
        projects_reported="",
        projects_selected="",
    )
    assert editor_client.post(reverse("projects:mapping_round_create"), data).status_code == 302
    mapping = MappingRound.objects.get()
    assert mapping.start_label == "november 1999"
    assert mapping.projects_reported is None and mapping.projects_selected is None
    group = mapping.groups.get()
    assert (group.asked, group.answered) == (33, None)
    html = editor_client.get(mapping.get_absolute_url()).content.decode()
    assert "33 tillfrågade; antalet svar är okänt" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_group(0, answered="3"), "Fler kan inte ha svarat än som tillfrågades."),
        (_group(0, asked="-1"), "0"),
        (_group(0, label=""), "Det här fältet är obligatoriskt"),
        (_group(0, answered_percent="120"), "100"),
        ({"when": "hösten 99"}, "är inget datum"),
        ({"when": "1999-02-30"}, "inget giltigt datum"),
        ({"projects_selected": "20"}, "Fler projekt kan inte ha valts ut"),
        ({"title": ""}, "Det här fältet är obligatoriskt"),
    ],
)
def test_bad_input_is_listed_in_the_error_summary_and_nothing_is_saved(
    organisation, places, owner_client, change, message
):
    data = _post_data(organisation, places)
    data.update(change)
    response = owner_client.post(reverse("projects:mapping_round_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and message in html
    assert not MappingRound.objects.exists()


def test_named_respondents_must_fit_the_counts_the_kind_and_the_county(
    organisation, places, owner_client
):
    groups = {
        # Husie is not among those asked; Stockholm lies in another county and is no district
        **_group(
            0,
            label="Stadsdelar i Malmö stad",
            respondent_kind="city_district",
            asked="1",
            answered="1",
            respondents=[places["limhamn"].pk, places["malmo"].pk],
            non_respondents=[places["husie"].pk],
        ),
    }
    response = owner_client.post(
        reverse("projects:mapping_round_create"),
        _post_data(organisation, places, groups=groups),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 organisationer är namngivna men bara 1 tillfrågades." in html
    assert "De som inte svarade måste också stå bland de tillfrågade: Husie." in html
    # each error links to its field
    assert 'href="#id_groups-0-respondents"' in html
    assert 'href="#id_groups-0-non_respondents"' in html
    assert not MappingRound.objects.exists()
    # an organisation in another county is not even offered; posting it is refused
    groups = _group(
        0,
        label="Kommuner",
        respondent_kind="municipality",
        respondents=[places["stockholm"].pk],
    )
    response = owner_client.post(
        reverse("projects:mapping_round_create"),
        _post_data(organisation, places, groups=groups),
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not MappingRound.objects.exists()


def test_kind_and_county_are_checked_by_the_service_too(organisation, places, owner):
    from django.core.exceptions import ValidationError

    from samverkan.projects.services import MappingGroupData, mapping_round_create

    with pytest.raises(ValidationError) as caught:
        mapping_round_create(
            user=owner,
            owner=organisation,
            title="K",
            county=organisation.county,
            groups=[
                MappingGroupData(
                    label="Stadsdelar",
                    respondent_kind="city_district",
                    respondents=[places["malmo"], places["stockholm"]],
                )
            ],
        )
    messages = " ".join(caught.value.message_dict["groups"])
    assert "är av en annan typ" in messages and "Stockholms stad" in messages
    assert "ligger inte i kartläggningens län" in messages
    assert not MappingRound.objects.exists()


def test_owner_edits_the_round_and_its_groups(organisation, places, mapping, owner_client):
    url = reverse("projects:mapping_round_edit", args=[mapping.pk])
    page = owner_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2024"' in html and "Länets kommuner" in html
    data = _post_data(
        organisation,
        places,
        groups={
            **_group(
                0,
                label="Länets kommuner",
                respondent_kind="municipality",
                asked="2",
                answered="2",
                respondents=[places["malmo"].pk, places["lund"].pk],
                DELETE="on",
            ),
            **_group(1, label="Stadsdelar i Malmö stad", respondent_kind="city_district"),
        },
        title="Kartläggning 2024 (rättad)",
    )
    data.pop("owner")
    data["groups-INITIAL_FORMS"] = "1"
    response = owner_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    mapping.refresh_from_db()
    assert mapping.title == "Kartläggning 2024 (rättad)" and mapping.owner == organisation
    assert list(mapping.groups.values_list("label", flat=True)) == ["Stadsdelar i Malmö stad"]
    assert mapping.history.count() == 2
    change = AuditEntry.objects.get(action="projects.mappinground.groups_changed")
    assert change.data["before"][0]["non_respondents"] == ["kommun-1281"]
    assert [g["label"] for g in change.data["after"]] == ["Stadsdelar i Malmö stad"]
    assert (
        owner_client.get(
            reverse("core:history", args=["projects.mappinground", mapping.pk])
        ).status_code
        == 200
    )


def test_a_viewer_reads_but_cannot_register_or_edit(organisation, places, mapping, viewer_client):
    assert viewer_client.get(mapping.get_absolute_url()).status_code == 200
    assert reverse("projects:mapping_round_edit", args=[mapping.pk]) not in (
        viewer_client.get(mapping.get_absolute_url()).content.decode()
    )
    listing = viewer_client.get(reverse("projects:mapping_rounds")).content.decode()
    assert reverse("projects:mapping_round_create") not in listing
    create = viewer_client.get(reverse("projects:mapping_round_create"))
    assert create.status_code == 200 and '<form method="post"' not in create.content.decode()
    viewer_client.post(reverse("projects:mapping_round_create"), _post_data(organisation, places))
    assert MappingRound.objects.count() == 1
    url = reverse("projects:mapping_round_edit", args=[mapping.pk])
    assert viewer_client.get(url).status_code == 403
    data = _post_data(organisation, places, title="Ändrad")
    assert viewer_client.post(url, data).status_code == 403
    mapping.refresh_from_db()
    assert mapping.title == "Kartläggning 2024" and mapping.groups.count() == 1


def test_another_organisation_cannot_edit_or_register_for_the_owner(
    organisation, other_organisation, places, mapping, outsider_client
):
    # an internal round is read by every signed-in user, but changed only by its owner
    assert outsider_client.get(mapping.get_absolute_url()).status_code == 200
    url = reverse("projects:mapping_round_edit", args=[mapping.pk])
    assert outsider_client.get(url).status_code == 403
    assert outsider_client.post(url, _post_data(organisation, places, title="X")).status_code == 403
    # registering in the owner's name: the owner is not among the choices
    response = outsider_client.post(
        reverse("projects:mapping_round_create"), _post_data(organisation, places)
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert MappingRound.objects.count() == 1
    # a private round is not even found
    mapping.visibility = Visibility.PRIVATE
    mapping.save()
    assert outsider_client.get(mapping.get_absolute_url()).status_code == 404
    assert outsider_client.get(url).status_code == 404
    assert "Kartläggning 2024" not in (
        outsider_client.get(reverse("projects:mapping_rounds")).content.decode()
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, mapping):
    response = client.get(reverse("projects:mapping_round_create"))
    assert response.status_code == 302 and "logga-in" in response["Location"]
    # an internal round is not shown to anonymous visitors
    assert client.get(mapping.get_absolute_url()).status_code == 404


def test_the_list_and_the_county_hub_link_to_the_form(organisation, mapping, owner_client, client):
    create = reverse("projects:mapping_round_create")
    listing = owner_client.get(reverse("projects:mapping_rounds") + "?county=12").content.decode()
    assert f"{create}?county=12" in listing and mapping.get_absolute_url() in listing
    assert create not in client.get(reverse("projects:mapping_rounds")).content.decode()
    hub = owner_client.get(reverse("geo:county", args=["12"])).content.decode()
    assert f"{create}?county=12" in hub
    assert create not in client.get(reverse("geo:county", args=["12"])).content.decode()
    # the form starts in the county it was opened for, owned by the county's county board
    page = owner_client.get(f"{create}?county=12")
    assert page.context["form"].initial["county"] == County.objects.get(code="12").pk
    assert page.context["form"].initial["owner"] == organisation.pk


# --- The REST API ----------------------------------------------------------------------------


def _api_body(**fields):
    body = {
        "owner_code": "lst-test",
        "title": "Kartläggning via API",
        "county_code": "12",
        "start_date": "2025-03-14",
        "start_precision": "month",
        "source": "Länsstyrelsen i Skåne län, PM 2025",
        "groups": [
            {
                "label": "Stadsdelar i Malmö stad",
                "respondent_kind": "city_district",
                "asked": 2,
                "answered": 1,
                "respondent_codes": ["stadsdel-limhamn", "stadsdel-husie"],
                "non_respondent_codes": ["stadsdel-limhamn"],
            }
        ],
    }
    body.update(fields)
    return body


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_api_owner_creates_reads_and_changes_a_round(places, owner_client):
    response = _post(owner_client, "/api/mapping-rounds/", _api_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_code"] == "lst-test" and body["county_code"] == "12"
    assert (body["start_date"], body["start_precision"]) == ("2025-03-01", "month")
    (group,) = body["groups"]
    assert group["answered_codes"] == ["stadsdel-husie"]
    assert group["non_respondent_codes"] == ["stadsdel-limhamn"]
    assert group["text"] == "1 av 2 svarade"
    assert body["projects_reported"] is None  # unknown, not 0
    url = f"/api/mapping-rounds/{body['id']}/"
    assert owner_client.get(url).json()["title"] == "Kartläggning via API"
    changed = _post(owner_client, url, {"projects_reported": 12}, method="patch")
    assert changed.status_code == 200 and changed.json()["projects_reported"] == 12
    assert len(changed.json()["groups"]) == 1  # groups not sent are left as they are
    replaced = _post(owner_client, url, {"title": "Ny titel", "county_code": "12"}, method="put")
    assert replaced.status_code == 200
    assert replaced.json()["groups"] == [] and replaced.json()["projects_reported"] is None
    listed = owner_client.get("/api/mapping-rounds/?county=12").json()
    assert [r["title"] for r in listed["results"]] == ["Ny titel"]
    assert owner_client.get("/api/mapping-rounds/?county=01").json()["results"] == []


def test_api_refuses_bad_input(places, owner_client):
    cases = [
        ({"groups": [{"label": "K", "asked": 1, "answered": 2}]}, "groups"),
        ({"groups": [{"label": "K", "asked": -1}]}, "groups"),
        ({"groups": [{"label": "K", "respondent_codes": ["finns-inte"]}]}, "groups[1]"),
        ({"county_code": "99"}, "county_code"),
        ({"owner_code": ""}, "owner_code"),
        ({"start_precision": "week"}, "start_precision"),
        ({"projects_reported": 2, "projects_selected": 5}, "projects_selected"),
        ({"campaign": 999999}, "campaign"),
        ({"title": ""}, "title"),
    ]
    for change, field in cases:
        response = _post(owner_client, "/api/mapping-rounds/", _api_body(**change))
        assert response.status_code == 400, (change, response.content)
        body = response.json()
        assert body["code"] == "invalid" and any(k.startswith(field) for k in body["errors"]), (
            change,
            body,
        )
    assert not MappingRound.objects.exists()
    assert owner_client.get("/api/mapping-rounds/abc/").status_code == 404


def test_api_viewer_outsider_and_anonymous_cannot_write(
    organisation, places, mapping, viewer_client, outsider_client, client
):
    url = f"/api/mapping-rounds/{mapping.pk}/"
    assert viewer_client.get(url).status_code == 200
    assert _post(viewer_client, "/api/mapping-rounds/", _api_body()).status_code == 403
    assert _post(viewer_client, url, {"title": "X"}, method="patch").status_code == 403
    assert _post(outsider_client, "/api/mapping-rounds/", _api_body()).status_code == 403
    assert _post(outsider_client, url, {"title": "X"}, method="patch").status_code == 403
    assert _post(client, "/api/mapping-rounds/", _api_body()).status_code in (401, 403)
    assert _post(client, url, {"title": "X"}, method="patch").status_code in (401, 403)
    assert client.get(url).status_code == 404  # internal: not for anonymous visitors
    mapping.refresh_from_db()
    assert mapping.title == "Kartläggning 2024" and MappingRound.objects.count() == 1
    mapping.visibility = Visibility.PRIVATE
    mapping.save()
    assert outsider_client.get(url).status_code == 404
    assert _post(outsider_client, url, {"title": "X"}, method="patch").status_code == 404
    assert outsider_client.get("/api/mapping-rounds/").json()["results"] == []
    assert viewer_client.get(url).status_code == 200


def test_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/mapping-rounds/"])
    assert {"get", "put", "patch"} <= set(paths["/api/mapping-rounds/{id}/"])


def test_export_names_the_respondents(organisation, mapping, owner):
    from samverkan.core.exchange import data_export

    (row,) = json.loads(data_export(kind="mapping-rounds", fmt="json", user=owner, options={}))
    assert set(row["respondents"].split("; ")) == {"kommun-1280", "kommun-1281"}
    assert row["non_respondents"] == "kommun-1281"
