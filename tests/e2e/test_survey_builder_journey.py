"""A county-board official builds a questionnaire with a condition in the builder, sends it to
the county boards (adding a missing address on the way), a respondent answers through the
personal link on a 375 px phone, and the official sees tracking and the compilation. All in
Debian's chromium; screenshots go to var/e2e/ (not committed) for people to look at."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from samverkan.geo.models import County
from samverkan.geo.services import geography_load_reference
from samverkan.surveys.models import Recipient, Response
from tests.e2e.test_survey_answer import (
    _axe_violations,
    _choices_share_a_line_with_their_labels,
    _fits,
    _shot,
)
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data_after_flush")]


@pytest.fixture
def county_boards(reference_data_after_flush, transactional_db):
    # the counties are reference data; load them here too, as another live-server test may
    # have flushed them just before
    geography_load_reference()
    boards = {
        code: OrganisationFactory(
            name=f"Länsstyrelsen i {name}",
            code=f"lst-{code}",
            kind="county_board",
            sector="public",
            county=County.objects.get(code=code),
        )
        for code, name in (("12", "Skåne län"), ("01", "Stockholms län"), ("09", "Gotlands län"))
    }
    MembershipFactory(organisation=boards["12"], role="admin", user__email="strateg@example.se")
    return boards


def _sign_in(page, base):
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("E-postadress").fill("strateg@example.se")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")


def _add_question(page, **fields):
    form = page.locator("form[action$='/fragor/']")
    form.get_by_label(re.compile(r"^Typ")).select_option(fields["type"])
    form.get_by_label(re.compile(r"^Namn \(kolumnnamn\)")).fill(fields["name"])
    form.get_by_label(re.compile(r"^Fråga")).fill(fields["label"])
    if "choices" in fields:
        form.get_by_label("Svarsalternativ").fill(fields["choices"])
    if fields.get("required"):
        form.get_by_label("Obligatorisk").check()
    if "condition" in fields:
        question, operator, value = fields["condition"]
        form.get_by_label("Visas om frågan").select_option(question)
        form.get_by_label("Villkor", exact=True).select_option(operator)
        form.get_by_label("Värde").fill(value)
    form.get_by_role("button", name="Lägg till frågan").click()
    page.wait_for_load_state()


def test_build_send_answer_on_a_phone_and_compile(live_server, browser, county_boards):
    base = live_server.url
    official = browser.new_context(locale="sv-SE", viewport={"width": 1366, "height": 900})
    page = official.new_page()
    page.set_default_timeout(15000)
    _sign_in(page, base)

    # "Ny enkät" from the survey list
    page.goto(f"{base}/enkater/")
    page.get_by_role("link", name="Ny enkät").click()
    page.get_by_label(re.compile(r"^Titel")).fill("Integrationsläget i länen 2027")
    page.get_by_role("button", name="Skapa enkäten").click()
    page.wait_for_url("**/enkater/*/#lagg-till")
    _add_question(
        page,
        type="select_one",
        name="strategi",
        label="Har länet en regional integrationsstrategi?",
        choices="ja Ja\nnej Nej",
        required=True,
    )
    # the builder suggests the first question's options as values for the condition
    form = page.locator("form[action$='/fragor/']")
    assert form.get_by_label("Värde").is_hidden()  # no question chosen: no value asked
    form.get_by_label("Visas om frågan").select_option("strategi")
    options = page.locator("#condition-values option")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == [
        "Ja",
        "Nej",
    ]
    _add_question(
        page,
        type="text",
        name="strategi_namn",
        label="Vad heter strategin?",
        condition=("strategi", "eq", "Ja"),
    )
    condition = page.locator(".question-condition").first
    assert condition.inner_text() == (
        "Visas om fråga 1 (Har länet en regional integrationsstrategi?) är Ja"
    )
    _fits(page, 1366)
    _shot(page, "builder-1366.png")
    questionnaire_url = page.url.split("#")[0]

    # the preview shows the question only after the right answer
    page.get_by_role("link", name="Förhandsgranska").click()
    assert page.get_by_label("Vad heter strategin?").is_hidden()
    page.get_by_label("Ja", exact=True).check()
    page.get_by_label("Vad heter strategin?").wait_for(state="visible")

    # a campaign to all county boards; Skåne's is its member's address, the two others have
    # none and are listed before sending
    page.goto(questionnaire_url)
    page.get_by_role("link", name="Nytt utskick").click()
    page.get_by_label(re.compile(r"^Sista svarsdag")).fill(
        (timezone.localdate() + timedelta(days=21)).isoformat()
    )
    page.get_by_label(re.compile(r"^Mottagare")).select_option("county_boards")
    page.get_by_role("button", name="Skapa utskick").click()
    page.wait_for_url("**/enkater/utskick/*/")
    missing = page.locator("section.missing-addresses")
    assert missing.get_by_role("heading").inner_text() == "2 mottagare saknar e-postadress"
    missing.get_by_label("Länsstyrelsen i Gotlands län").fill("registrator.gotland@example.se")
    missing.get_by_role("button", name="Spara och skicka inbjudningar").click()
    page.wait_for_load_state()
    assert page.locator("section.missing-addresses h2").inner_text() == (
        "1 mottagare saknar e-postadress"
    )
    campaign_url = page.url
    gotland = Recipient.objects.get(organisation__code="lst-09")
    assert gotland.email == "registrator.gotland@example.se"
    assert gotland.delivery == Recipient.Delivery.SENT
    invitation = next(m for m in mail.outbox if m.to == ["registrator.gotland@example.se"])
    assert gotland.get_answer_url() in invitation.body
    official.close()

    # the respondent answers on a phone through the personal link
    phone = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 740})
    answer = phone.new_page()
    answer.set_default_timeout(15000)
    answer.goto(f"{base}{gotland.get_answer_url()}")
    follow_up = answer.get_by_label("Vad heter strategin?")
    assert follow_up.is_hidden()
    _fits(answer, 375)
    _choices_share_a_line_with_their_labels_at_least(answer, 2)
    answer.get_by_label("Nej", exact=True).check()
    answer.wait_for_timeout(400)
    assert follow_up.is_hidden()
    answer.get_by_label("Ja", exact=True).check()
    follow_up.wait_for(state="visible")
    follow_up.fill("Strategi för integration i Gotlands län")
    _shot(answer, "builder-answer-375.png")
    assert _axe_violations(answer) == []
    answer.get_by_role("button", name="Skicka in svaret").click()
    answer.get_by_role("heading", name="Svaret är inskickat").wait_for()
    _shot(answer, "builder-receipt-375.png")
    phone.close()
    response = Response.objects.get(recipient=gotland)
    assert response.answers == {
        "strategi": "ja",
        "strategi_namn": "Strategi för integration i Gotlands län",
    }

    # the official sees tracking and the compilation
    official = browser.new_context(locale="sv-SE", viewport={"width": 1366, "height": 900})
    page = official.new_page()
    _sign_in(page, base)
    page.goto(campaign_url)
    assert "1 av 3" in page.locator("#tracking-summary").inner_text()
    page.get_by_role("link", name="Sammanställning").click()
    body = page.locator("main").inner_text()
    assert "Ja: Gotland (1)" in body  # named respondents, as in the 1999 compilation
    assert "Gotland\nStrategi för integration i Gotlands län" in body
    _shot(page, "builder-compilation-1366.png")
    official.close()


def _choices_share_a_line_with_their_labels_at_least(page, count):
    assert page.locator("label.choice:visible").count() >= count
    if page.locator("label.choice:visible").count() >= 4:
        _choices_share_a_line_with_their_labels(page)
        return
    for choice in page.locator("label.choice:visible").all():
        box = choice.locator("input").bounding_box()
        text = choice.locator("span").bounding_box()
        assert box and text
        assert min(box["y"] + box["height"], text["y"] + text["height"]) > max(box["y"], text["y"])
