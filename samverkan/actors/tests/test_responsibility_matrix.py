"""The responsibility matrix: gaps (no one leads or coordinates) and overlaps (2+ lead)."""

import pytest
from django.core.exceptions import PermissionDenied

from samverkan.actors import selectors, services
from samverkan.actors.models import ResponsibilityClaim, Theme
from tests.factories import OrganisationFactory


@pytest.fixture
def themes(db):
    return {t.code: t for t in Theme.objects.all()}


def claim(user, organisation, theme, county, responsibility):
    return services.responsibility_claim_create(
        user=user,
        organisation=organisation,
        theme=theme,
        county=county,
        responsibility=responsibility,
    )


def test_gaps_and_overlaps(organisation, owner, skane, themes):
    region = OrganisationFactory(name="Region Testlän", steward=organisation)
    kommun = OrganisationFactory(name="Testkommun", steward=organisation)
    claim(owner, organisation, themes["work-skills"], skane, "leads")
    claim(owner, region, themes["work-skills"], skane, "leads")
    claim(owner, kommun, themes["work-skills"], skane, "delivers")
    claim(owner, region, themes["housing"], skane, "coordinates")
    claim(owner, kommun, themes["health"], skane, "finances")

    matrix = selectors.responsibility_matrix(user=owner, county=skane)
    summary = {s.theme.code: s for s in matrix.summaries}
    assert summary["work-skills"].overlap and not summary["work-skills"].gap
    assert not summary["housing"].gap and not summary["housing"].overlap
    assert summary["health"].gap  # finances only: nobody leads or coordinates
    assert {s.theme.code for s in matrix.overlaps} == {"work-skills"}
    assert len(matrix.gaps) == len(themes) - 2
    rows = {r["organisation"]: r for r in selectors.responsibility_matrix_records(matrix)}
    assert rows["Testkommun"]["work-skills"] == "Utför"
    assert rows["Region Testlän"]["housing"] == "Samordnar"


def test_steward_owns_claim_for_organisation_it_maps(organisation, owner, skane, themes):
    kommun = OrganisationFactory(name="Testkommun", steward=organisation)
    made = claim(owner, kommun, themes["housing"], skane, "leads")
    assert made.owner == organisation


def test_outsider_cannot_claim_for_another_organisation(organisation, outsider, skane, themes):
    with pytest.raises(PermissionDenied):
        claim(outsider, organisation, themes["housing"], skane, "leads")
    assert not ResponsibilityClaim.objects.exists()


def test_matrix_page_and_xlsx(owner_client, organisation, owner, skane, themes):
    claim(owner, organisation, themes["housing"], skane, "leads")
    page = owner_client.get(skane.get_absolute_url())
    assert page.status_code == 200
    assert "Ansvarsmatris" in page.content.decode()
    assert "Luckor" in page.content.decode()
    download = owner_client.get(f"/aktorer/ansvar/{skane.code}/ansvarsmatris.xlsx")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_outsider_cannot_delete_claim_via_web(outsider_client, organisation, owner, skane, themes):
    made = claim(owner, organisation, themes["housing"], skane, "leads")
    response = outsider_client.post(f"/aktorer/ansvar/anspraak/{made.pk}/ta-bort/")
    assert response.status_code in (403, 404)
    assert ResponsibilityClaim.objects.filter(pk=made.pk).exists()


def test_responsibility_import_all_or_nothing(organisation, editor, outsider, other_organisation):
    from samverkan.core.exchange import ImportRejected, data_import

    good = (
        b"county_code,organisation_code,theme,responsibility\n"
        b"12,lst-test,housing,leads\n12,lst-test,health,Samordnar\n"
    )
    assert (
        data_import(kind="responsibilities", data=good, filename="a.csv", user=editor).created == 2
    )
    bad = (
        b"county_code,organisation_code,theme,responsibility\n"
        b"12,lst-test,housing,leads\n99,lst-test,flying,rules\n12,annan-forening,housing,leads\n"
    )
    with pytest.raises(ImportRejected) as exc:
        data_import(kind="responsibilities", data=bad, filename="b.csv", user=editor)
    columns = {(e.row, e.column) for e in exc.value.errors}
    assert columns == {
        (2, "responsibility"),
        (3, "county_code"),
        (3, "theme"),
        (3, "responsibility"),
        (4, "organisation_code"),
    }
    assert ResponsibilityClaim.objects.count() == 2


def test_county_page_queries_do_not_grow_with_data(
    client, organisation, owner, skane, themes, django_assert_max_num_queries
):
    from django.core.cache import cache

    from samverkan.actors import services as s

    def add(n, offset=0):
        for i in range(offset, offset + n):
            org = OrganisationFactory(county=skane)
            net = s.network_create(
                user=owner,
                owner=organisation,
                name=f"Nät {n}-{i}",
                scope="county",
                county=skane,
                visibility="public",
            )
            s.membership_create(user=owner, network=net, organisation=org)
            claim(owner, organisation, list(themes.values())[i], skane, "leads")

    add(2)
    cache.clear()
    with django_assert_max_num_queries(40) as small:
        client.get(skane.get_absolute_url())
    add(6, offset=2)
    cache.clear()
    with django_assert_max_num_queries(40) as large:
        client.get(skane.get_absolute_url())
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_claim_page_offers_only_what_the_user_may_declare_for(
    owner_client, organisation, skane, themes, other_organisation
):
    stewarded = OrganisationFactory(name="Förvaltad kommun", steward=organisation)
    page = owner_client.get(f"/aktorer/ansvar/{skane.code}/").content.decode()
    assert "Länsstyrelsen Testlän" in page and "Förvaltad kommun" in page
    assert other_organisation.name not in page
    response = owner_client.post(
        f"/aktorer/ansvar/{skane.code}/",
        {
            "organisation": stewarded.pk,
            "theme": themes["housing"].pk,
            "responsibility": "coordinates",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{skane.get_absolute_url()}#ansvar"
    made = ResponsibilityClaim.objects.get(organisation=stewarded)
    assert made.owner == organisation  # the steward maps the actor on its behalf


def test_a_claim_with_a_missing_field_comes_back_with_the_error_summary(owner_client, skane):
    response = owner_client.post(f"/aktorer/ansvar/{skane.code}/", {"responsibility": "leads"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_organisation"' in page
    assert not ResponsibilityClaim.objects.exists()


def test_nobody_declares_for_an_organisation_they_do_not_write(
    outsider_client, viewer_client, organisation, skane, themes
):
    for client in (outsider_client, viewer_client):
        response = client.post(
            f"/aktorer/ansvar/{skane.code}/",
            {
                "organisation": organisation.pk,
                "theme": themes["housing"].pk,
                "responsibility": "leads",
            },
        )
        assert response.status_code == 400  # not among the choices
    assert not ResponsibilityClaim.objects.exists()
