"""The questionnaire builder in the UI: "Ny enkät", "Kopiera enkät", conditions chosen from a
question, an operator and a value and read back in Swedish words, groups, the preview, the
round trip through XLSForm (checked with pyxform) and the limits on size and nesting."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pyxform.xls2xform import convert

from samverkan.core import tenancy
from samverkan.core.models import AuditEntry, Visibility
from samverkan.surveys import conditions, selectors, services
from samverkan.surveys.definition import Definition
from samverkan.surveys.models import Questionnaire, Response
from samverkan.surveys.tests.conftest import make_xlsform
from samverkan.surveys.xlsform import MAX_GROUP_DEPTH, XLSFormError, xlsform_read


def _url(questionnaire, tail=""):
    return f"/enkater/{questionnaire.pk}/{tail}"


# --- conditions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "operator", "value", "expression"),
    [
        ("samverkan", "eq", "Ja", "${samverkan} = 'ja'"),
        ("samverkan", "eq", "nej", "${samverkan} = 'nej'"),
        ("samverkan", "ne", "JA", "${samverkan} != 'ja'"),
        ("partner", "eq", "Kommunerna", "selected(${partner}, 'kommuner')"),
        ("partner", "not_selected", "lan", "not(selected(${partner}, 'lan'))"),
        ("antal", "gt", "2,5", "${antal} > 2.5"),
        ("antal", "eq", "10", "${antal} = 10"),
        ("hinder", "eq", "Inga", "${hinder} = 'Inga'"),
        ("hinder", "eq", "Länets 'egna'", "${hinder} = \"Länets 'egna'\""),
        ("budget", "answered", "", "${budget} != ''"),
        ("budget", "unanswered", "ignored", "${budget} = ''"),
    ],
)
def test_a_condition_is_built_from_question_operator_and_value(
    questionnaire, question, operator, value, expression
):
    definition = Definition.load(questionnaire)
    built = conditions.condition_build(
        definition=definition, question_name=question, operator=operator, value=value
    )
    assert built == expression
    # and read back into the same builder fields
    parsed = conditions.condition_parse(built)
    assert parsed is not None and parsed.name == question


@pytest.mark.parametrize(
    ("question", "operator", "value", "field", "message"),
    [
        ("samverkan", "eq", "Kanske", "condition_value", "svarsalternativ: Ja, Nej"),
        ("samverkan", "gt", "1", "condition_operator", "inte vara större eller mindre"),
        ("antal", "eq", "många", "condition_value", "Ange ett tal"),
        ("antal", "eq", "", "condition_value", "Ange värdet"),
        ("hinder", "selected", "x", "condition_operator", "bara val-frågor"),
        ("finnsinte", "eq", "x", "condition_question", "Välj en fråga"),
        ("hinder", "eq", "a'b\"c", "condition_value", "både ' och"),
    ],
)
def test_a_condition_that_cannot_be_built_names_its_field(
    questionnaire, question, operator, value, field, message
):
    with pytest.raises(ValidationError) as info:
        conditions.condition_build(
            definition=Definition.load(questionnaire),
            question_name=question,
            operator=operator,
            value=value,
        )
    assert field in info.value.message_dict
    assert message in " ".join(info.value.message_dict[field])


def test_conditions_read_in_swedish_words(questionnaire):
    definition = Definition.load(questionnaire)
    words = conditions.condition_words
    assert words("${samverkan} = 'ja'", definition) == (
        "fråga 1 (Deltar ni i regional samverkan?) är Ja"
    )
    assert words("${samverkan} = 'nej' and ${mangfald} = 'nej'", definition) == (
        "fråga 1 (Deltar ni i regional samverkan?) är Nej"
        " och fråga 4 (Arbetar ni med mångfaldsplaner?) är Nej"
    )
    assert words("not(selected(${partner}, 'lan'))", definition) == (
        "fråga 2 (Med vilka?) har inte valt Länsarbetsnämnden"
    )
    assert words("${budget} != ''", definition) == "fråga 6 (Budget (mnkr)) är besvarad"
    assert words("(${antal} >= 3 or ${budget} > 1.5)", definition) == (
        "fråga 3 (Hur många möten?) är minst 3 eller fråga 6 (Budget (mnkr)) är större än 1.5"
    )
    # an expression the words do not cover is shown as it is, marked as a condition
    assert words("count-selected(${partner}) > 1", definition) == (
        "villkoret count-selected(${partner}) > 1 är uppfyllt"
    )


# --- "Ny enkät" and the builder's pages -------------------------------------------------------


def test_owner_creates_a_questionnaire_and_builds_it_with_a_condition(owner_client, organisation):
    page = owner_client.get("/enkater/")
    assert 'href="/enkater/ny/"' in page.content.decode()
    response = owner_client.post(
        "/enkater/ny/", {"owner": organisation.pk, "title": "Integrationsläget 2027"}
    )
    questionnaire = Questionnaire.objects.get(title="Integrationsläget 2027")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/enkater/{questionnaire.pk}/#lagg-till")
    assert questionnaire.form_id == "integrationslaget-2027"
    assert AuditEntry.objects.filter(action="surveys.questionnaire.created").exists()
    owner_client.post(
        _url(questionnaire, "fragor/"),
        {
            "type": "select_one",
            "name": "strategi",
            "label": "Har länet en integrationsstrategi?",
            "choices": "ja Ja\nnej Nej",
            "required": "on",
        },
    )
    response = owner_client.post(
        _url(questionnaire, "fragor/"),
        {
            "type": "text",
            "name": "vilken",
            "label": "Vilken strategi?",
            "condition_question": "strategi",
            "condition_operator": "eq",
            "condition_value": "ja",
        },
    )
    assert response.status_code == 302
    vilken = questionnaire.questions.get(name="vilken")
    assert vilken.relevant == "${strategi} = 'ja'"
    page = owner_client.get(_url(questionnaire)).content.decode()
    assert "Visas om fråga 1 (Har länet en integrationsstrategi?) är Ja" in page
    assert "Obligatorisk" in page
    edit = owner_client.get(_url(questionnaire, f"fragor/{vilken.pk}/")).content.decode()
    # the stored expression comes back as the builder's fields, not as XPath
    assert '<option value="strategi" selected>' in edit
    assert 'value="ja"' in edit


def test_a_refused_question_keeps_what_was_typed_and_names_the_field(owner_client, questionnaire):
    before = questionnaire.questions.count()
    response = owner_client.post(
        _url(questionnaire, "fragor/"),
        {
            "type": "text",
            "name": "kommentar",
            "label": "Kommentar till svaret",
            "condition_question": "samverkan",
            "condition_operator": "eq",
            "condition_value": "Kanske",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "data-error-summary" in page
    assert 'href="#id_condition_value"' in page
    assert "Välj ett av frågans svarsalternativ: Ja, Nej." in page
    assert "Kommentar till svaret" in page  # typed text stays
    assert questionnaire.questions.count() == before


def test_a_title_with_a_line_break_is_refused(owner, organisation):
    with pytest.raises(ValidationError) as info:
        services.questionnaire_create(owner=organisation, user=owner, title="Enkät\r\nBcc: x")
    assert "title" in info.value.message_dict


def test_no_one_creates_a_questionnaire_for_an_organisation_they_do_not_act_for(
    outsider, outsider_client, organisation
):
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(owner=organisation, user=outsider, title="Intrång")
    response = outsider_client.post("/enkater/ny/", {"owner": organisation.pk, "title": "Intrång"})
    assert response.status_code == 200  # the form refuses the owner: not one of theirs
    assert "owner" in response.context["form"].errors
    assert not Questionnaire.objects.filter(title="Intrång").exists()


def test_viewer_cannot_use_the_builder(viewer_client, questionnaire):
    response = viewer_client.post(_url(questionnaire, "grupper/"), {"name": "g", "label": "Grupp"})
    assert response.status_code == 403
    page = viewer_client.get(_url(questionnaire)).content.decode()
    assert "Lägg till fråga" not in page


# --- groups -------------------------------------------------------------------------------------


def test_groups_hold_questions_and_are_shown_with_their_condition(owner_client, questionnaire):
    response = owner_client.post(
        _url(questionnaire, "grupper/"),
        {
            "name": "finansiering",
            "label": "Finansiering",
            "condition_question": "samverkan",
            "condition_operator": "eq",
            "condition_value": "Ja",
        },
    )
    assert response.status_code == 302
    for name in ("belopp", "finansiar"):
        owner_client.post(
            _url(questionnaire, "fragor/"),
            {"type": "text", "name": name, "label": name.title(), "group": "finansiering"},
        )
    owner_client.post(
        _url(questionnaire, "fragor/"), {"type": "text", "name": "sist", "label": "S"}
    )
    order = list(questionnaire.questions.values_list("type", "name", "group"))
    assert order[-5:] == [
        ("begin_group", "finansiering", ""),
        ("text", "belopp", "finansiering"),
        ("text", "finansiar", "finansiering"),
        ("end_group", "finansiering", ""),
        ("text", "sist", ""),
    ]
    definition = Definition.load(questionnaire)
    assert "belopp" not in definition.relevant_names({"samverkan": "nej"})
    assert "belopp" in definition.relevant_names({"samverkan": "ja"})
    page = owner_client.get(_url(questionnaire)).content.decode()
    assert "Visas om fråga 1 (Deltar ni i regional samverkan?) är Ja" in page
    assert "depth-1" in page
    group = questionnaire.questions.get(type="begin_group")
    with pytest.raises(ValidationError, match="Gruppen har frågor"):
        services.question_delete(question=group, user=tenancy.SYSTEM)
    for name in ("belopp", "finansiar"):
        services.question_delete(
            question=questionnaire.questions.get(name=name), user=tenancy.SYSTEM
        )
    services.question_delete(question=group, user=tenancy.SYSTEM)
    assert not questionnaire.questions.filter(name="finansiering").exists()


# --- copy ---------------------------------------------------------------------------------------


def test_another_organisation_copies_a_questionnaire_for_its_own_round(
    outsider_client, other_organisation, questionnaire
):
    response = outsider_client.post(
        _url(questionnaire, "kopiera/"),
        {"owner": other_organisation.pk, "title": "Samverkansenkät 2027"},
    )
    copy = Questionnaire.objects.get(title="Samverkansenkät 2027")
    assert response.status_code == 302
    assert copy.owner == other_organisation
    fields = ("position", "type", "name", "label", "relevant", "required", "constraint", "group")
    assert list(copy.questions.values_list(*fields)) == list(
        questionnaire.questions.values_list(*fields)
    )
    assert list(copy.choices.values_list("list_name", "name", "label")) == list(
        questionnaire.choices.values_list("list_name", "name", "label")
    )
    assert questionnaire.owner != other_organisation  # the original stays its owner's


def test_a_private_questionnaire_cannot_be_copied_or_previewed_by_others(
    outsider, outsider_client, other_organisation, questionnaire
):
    questionnaire.visibility = Visibility.PRIVATE
    questionnaire.save()
    assert outsider_client.get(_url(questionnaire, "kopiera/")).status_code == 404
    assert outsider_client.get(_url(questionnaire, "forhandsvisning/")).status_code == 404
    response = outsider_client.post(_url(questionnaire, "forhandsvisning/villkor/"), {})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.questionnaire_copy(
            questionnaire=questionnaire, owner=other_organisation, user=outsider
        )


# --- preview ------------------------------------------------------------------------------------


def test_the_preview_checks_answers_but_stores_nothing(owner_client, questionnaire):
    page = owner_client.get(_url(questionnaire, "forhandsvisning/")).content.decode()
    assert "Förhandsgranskning" in page
    assert 'data-question="partner" hidden' in page  # conditional, hidden until "Ja"
    response = owner_client.post(
        _url(questionnaire, "forhandsvisning/"), {"action": "submit", "antal": "x"}
    )
    page = response.content.decode()
    assert 'href="#id_samverkan"' in page and "Frågan måste besvaras." in page
    relevance = owner_client.post(
        _url(questionnaire, "forhandsvisning/villkor/"), {"samverkan": "ja"}
    ).json()
    assert "partner" in relevance["relevant"]
    ok = owner_client.post(
        _url(questionnaire, "forhandsvisning/"),
        {"action": "submit", "samverkan": "nej", "mangfald": "ja"},
    ).content.decode()
    assert "Svaren uppfyller alla krav och villkor" in ok
    assert Response.objects.count() == 0


# --- XLSForm round trip and limits --------------------------------------------------------------


def test_a_questionnaire_built_in_the_ui_round_trips_through_xlsform(owner, organisation, tmp_path):
    built = services.questionnaire_create(owner=organisation, user=owner, title="Rundresa")
    services.question_add(
        questionnaire=built,
        user=owner,
        type="select_one",
        name="strategi",
        label="Har länet en strategi?",
        choices=[("ja", "Ja"), ("nej", "Nej")],
        required=True,
    )
    services.group_add(
        questionnaire=built,
        user=owner,
        name="detaljer",
        label="Om strategin",
        relevant="${strategi} = 'ja'",
    )
    services.question_add(
        questionnaire=built,
        user=owner,
        type="select_multiple",
        name="teman",
        label="Vilka teman?",
        choices=[("arbete", "Arbete"), ("bostad", "Bostad")],
        group="detaljer",
    )
    services.question_add(
        questionnaire=built,
        user=owner,
        type="integer",
        name="antal",
        label="Antal aktörer",
        constraint=". >= 0",
        relevant="selected(${teman}, 'arbete')",
        group="detaljer",
    )
    data = selectors.questionnaire_xlsform(questionnaire=built)
    path = tmp_path / "rundresa.xlsx"
    path.write_bytes(data)
    xform = convert(xlsform=str(path), validate=False).xform
    assert 'nodeset="/data/detaljer" relevant=" /data/strategi  = \'ja\'"' in xform
    assert "relevant=\"selected( /data/detaljer/teman , 'arbete')\"" in xform
    assert '<group ref="/data/detaljer">' in xform
    again = services.questionnaire_import_xlsform(data=data, owner=organisation, user=owner)
    fields = ("position", "type", "name", "label", "list_name", "relevant", "required")
    fields += ("constraint", "group")
    assert list(again.questions.values_list(*fields)) == list(built.questions.values_list(*fields))
    # choices in the same order in each list (ordering is by list and position)
    assert list(again.choices.values_list("list_name", "name", "label")) == list(
        built.choices.values_list("list_name", "name", "label")
    )


def test_two_thousand_questions_import_and_the_page_renders(owner_client, owner, organisation):
    rows = [("type", "name", "label")] + [
        ("integer", f"q{number}", f"Fråga {number}") for number in range(1, 2001)
    ]
    questionnaire = services.questionnaire_import_xlsform(
        data=make_xlsform(rows, [("list_name", "name", "label")]), owner=organisation, user=owner
    )
    assert questionnaire.questions.count() == 2000
    assert owner_client.get(_url(questionnaire)).status_code == 200
    assert owner_client.get(_url(questionnaire, "forhandsvisning/")).status_code == 200
    with pytest.raises(ValidationError, match="högst 2000 frågor"):
        services.question_add(
            questionnaire=questionnaire, user=owner, type="text", name="en_till", label="En till"
        )
    too_many = rows + [("integer", "q2001", "Fråga 2001")]
    with pytest.raises(XLSFormError, match="fler än 2000 rader"):
        xlsform_read(make_xlsform(too_many, [("list_name", "name", "label")]))


def test_groups_nested_fifty_levels_are_refused_naming_the_row():
    rows = [("type", "name", "label")]
    rows += [("begin_group", f"g{level}", f"Nivå {level}") for level in range(50)]
    rows += [("text", "djup", "Djupt")]
    rows += [("end_group", "", "")] * 50
    with pytest.raises(XLSFormError) as info:
        xlsform_read(make_xlsform(rows, [("list_name", "name", "label")]))
    row = MAX_GROUP_DEPTH + 2  # the header is row 1
    assert info.value.errors == [
        f"Blad survey, rad {row}: grupper i fler än {MAX_GROUP_DEPTH} nivåer stöds inte "
        f"(gruppen g{MAX_GROUP_DEPTH})."
    ]
