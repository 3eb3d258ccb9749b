"""A respondent answers by personal link in Debian's chromium, on a phone and on a laptop:
conditional questions appear as they answer, every choice sits on one line with its label,
a failed submission leads to the error summary, and a valid one ends on the receipt.

Full-page screenshots are written to var/e2e/ (not committed) for people to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone

from samverkan.core import tenancy
from samverkan.surveys import services
from samverkan.surveys.tests.conftest import make_xlsform
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data_after_flush")]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e"


@pytest.fixture
def answer_url(live_server):
    owner = OrganisationFactory(
        name="Länsstyrelsen Testlän", code="lst-test", kind="county_board", sector="public"
    )
    respondent = OrganisationFactory(
        name="Staffanstorps kommun", code="kommun-1230", kind="municipality", sector="public"
    )
    questionnaire = services.questionnaire_import_xlsform(
        data=make_xlsform(), owner=owner, user=tenancy.SYSTEM
    )
    campaign = services.campaign_create(
        user=tenancy.SYSTEM,
        questionnaire=questionnaire,
        owner=owner,
        title="Enkät om samverkan",
        deadline=timezone.localdate() + timedelta(days=14),
        organisations=[respondent],
    )
    recipient = campaign.recipients.get()
    return f"{live_server.url}{recipient.get_answer_url()}"


def _fits(page, width):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{scroll_width} px wide at a {width} px viewport"
    return scroll_width


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _choices_share_a_line_with_their_labels(page):
    choices = page.locator("label.choice:visible")
    assert choices.count() >= 4
    for i in range(choices.count()):
        choice = choices.nth(i)
        box = choice.locator("input").bounding_box()
        text = choice.locator("span").bounding_box()
        assert box and text
        overlap = min(box["y"] + box["height"], text["y"] + text["height"]) - max(
            box["y"], text["y"]
        )
        assert overlap > 0, f"choice {i}: input {box} and label {text} are on different lines"
        assert box["x"] + box["width"] <= text["x"], f"choice {i}: the input is not beside it"


def _axe_violations(page):
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("width", [375, 1366])
def test_respondent_answers_with_conditions_errors_and_receipt(answer_url, browser, width):
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(answer_url)
        partner = page.locator("[data-question=partner]")
        assert partner.is_hidden()  # "Med vilka?" applies only after "Ja"
        _choices_share_a_line_with_their_labels(page)
        assert page.locator("#id_samverkan").get_attribute("required") == ""
        form_width = _fits(page, width)
        _shot(page, f"answer-form-{width}.png")
        assert _axe_violations(page) == []

        # the whole line is clickable: clicking the text chooses the option
        page.locator("label.choice", has_text="Ja").first.locator("span").click()
        assert page.locator("#id_samverkan").is_checked()
        partner.wait_for(state="visible")
        assert page.locator("[data-question=antal]").is_visible()
        _choices_share_a_line_with_their_labels(page)

        # submitting with the required "mångfaldsplaner" unanswered
        page.get_by_role("button", name="Skicka in svaret").click()
        summary = page.locator(".error-summary")
        summary.wait_for(state="visible")
        page.wait_for_function("document.activeElement.classList.contains('error-summary')")
        assert summary.get_by_role("heading").inner_text() == "Det finns fel i svaret"
        link = summary.locator("a[href='#id_mangfald']")
        assert "Frågan måste besvaras." in link.inner_text()
        assert page.locator("#error_mangfald").is_visible()
        error_width = _fits(page, width)
        _shot(page, f"answer-errors-{width}.png")
        assert _axe_violations(page) == []
        link.click()
        assert page.evaluate("document.activeElement.id") == "id_mangfald"

        # the draft kept the answer already given; now a valid submission
        assert page.locator("#id_samverkan").is_checked()
        page.locator("[data-question=mangfald] label.choice", has_text="Nej").click()
        page.get_by_role("button", name="Skicka in svaret").click()
        page.get_by_role("heading", name="Svaret är inskickat").wait_for()
        assert page.get_by_text("Kvitto för Staffanstorps kommun").is_visible()
        assert page.get_by_role("button", name="Skriv ut").is_visible()
        receipt = page.locator(".receipt-answers")
        assert "Deltar ni i regional samverkan?" in receipt.inner_text()
        receipt_width = _fits(page, width)
        _shot(page, f"answer-receipt-{width}.png")
        page.emulate_media(media="print")
        assert page.locator(".site-header").is_hidden()
        assert page.get_by_role("button", name="Skriv ut").is_hidden()
        _shot(page, f"answer-receipt-print-{width}.png")
        print(
            f"scrollWidth at {width}: form {form_width}, errors {error_width}, "
            f"receipt {receipt_width}"
        )
    finally:
        context.close()
