"""The answer form as respondents see it: required marks, the error summary, choices with their
labels, input kept after errors, and the receipt after submission."""

import re

from django.utils import timezone

from samverkan.surveys.models import Response


def _url(recipient):
    return f"/enkater/svara/{recipient.token}/"


def _post(client, recipient, version, action="save", **answers):
    return client.post(_url(recipient), {"version": version, "action": action, **answers})


def test_required_questions_are_marked_for_eyes_and_screen_readers(client, recipient):
    page = client.get(_url(recipient)).content.decode()
    # select_one "samverkan" is required: a visible star and the radios marked required
    assert re.search(
        r'<legend>Deltar ni i regional samverkan\? <span class="required-marker" '
        r'aria-hidden="true">\*</span>',
        page,
    )
    assert '<input type="radio" id="id_samverkan" name="samverkan" value="ja" required>' in page
    # the optional ones are not
    assert '<label for="id_budget">Budget (mnkr)</label>' in page
    assert 'id="id_budget" name="budget" value="" type="text" inputmode="decimal">' in page
    # the browser's own validation does not stand in the way of the error summary
    assert "novalidate" in page


def test_each_choice_is_one_label_wrapping_its_input(client, recipient):
    page = client.get(_url(recipient)).content.decode()
    assert (
        '<label class="choice"><input type="radio" id="id_mangfald_2" name="mangfald" '
        'value="nej" required> <span>Nej</span></label>'
    ) in page
    assert (
        '<label class="choice"><input type="checkbox" id="id_partner" name="partner" '
        'value="kommuner"> <span>Kommunerna</span></label>'
    ) in page


def test_failed_submission_shows_an_error_summary_linking_to_each_field(client, recipient):
    client.get(_url(recipient))
    page = _post(client, recipient, 0, action="submit", samverkan="ja", antal="5000")
    text = page.content.decode()
    summary = text[text.index('<div class="error-summary"') : text.index("<h1>")]
    assert 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert "Det finns fel i svaret" in summary
    assert "Svaret är sparat som utkast men inte inskickat." in summary
    links = re.findall(r'<a href="#(id_\w+)">([^<]*)</a>', summary)
    assert links == [
        ("id_antal", "Hur många möten? – Svaret uppfyller inte villkoret."),
        ("id_mangfald", "Arbetar ni med mångfaldsplaner? – Frågan måste besvaras."),
    ]
    # every link has its field, and the field its own message next to it
    assert 'id="id_antal"' in text and 'id="id_mangfald"' in text
    assert '<p class="error-message" id="error_mangfald">' in text
    assert 'aria-describedby="error_antal"' in text
    assert "<title>Fel: Enkät om samverkan – Samverkan</title>" in text
    assert Response.objects.get().status == "draft"


def test_a_value_of_the_wrong_type_is_shown_as_typed(client, recipient):
    client.get(_url(recipient))
    text = _post(client, recipient, 0, samverkan="ja", budget="mycket").content.decode()
    assert 'value="mycket"' in text
    assert "Budget (mnkr) – Ange ett tal." in text
    assert Response.objects.get().answers == {"samverkan": "ja"}


def test_a_refused_attachment_keeps_the_answers_typed(client, recipient, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.get(_url(recipient))
    page = client.post(
        _url(recipient),
        {
            "version": 0,
            "action": "save",
            "samverkan": "ja",
            "budget": "2,5",
            "attachment": SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf"),
        },
    ).content.decode()
    assert '<a href="#id_attachment">Bilaga –' in page
    assert 'value="2.5"' in page
    assert 'value="ja" checked' in page
    assert Response.objects.get().version == 0


def test_a_saved_draft_says_so_and_keeps_the_answers(client, recipient):
    client.get(_url(recipient))
    page = _post(client, recipient, 0, samverkan="ja", antal="3")
    assert page.status_code == 302
    text = client.get(page["Location"]).content.decode()
    assert "Utkastet är sparat." in text
    assert 'value="ja" checked' in text
    assert 'id="id_antal" name="antal" value="3"' in text
    assert "error-summary" not in text


def test_receipt_after_submission_names_what_when_and_who(client, recipient):
    client.get(_url(recipient))
    page = _post(
        client,
        recipient,
        0,
        action="submit",
        samverkan="ja",
        mangfald="nej",
        partner=["kommuner", "other"],
        partner_other="Folkbildningen",
        antal="4",
    )
    assert page.status_code == 302
    text = client.get(_url(recipient)).content.decode()
    response = Response.objects.get()
    assert response.status == "submitted"
    assert "<h1>Svaret är inskickat</h1>" in text
    assert "Kvitto för Staffanstorps kommun" in text
    assert "<dt>Enkät</dt><dd>Enkät om samverkan</dd>" in text
    assert "<dt>Organisation</dt><dd>Staffanstorps kommun</dd>" in text
    at = timezone.localtime(response.submitted_at)
    assert f"{at.day} " in text and f"{at.year} kl. {at:%H.%M}" in text
    # the answers given, with the choices' labels; questions that did not apply are left out
    assert "<dt>Med vilka?</dt><dd>Kommunerna, Annat: Folkbildningen</dd>" in text
    assert "<dt>Hur många möten?</dt><dd>4</dd>" in text
    assert "Vilka är hindren?" not in text
    assert "data-print hidden>Skriv ut</button>" in text
    assert "<form" not in text.split('<main id="main"')[1].split("</main>")[0]
