"""A county board's admin creates an own indicator, imports a CSV to it through the page,
reads the first view, corrects one value with a reason and finds the correction in the history
(issue 21, part 1). In Debian's chromium, at 1,366 px and then on a 375 px phone; screenshots
go to var/e2e/ (not committed) for people to look at."""

import re

import pytest

from samverkan.core.models import AuditEntry
from samverkan.geo.models import County
from samverkan.geo.services import geography_load_reference
from samverkan.indicators.models import Indicator, Observation
from tests.e2e.test_survey_answer import _axe_violations, _fits, _shot
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data_after_flush")]

CSV = (
    "area_code,period,sex,age_band,birth_region,value,status\n"
    "1280,2024,T,,,41.5,\n"
    "1281,2024,T,,,55.0,\n"
    "1283,2024,T,,,48.25,\n"
    "12,2024,T,,,47.0,\n"
)


@pytest.fixture
def county_board(reference_data_after_flush, transactional_db):
    geography_load_reference()
    board = OrganisationFactory(
        name="Länsstyrelsen i Skåne län",
        code="lst-12",
        kind="county_board",
        sector="public",
        county=County.objects.get(code="12"),
    )
    MembershipFactory(organisation=board, role="admin", user__email="analytiker@example.se")
    return board


def _sign_in(page, base):
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("E-postadress").fill("analytiker@example.se")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")


def test_admin_creates_an_indicator_imports_a_csv_and_corrects_a_value(
    live_server, browser, county_board, tmp_path
):
    base = live_server.url
    context = browser.new_context(locale="sv-SE", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    _sign_in(page, base)

    page.goto(f"{base}/indikatorer/")
    page.get_by_role("link", name="Ny indikator").click()
    # nothing filled in: GOV.UK's error summary, focused, linking to the fields
    page.get_by_role("button", name="Skapa indikatorn").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("link", name=re.compile("^Namn")).count() == 1
    _fits(page, 1366)

    page.get_by_label(re.compile("^Namn")).fill("Deltagare i samhällsorientering som fullföljt")
    page.get_by_label(re.compile("^Definition")).fill(
        "Andel av de anvisade deltagarna som fullföljt kursen inom ett år."
    )
    page.get_by_label(re.compile("^Enhet")).fill("procent")
    page.get_by_label("Utrikes född").check()
    page.get_by_label(re.compile("^Åldersgrupper")).fill("18-64")
    page.get_by_role("button", name="Skapa indikatorn").click()
    page.wait_for_url(re.compile(r"/indikatorer/deltagare-i-samhallsorientering-som-fullfoljt/"))
    indicator = Indicator.objects.get(code="deltagare-i-samhallsorientering-som-fullfoljt")
    assert indicator.owner == county_board
    assert indicator.birth_regions == ["utrikes"] and indicator.age_bands == ["18-64"]

    # the import form is open on a new indicator: upload the CSV
    upload = tmp_path / "samhallsorientering.csv"
    upload.write_text(CSV, encoding="utf-8")
    importer = page.locator("details#importera")
    importer.locator("input[type=file]").set_input_files(str(upload))
    fmt = importer.get_by_label("Format")
    if fmt.locator("option[value=csv]").count():
        fmt.select_option("csv")
    importer.get_by_role("button", name="Importera").click()
    page.wait_for_load_state()
    assert page.get_by_text("4 observationer importerades").is_visible()
    assert Observation.objects.filter(indicator=indicator).count() == 4
    lead = page.locator("p.lead")
    assert "Lund har högst värde (55 procent) och Malmö lägst (41,5 procent)" in lead.inner_text()
    assert "i Skåne län" in lead.inner_text()
    _shot(page, "own-indicator-1366.png")

    # correct Malmö's value, with a reason
    page.get_by_role("link", name="Rätta eller ta bort värden").click()
    page.get_by_label("Områdeskod").fill("1280")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("link", name=re.compile("^Rätta Malmö")).click()
    page.get_by_label(re.compile("^Värde")).fill("42,5")
    page.get_by_role("button", name="Spara rättelsen").click()
    assert page.locator(".error-summary").is_visible()  # no reason given
    page.get_by_label(re.compile("^Varför ändras värdet")).fill("Rättat efter ny rapport")
    page.get_by_role("button", name="Spara rättelsen").click()
    page.wait_for_url(re.compile(r"/observationer/$"))
    history = page.locator("table").last.inner_text()
    assert "Rättade 1280 (2024): 41,5 → 42,5" in history
    assert "Rättat efter ny rapport" in history
    value = Observation.objects.get(indicator=indicator, area_code="1280").value
    assert value == 42.5
    assert AuditEntry.objects.filter(action="indicators.observation.corrected").count() == 1
    assert not [v for v in _axe_violations(page) if v[1] in ("serious", "critical")]
    context.close()

    phone = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 800})
    page = phone.new_page()
    page.set_default_timeout(15000)
    _sign_in(page, base)
    for path in (
        "/indikatorer/ny/",
        f"/indikatorer/{indicator.code}/",
        f"/indikatorer/{indicator.code}/observationer/",
        f"/indikatorer/{indicator.code}/andra/",
    ):
        page.goto(base + path)
        _fits(page, 375)
        assert not [v for v in _axe_violations(page) if v[1] in ("serious", "critical")], path
    _shot(page, "own-indicator-edit-375.png")
    phone.close()
