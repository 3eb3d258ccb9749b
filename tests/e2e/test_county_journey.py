"""End to end in Debian's chromium: sign in, open a county page, check rendering and access."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data_after_flush")]


def test_sign_in_and_open_county_page_is_accessible(live_server, page):
    from samverkan.geo.models import County

    skane = County.objects.get(code="12")
    organisation = OrganisationFactory(
        name="Länsstyrelsen i Skåne län",
        code="lst-12",
        kind="county_board",
        sector="public",
        county=skane,
    )
    MembershipFactory(organisation=organisation, role="admin", user__email="strateg@example.se")

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("E-postadress").fill("strateg@example.se")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Mina organisationer").is_visible()

    page.get_by_role("link", name="Skåne län", exact=True).click()
    page.wait_for_url(f"{live_server.url}/lan/12/")
    assert page.get_by_role("heading", level=1).inner_text() == "Skåne län"
    assert page.get_by_role("link", name="Staffanstorp").is_visible()
    # the hub: key figures first, then a section per area of work
    assert page.locator(".hub-figures").is_visible()
    for heading in ("Aktörer och nätverk", "Projekt", "Enkäter och kartläggningar"):
        assert page.get_by_role("heading", level=2, name=heading, exact=True).is_visible()
    by_sector = page.locator("section[aria-labelledby=actors-heading] details.hub-details")
    assert by_sector.get_by_role("link", name="Länsstyrelsen i Skåne län").is_visible()
    assert page.locator("html").get_attribute("lang") == "sv"

    results = Axe().run(page)
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
    ]
    assert violations == [], violations


def test_keyboard_user_can_skip_to_content(live_server, page):
    page.goto(f"{live_server.url}/lan/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
