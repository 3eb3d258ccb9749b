"""Red-team finding 3: organisations of a kind that carries rights (county board, region,
municipality, state agency) come only from the reference data or a superuser; a self-registered
organisation is unverified until a superuser or its county's verified county board verifies it,
and the rights of a kind (reviewing good examples, verifying, stewardship) need a verified
organisation."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from samverkan.actors import services
from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected, data_import
from samverkan.core.models import AuditEntry
from samverkan.geo.models import County, Municipality
from samverkan.projects.services import project_create
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

RIGHTS_KIND_ERROR = "Länsstyrelser, regioner, kommuner och statliga myndigheter finns redan"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def skane_project(other_organisation, skane):
    """A project of another organisation, in Skåne (the county of the fixture county board)."""
    return project_create(
        user=tenancy.SYSTEM,
        owner=other_organisation,
        title="Språkcafé i Lund",
        municipalities=[Municipality.objects.get(code="1281")],
        visibility="public",
    )


@pytest.fixture
def unverified(skane, outsider):
    """An association in Skåne registered by the outsider: unverified."""
    return services.organisation_create(
        user=outsider, name="Nya föreningen i Lund", kind="civil_society", county=skane
    )


@pytest.fixture
def superuser(db):
    return UserFactory(email="super@example.se", is_superuser=True, is_staff=True)


# --- the attack -------------------------------------------------------------------------------


def test_viewer_cannot_make_itself_a_county_board_and_review_a_project(api, viewer, skane_project):
    api.force_authenticate(viewer)
    response = api.post(
        "/api/organisations/",
        {"name": "Länsstyrelsen i Skåne (egen)", "kind": "county_board", "county_code": "12"},
        format="json",
    )
    assert response.status_code == 400
    assert RIGHTS_KIND_ERROR in response.json()["errors"]["kind"][0]
    assert not Organisation.objects.filter(name="Länsstyrelsen i Skåne (egen)").exists()
    client = APIClient()
    client.force_login(viewer)
    response = client.post(reverse("projects:review", args=[skane_project.pk]), {"good_example": 1})
    assert response.status_code == 403
    skane_project.refresh_from_db()
    assert not skane_project.good_example


def test_an_unverified_county_board_carries_no_rights(skane, skane_project, unverified):
    """A county board that is not verified (say one registered before the fix) reviews nothing,
    verifies nothing and stewards nothing."""
    fake = OrganisationFactory(
        name="Falska länsstyrelsen", code="falsk-lst", kind="county_board", county=skane
    )
    Organisation.objects.filter(pk=fake.pk).update(verified=False)
    admin = MembershipFactory(organisation=fake, role="admin").user
    client = APIClient()
    client.force_login(admin)
    response = client.post(reverse("projects:review", args=[skane_project.pk]), {"good_example": 1})
    assert response.status_code == 403
    skane_project.refresh_from_db()
    assert not skane_project.good_example
    response = client.post(f"/api/organisations/{unverified.code}/verify/")
    assert response.status_code == 403
    unverified.refresh_from_db()
    assert not unverified.verified


def test_the_verified_county_board_reviews_its_county_s_projects(owner, skane_project):
    from samverkan.projects.services import project_review_good_example

    project_review_good_example(project=skane_project, user=owner, good_example=True)
    skane_project.refresh_from_db()
    assert skane_project.good_example


# --- registering --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["county_board", "region", "municipality", "state_agency"])
def test_the_form_refuses_a_kind_that_carries_rights(outsider_client, kind):
    response = outsider_client.post(
        "/aktorer/ny/", {"name": "Min myndighet", "kind": kind, "visibility": "public"}
    )
    assert response.status_code == 200
    assert RIGHTS_KIND_ERROR in response.content.decode()
    assert not Organisation.objects.filter(name="Min myndighet").exists()


def test_a_self_registered_organisation_starts_unverified(outsider_client, outsider):
    response = outsider_client.post(
        "/aktorer/ny/", {"name": "Nya föreningen", "kind": "civil_society", "visibility": "public"}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Nya föreningen")
    assert not organisation.verified and organisation.verified_at is None
    page = outsider_client.get(organisation.get_absolute_url()).content.decode()
    assert "Ej verifierad" in page
    assert reverse("actors:organisation_verify", args=[organisation.code]) not in page


def test_a_superuser_registers_a_county_board_verified(superuser, skane):
    board = services.organisation_create(
        user=superuser, name="Länsstyrelsen Nytt län", kind="county_board", county=skane
    )
    assert board.verified and board.verified_at is not None


def test_the_county_board_registers_its_county_s_actors_verified(editor, organisation, skane):
    mapped = services.organisation_create(
        user=editor,
        steward=organisation,
        name="Kartlagd förening",
        kind="civil_society",
        county=skane,
    )
    assert mapped.verified and mapped.steward == organisation


def test_an_unverified_organisation_is_no_steward(outsider, unverified, skane):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            user=outsider, steward=unverified, name="Kartlagd", kind="civil_society"
        )
    assert "inte verifierad" in error.value.message_dict["steward"][0]
    # nor does it keep organisations recorded as stewarded by it
    child = OrganisationFactory(name="Barnet", code="barnet", steward=unverified, county=skane)
    assert not tenancy.can_write(outsider, child)
    assert not tenancy.writable(Organisation.objects.filter(pk=child.pk), outsider).exists()
    services.organisation_verify(organisation=unverified, user=UserFactory(is_superuser=True))
    child = Organisation.objects.get(pk=child.pk)
    assert tenancy.can_write(outsider, child)


def test_the_api_names_the_steward_field_of_an_unverified_steward(api, outsider, unverified):
    api.force_authenticate(outsider)
    response = api.post(
        "/api/organisations/",
        {"name": "Kartlagd", "kind": "civil_society", "steward_code": unverified.code},
        format="json",
    )
    assert response.status_code == 400
    assert "inte verifierad" in response.json()["errors"]["steward_code"][0]


def test_import_of_kinds_that_carry_rights_needs_a_superuser(owner, organisation, superuser):
    upload = (
        "name,kind,county_code\nFalska kommunen,municipality,12\nEn förening,civil_society,12\n"
    )
    upload = upload.encode()
    with pytest.raises(ImportRejected) as error:
        data_import(
            kind="organisations", data=upload, filename="a.csv", user=owner, acting_for=organisation
        )
    assert [(e.row, e.column) for e in error.value.errors] == [(2, "kind")]
    assert "importeras bara av en systemadministratör" in error.value.errors[0].message
    data_import(kind="organisations", data=upload, filename="a.csv", user=superuser)
    assert Organisation.objects.get(name="Falska kommunen").verified


def test_import_by_an_ordinary_user_is_unverified_and_needs_a_verified_steward(
    outsider, unverified, other_organisation
):
    upload = b"name,kind,county_code\nImporterad,civil_society,12\n"
    with pytest.raises(PermissionDenied, match="inte verifierad"):
        data_import(
            kind="organisations",
            data=upload,
            filename="a.csv",
            user=outsider,
            acting_for=unverified,
        )
    # Imported for the outsider's own (verified) association: stewarded by it, not verified.
    data_import(
        kind="organisations",
        data=upload,
        filename="a.csv",
        user=outsider,
        acting_for=other_organisation,
    )
    imported = Organisation.objects.get(name="Importerad")
    assert not imported.verified and imported.steward == other_organisation


def test_the_county_board_s_import_of_its_county_is_verified(owner, organisation):
    upload = b"name,kind,county_code\nI Sk\xc3\xa5ne,civil_society,12\nI Uppsala,civil_society,03\n"
    data_import(
        kind="organisations", data=upload, filename="a.csv", user=owner, acting_for=organisation
    )
    assert Organisation.objects.get(name="I Skåne").verified
    assert not Organisation.objects.get(name="I Uppsala").verified


# --- changing -----------------------------------------------------------------------------------


def test_an_admin_cannot_turn_an_organisation_into_a_county_board(
    api, outsider, other_organisation
):
    api.force_authenticate(outsider)
    response = api.patch(
        f"/api/organisations/{other_organisation.code}/",
        {"kind": "county_board", "county_code": "12"},
        format="json",
    )
    assert response.status_code == 400
    assert RIGHTS_KIND_ERROR in response.json()["errors"]["kind"][0]
    other_organisation.refresh_from_db()
    assert other_organisation.kind == "civil_society"


def test_a_county_board_cannot_move_itself_to_another_county(api, owner, organisation, superuser):
    api.force_authenticate(owner)
    response = api.patch(
        f"/api/organisations/{organisation.code}/", {"county_code": "01"}, format="json"
    )
    assert response.status_code == 400
    assert "Bara en systemadministratör flyttar" in response.json()["errors"]["county_code"][0]
    organisation.refresh_from_db()
    assert organisation.county.code == "12"
    # its other fields it keeps up to date as before
    response = api.patch(
        f"/api/organisations/{organisation.code}/", {"website": "https://lst.example.se"}
    )
    assert response.status_code == 200
    api.force_authenticate(superuser)
    response = api.patch(
        f"/api/organisations/{organisation.code}/", {"county_code": "01"}, format="json"
    )
    assert response.status_code == 200


def test_a_municipality_keeps_its_own_page_up_to_date(skane):
    """Its county follows from the municipality: leaving the county empty moves nothing."""
    malmo = OrganisationFactory(
        name="Malmö stad",
        code="kommun-1280",
        kind="municipality",
        sector="public",
        county=skane,
        municipality=Municipality.objects.get(code="1280"),
    )
    editor = MembershipFactory(organisation=malmo, role="editor").user
    client = APIClient()
    client.force_login(editor)
    response = client.post(
        "/aktorer/kommun-1280/redigera/",
        {
            "name": "Malmö stad",
            "kind": "municipality",
            "sector": "public",
            "county": "",
            "municipality": malmo.municipality_id,
            "description": "Sveriges tredje största stad",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    malmo.refresh_from_db()
    assert malmo.description == "Sveriges tredje största stad" and malmo.county == skane
    response = client.post(
        "/aktorer/kommun-1280/redigera/",
        {
            "name": "Malmö stad",
            "kind": "municipality",
            "sector": "public",
            "municipality": Municipality.objects.get(code="0180").pk,
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "Bara en systemadministratör flyttar" in response.content.decode()
    malmo.refresh_from_db()
    assert malmo.municipality.code == "1280"


# --- verifying ----------------------------------------------------------------------------------


def test_the_county_board_verifies_an_organisation_of_its_county(owner_client, owner, unverified):
    page = owner_client.get(unverified.get_absolute_url()).content.decode()
    url = reverse("actors:organisation_verify", args=[unverified.code])
    assert url in page
    response = owner_client.post(url)
    assert response.status_code == 302
    unverified.refresh_from_db()
    assert unverified.verified and unverified.verified_at is not None
    entry = AuditEntry.objects.get(action="actors.organisation.verified")
    assert entry.user == owner and entry.organisation == unverified
    assert unverified.history.first().history_change_reason == "verifierad"


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_viewer_and_other_organisation_cannot_verify(request, who, unverified):
    client = APIClient()
    client.force_login(request.getfixturevalue(who))
    assert (
        client.post(reverse("actors:organisation_verify", args=[unverified.code])).status_code
        == 403
    )
    assert client.post(f"/api/organisations/{unverified.code}/verify/").status_code == 403
    unverified.refresh_from_db()
    assert not unverified.verified


def test_anonymous_cannot_verify(client, unverified):
    response = client.post(reverse("actors:organisation_verify", args=[unverified.code]))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert APIClient().post(f"/api/organisations/{unverified.code}/verify/").status_code == 401
    unverified.refresh_from_db()
    assert not unverified.verified


def test_the_county_board_verifies_only_its_own_county(api, owner, unverified):
    Organisation.objects.filter(pk=unverified.pk).update(county=County.objects.get(code="03"))
    api.force_authenticate(owner)
    assert api.post(f"/api/organisations/{unverified.code}/verify/").status_code == 403
    unverified.refresh_from_db()
    assert not unverified.verified


def test_only_a_superuser_verifies_a_kind_that_carries_rights(api, owner, superuser, skane):
    municipality = OrganisationFactory(
        name="Kommun utan verifiering", code="kommun-x", kind="municipality", county=skane
    )
    Organisation.objects.filter(pk=municipality.pk).update(verified=False)
    api.force_authenticate(owner)
    assert api.post(f"/api/organisations/{municipality.code}/verify/").status_code == 403
    api.force_authenticate(superuser)
    response = api.post(f"/api/organisations/{municipality.code}/verify/")
    assert response.status_code == 200 and response.json()["verified"] is True


def test_verifying_an_unreadable_organisation_is_404(api, outsider, unverified):
    Organisation.objects.filter(pk=unverified.pk).update(visibility="private")
    api.force_authenticate(UserFactory())
    assert api.post(f"/api/organisations/{unverified.code}/verify/").status_code == 404


# --- where kinds matter elsewhere ---------------------------------------------------------------


def test_surveys_to_county_boards_skip_unverified_ones(skane):
    from samverkan.surveys.selectors import organisations_by_rule

    fake = OrganisationFactory(name="Falsk", code="falsk", kind="county_board", county=skane)
    real = OrganisationFactory(name="Äkta", code="akta", kind="county_board", county=skane)
    Organisation.objects.filter(pk=fake.pk).update(verified=False)
    assert [o.code for o in organisations_by_rule(rule="county_boards")] == [real.code]


def test_a_call_for_municipalities_refuses_an_unverified_municipality(owner, organisation, skane):
    import datetime

    from django.utils import timezone

    from samverkan.funding.services import applications, calls

    call = calls.call_create(
        user=owner,
        owner=organisation,
        title="För kommuner",
        purpose="Stöd",
        budget=100_000,
        deadline=timezone.now() + datetime.timedelta(days=30),
        eligible_kinds=["municipality"],
        criteria=[calls.CriterionSpec("Nytta", weight=1)],
    )
    calls.call_publish(call=call, user=owner)
    fake = OrganisationFactory(name="Falsk kommun", code="falsk-kommun", kind="municipality")
    Organisation.objects.filter(pk=fake.pk).update(verified=False)
    fake.refresh_from_db()
    editor = MembershipFactory(organisation=fake, role="editor").user
    with pytest.raises(ValidationError, match="inte verifierad"):
        applications.application_create(
            user=editor, call=call, owner=fake, title="Ansökan", summary="Kort"
        )


# --- the data migration -------------------------------------------------------------------------


def test_the_migration_verifies_reference_and_trusted_rows_only(skane, superuser, viewer):
    migration = importlib.import_module("samverkan.actors.migrations.0006_organisation_verified")
    reference_board = OrganisationFactory(
        name="Länsstyrelsen i Skåne län", code="lst-12", kind="county_board", county=skane
    )
    fake_board = OrganisationFactory(
        name="Falska", code="lst-falsk", kind="county_board", county=skane
    )
    by_superuser = OrganisationFactory(name="Av admin", code="av-admin", kind="region")
    OrganisationFactory(name="Av setup", code="av-setup")  # no user: setup, demo, CLI
    mapped = OrganisationFactory(name="Kartlagd", code="kartlagd", steward=reference_board)
    mapped.county = skane
    mapped.save()
    self_registered = OrganisationFactory(name="Egen", code="egen")
    history = apps.get_model("actors", "HistoricalOrganisation")
    for org, user in (
        (fake_board, viewer),
        (by_superuser, superuser),
        (self_registered, viewer),
        (reference_board, viewer),  # a reference code counts whoever wrote the row
    ):
        history.objects.filter(id=org.pk, history_type="+").update(history_user=user)
    Organisation.objects.update(verified=False, verified_at=None)

    migration.mark_verified(apps, None)

    verified = set(Organisation.objects.filter(verified=True).values_list("code", flat=True))
    assert {"lst-12", "av-admin", "av-setup", "kartlagd"} <= verified
    assert not {"lst-falsk", "egen"} & verified
