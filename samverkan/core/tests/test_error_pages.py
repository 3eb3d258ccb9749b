"""Refusals and missing pages are pages of the service: they say what happened and where to go,
in the site's layout (not Django's bare "403 Forbidden")."""

from __future__ import annotations

from samverkan.indicators.models import Indicator


def _own(organisation) -> Indicator:
    return Indicator.objects.create(
        code="egen",
        title="Egen",
        definition="d",
        unit="%",
        source_kind="own",
        owner=organisation,
        visibility="private",
    )


def test_a_refusal_says_why_and_what_the_roles_allow(viewer_client, organisation, settings):
    settings.DEBUG = False
    _own(organisation)
    response = viewer_client.get("/indikatorer/egen/andra/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Du saknar behörighet</h1>" in page
    assert "Bara indikatorns ägare kan ändra den." in page
    assert 'href="/konto/' in page  # to the user's organisations and roles
    assert 'class="site-header' in page or "<header" in page


def test_a_missing_page_offers_a_way_on(client, db, settings):
    settings.DEBUG = False
    response = client.get("/indikatorer/finns-inte/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Sidan finns inte</h1>" in page
    assert "/konto/logga-in/?next=/indikatorer/finns-inte/" in page
