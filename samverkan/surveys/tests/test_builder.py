"""The questionnaire builder: edit, reorder, choice lists, conditions checked, delete."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.core import tenancy
from samverkan.core.models import AuditEntry
from samverkan.surveys import services
from samverkan.surveys.models import Choice, Question, Response


def _q(questionnaire, name):
    return Question.objects.get(questionnaire=questionnaire, name=name)


def _edit_url(question):
    return f"/enkater/{question.questionnaire_id}/fragor/{question.pk}/"


def _order(questionnaire):
    return list(questionnaire.questions.values_list("name", flat=True))


def test_owner_edits_text_and_conditions(owner_client, questionnaire):
    question = _q(questionnaire, "antal")
    versions = question.history.count()
    page = owner_client.get(_edit_url(question))
    assert page.status_code == 200
    assert "Hur många möten?" in page.content.decode()
    response = owner_client.post(
        _edit_url(question),
        {
            "label": "Hur många möten per år?",
            "hint": "Räkna alla möten",
            "required_if": "${samverkan} = 'ja'",
            "relevant": "${samverkan} = 'ja' and ${mangfald} = 'ja'",
            "constraint": ". >= 0 and . <= 365",
            "constraint_message": "Högst ett möte om dagen.",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.label == "Hur många möten per år?"
    assert question.required == "${samverkan} = 'ja'"
    assert question.constraint == ". >= 0 and . <= 365"
    assert question.history.count() == versions + 1


@pytest.mark.parametrize(
    ("field", "expression", "message"),
    [
        ("relevant", "${finnsinte} = 'ja'", "Okänd fråga: ${finnsinte}."),
        ("relevant", "hemlig(${samverkan})", "Okänd funktion hemlig()"),
        ("constraint", "system-property('x') = .", "Okänd funktion system-property()"),
        ("required_if", "${samverkan} = ", "Uttrycket kan inte tolkas"),
        ("relevant", "${antal} > 1", "Villkoret kan inte bero på frågan själv."),
        ("relevant", "${hinder} != ''", "Cirkulära villkor"),
    ],
)
def test_bad_expressions_are_refused_with_a_clear_message(
    owner_client, questionnaire, field, expression, message
):
    question = _q(questionnaire, "antal")
    versions = question.history.count()
    data = {"label": "Hur många möten?", "relevant": "${samverkan} = 'ja'", field: expression}
    if field == "relevant" and "hinder" in expression:
        # a cycle: hinder is shown depending on antal, and antal would depend on hinder
        services.question_update(
            question=_q(questionnaire, "hinder"),
            user=tenancy.SYSTEM,
            label="Vilka är hindren?",
            relevant="${antal} > 0",
        )
    page = owner_client.post(_edit_url(question), data)
    assert page.status_code == 200
    assert message in page.content.decode()
    question.refresh_from_db()
    assert question.history.count() == versions
    assert question.relevant == "${samverkan} = 'ja'"


def test_owner_edits_and_reorders_a_choice_list(owner_client, questionnaire):
    question = _q(questionnaire, "partner")
    response = owner_client.post(
        _edit_url(question),
        {
            "label": "Med vilka?",
            "relevant": "${samverkan} = 'ja'",
            "choices": "landsting Regionen\nkommuner Kommunerna\nforeningar Föreningar",
        },
    )
    assert response.status_code == 302
    choices = Choice.objects.filter(questionnaire=questionnaire, list_name="partner")
    assert [(c.name, c.label) for c in choices] == [
        ("landsting", "Regionen"),
        ("kommuner", "Kommunerna"),
        ("foreningar", "Föreningar"),
    ]


def test_choices_used_in_answers_cannot_be_removed(recipient, questionnaire, owner):
    services.response_save(
        recipient=recipient, raw={"samverkan": "ja", "partner": ["lan"]}, base_version=0
    )
    with pytest.raises(ValidationError, match="Valet lan finns i 1 svar"):
        services.question_set_choices(
            question=_q(questionnaire, "partner"), user=owner, choices=[("kommuner", "K")]
        )
    assert Choice.objects.filter(list_name="partner").count() == 3
    assert Response.objects.get().answers["partner"] == ["lan"]


def test_bad_choice_lines_are_refused(owner, questionnaire):
    with pytest.raises(ValidationError) as error:
        services.question_set_choices(
            question=_q(questionnaire, "partner"),
            user=owner,
            choices=[("två ord", "x"), ("kommuner", "K"), ("kommuner", "K2")],
        )
    text = " ".join(error.value.messages)
    assert "inget giltigt namn" in text and "finns redan" in text


def test_owner_moves_questions_up_and_down(owner_client, questionnaire):
    assert _order(questionnaire)[:3] == ["samverkan", "partner", "antal"]
    url = f"/enkater/{questionnaire.pk}/fragor/{_q(questionnaire, 'antal').pk}/flytta/"
    assert owner_client.post(url, {"direction": "up"}).status_code == 302
    assert _order(questionnaire)[:3] == ["samverkan", "antal", "partner"]
    owner_client.post(url, {"direction": "down"})
    owner_client.post(url, {"direction": "down"})
    assert _order(questionnaire)[:4] == ["samverkan", "partner", "mangfald", "antal"]
    first = f"/enkater/{questionnaire.pk}/fragor/{_q(questionnaire, 'samverkan').pk}/flytta/"
    owner_client.post(first, {"direction": "up"})
    assert _order(questionnaire)[0] == "samverkan"


def test_owner_deletes_a_question_and_its_history_is_kept(owner_client, questionnaire):
    question = _q(questionnaire, "budget")
    pk = question.pk
    url = f"/enkater/{questionnaire.pk}/fragor/{pk}/ta-bort/"
    assert owner_client.post(url).status_code == 302
    assert not Question.objects.filter(pk=pk).exists()
    assert Question.history.filter(id=pk, history_type="-").exists()
    assert AuditEntry.objects.filter(action="surveys.question.deleted").exists()


def test_a_question_other_conditions_use_cannot_be_deleted(owner_client, questionnaire):
    question = _q(questionnaire, "samverkan")
    page = owner_client.post(
        f"/enkater/{questionnaire.pk}/fragor/{question.pk}/ta-bort/", follow=True
    )
    assert "Frågan används i villkoren för partner, antal, hinder" in page.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_added_question_conditions_are_checked_too(owner, questionnaire):
    with pytest.raises(ValidationError, match="Okänd funktion"):
        services.question_add(
            questionnaire=questionnaire,
            user=owner,
            type="integer",
            name="ny",
            label="Ny",
            constraint="eval(.)",
        )


@pytest.mark.parametrize("action", ["edit", "move", "delete"])
def test_outsider_cannot_change_questions(outsider_client, questionnaire, action):
    question = _q(questionnaire, "antal")
    before = (_order(questionnaire), question.label, question.relevant)
    base = f"/enkater/{questionnaire.pk}/fragor/{question.pk}/"
    if action == "edit":
        assert outsider_client.get(base).status_code in (403, 404)
        response = outsider_client.post(base, {"label": "Kapad", "relevant": ""})
    elif action == "move":
        response = outsider_client.post(base + "flytta/", {"direction": "up"})
    else:
        response = outsider_client.post(base + "ta-bort/")
    assert response.status_code in (403, 404)
    question.refresh_from_db()
    assert (_order(questionnaire), question.label, question.relevant) == before


def test_services_refuse_outsiders(outsider, questionnaire):
    question = _q(questionnaire, "partner")
    with pytest.raises(PermissionDenied):
        services.question_update(question=question, user=outsider, label="x")
    with pytest.raises(PermissionDenied):
        services.question_set_choices(question=question, user=outsider, choices=[("a", "A")])
    with pytest.raises(PermissionDenied):
        services.question_move(question=question, user=outsider, direction="up")
    with pytest.raises(PermissionDenied):
        services.question_delete(question=question, user=outsider)


def test_viewer_cannot_edit(viewer_client, questionnaire):
    question = _q(questionnaire, "antal")
    assert viewer_client.post(_edit_url(question), {"label": "x"}).status_code == 403
