"""Every page fits the screen (issue 17, item 4), in Debian's chromium with the demo data.

Signed in as the demo user, every page of the main navigation and one page of each kind of demo
record is opened at 375 px (a phone) and at 1,366 px (a laptop): the page must not scroll
sideways, axe-core must find nothing serious or critical, and the maps' and charts' text must
render at 12 px or more. The data is loaded once and one browser context serves each width.

Full-page screenshots of the county, projects, coverage and a network page are written to
var/e2e/ (not committed) for people to look at."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data_after_flush")]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e"
WIDTHS = (375, 1366)
SHOTS = {
    "county",
    "municipality",
    "Översikt",
    "Projekt",
    "coverage",
    "network",
    "questionnaire",
    "agreement",
    "mapping rounds",
    "new mapping round",
    "portfolio",
    "development strategy",
}

# The smallest rendered font size of the text in the page's maps and charts (SVG units scaled
# by the drawn width over the viewBox width).
SMALLEST_SVG_TEXT = """() => {
  let smallest = Infinity;
  const selector = 'svg.choropleth, svg.bars, figure.chart svg, svg.network-map, svg.sparkline';
  for (const svg of document.querySelectorAll(selector)) {
    const box = svg.viewBox.baseVal;
    if (!box || !box.width || !svg.getBoundingClientRect().width) continue;
    const scale = svg.getBoundingClientRect().width / box.width;
    for (const text of svg.querySelectorAll('text')) {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize) * scale);
    }
  }
  return smallest === Infinity ? null : smallest;
}"""


def _load_demo_data():
    from samverkan.core.setup import setup_run

    setup_run()


def _pages() -> list[tuple[str, str]]:
    """(name, path): the main navigation, then one page of each kind of demo record."""
    from samverkan.actors.models import Agreement, Network, Organisation
    from samverkan.core.navigation import menu_entries
    from samverkan.funding.models import Application, Call
    from samverkan.indicators.models import Indicator, Observation
    from samverkan.plans.models import ActionPlan, Activity, Strategy
    from samverkan.projects.models import MappingRound, Project
    from samverkan.surveys.models import Campaign, Questionnaire

    def first(model):
        record = model.objects.order_by("pk").first()
        assert record is not None, f"no demo {model.__name__}"
        return record.get_absolute_url()

    indicator = Indicator.objects.filter(pk__in=Observation.objects.values("indicator")).first()
    # an agreement the demo user's county board may edit, with a party and a principle (the
    # demo's agreements are registered by others)
    skane_rok, _created = Agreement.objects.get_or_create(
        slug="e2e-lansstyrelsens-iop",
        defaults=dict(
            owner=Organisation.objects.get(code="lst-12"),
            name="IOP om samhällsorientering i Skåne",
            kind="iop",
            visibility="internal",
        ),
    )
    skane_party, _created = skane_rok.parties.get_or_create(
        name="Idéburna organisationer i Skåne med ett långt namn som ska brytas", role="party"
    )
    campaign = Campaign.objects.order_by("pk").first()
    assert indicator is not None and campaign is not None
    return [(str(e.label), reverse(e.url_name)) for e in menu_entries()] + [
        ("organisation", Organisation.objects.get(code="lst-12").get_absolute_url()),
        ("network", first(Network)),
        ("project", first(Project)),
        ("strategy", first(Strategy)),
        ("action plan", first(ActionPlan)),
        ("activity", first(Activity)),
        ("questionnaire", first(Questionnaire)),
        (
            "questionnaire preview",
            reverse("surveys:preview", args=[Questionnaire.objects.order_by("pk").first().pk]),
        ),
        ("new questionnaire", reverse("surveys:create")),
        ("campaign tracking", campaign.get_absolute_url()),
        ("campaign compilation", reverse("surveys:compilation", args=[campaign.pk])),
        ("indicator", reverse("indicators:detail", args=[indicator.code])),
        (
            "indicator with illustrative values",
            reverse("indicators:detail", args=["sysselsattning-utrikes-fodda"]),
        ),
        ("new indicator", reverse("indicators:create")),
        ("funding call", first(Call)),
        ("application", first(Application)),
        ("report list", reverse("reports:list")),
        ("county", reverse("geo:county", args=["12"])),
        ("municipality", reverse("geo:municipality", args=["1280"])),
        ("coverage", reverse("projects:coverage")),
        ("role catalogue", reverse("actors:roles")),
        ("agreements", reverse("actors:agreements")),
        ("new agreement", reverse("actors:agreement_create")),
        ("mapping rounds", reverse("projects:mapping_rounds")),
        ("mapping round", first(MappingRound)),
        ("new mapping round", reverse("projects:mapping_round_create") + "?county=12"),
        (
            "mapping round edit",
            reverse(
                "projects:mapping_round_edit",
                args=[MappingRound.objects.get(owner__code="lst-12").pk],
            ),
        ),
        ("portfolio", reverse("funding:portfolio", args=[Call.objects.order_by("pk").first().pk])),
        (
            "development strategy",
            Strategy.objects.filter(kind="regional_development")
            .order_by("pk")
            .first()
            .get_absolute_url(),
        ),
        ("county with a growth agreement", reverse("geo:county", args=["03"])),
        ("agreement", reverse("actors:agreement", args=["overenskommelsen-integration"])),
        (
            "agreement party edit",
            reverse("actors:agreement_party_edit", args=[skane_rok.slug, skane_party.pk]),
        ),
        (
            "agreement party removal",
            reverse("actors:agreement_party_delete", args=[skane_rok.slug, skane_party.pk]),
        ),
        ("key indicators", reverse("indicators:key_indicators", args=["lan", "12"])),
        ("responsibility", reverse("actors:responsibility_add", args=["12"])),
        ("import", reverse("core:import")),
        ("project import", reverse("projects:import")),
    ]


def _sign_in(page, base):
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("E-postadress").fill("demo@samverkan.localhost")
    page.get_by_label("Lösenord").fill("samverkan-demo")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")


def _serious_violations(page):
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_fits_the_screen_and_is_accessible(live_server, browser):
    _load_demo_data()
    pages = _pages()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            _sign_in(page, live_server.url)
            for name, path in pages:
                response = page.goto(f"{live_server.url}{path}")
                where = f"{name} ({path}) at {width} px"
                if response is None or response.status != 200:
                    problems.append(f"{where}: HTTP {response and response.status}")
                    continue
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                inner_width = page.evaluate("window.innerWidth")
                if scroll_width > inner_width:
                    problems.append(f"{where}: {scroll_width} px wide in {inner_width} px")
                smallest = page.evaluate(SMALLEST_SVG_TEXT)
                if smallest is not None and smallest < 11.9:
                    problems.append(f"{where}: map or chart text {smallest:.1f} px")
                if violations := _serious_violations(page):
                    problems.append(f"{where}: axe {violations}")
                if name in SHOTS:
                    label = name.lower().replace(" ", "-")
                    page.screenshot(
                        path=str(SCREENSHOTS / f"fits-{label}-{width}.png"), full_page=True
                    )
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def test_menu_button_opens_and_closes_the_navigation_on_a_phone(live_server, browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/lan/")
        button = page.get_by_role("button", name="Meny")
        nav = page.get_by_role("navigation", name="Huvudmeny")
        assert button.get_attribute("aria-expanded") == "false"
        assert nav.is_hidden()
        header = page.locator(".site-header").bounding_box()
        assert header and header["height"] < 140, header
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        assert nav.get_by_role("link", name="Projekt").is_visible()
        nav.get_by_role("link", name="Projekt").focus()
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('menu-button')")
        # on a laptop the navigation is always open and the button is not shown
        page.set_viewport_size({"width": 1366, "height": 800})
        assert nav.get_by_role("link", name="Projekt").is_visible()
        assert button.is_hidden()
    finally:
        context.close()


def test_navigation_is_reachable_without_javascript(live_server, browser):
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 375, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/lan/")
        nav = page.get_by_role("navigation", name="Huvudmeny")
        assert nav.get_by_role("link", name="Projekt").is_visible()
        assert page.locator(".menu-button").is_hidden()
    finally:
        context.close()
