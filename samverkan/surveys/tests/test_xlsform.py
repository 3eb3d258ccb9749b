import io
import zipfile

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from samverkan.core import tenancy
from samverkan.surveys import selectors, services
from samverkan.surveys.models import Questionnaire
from samverkan.surveys.tests.conftest import CHOICES, SURVEY, make_xlsform
from samverkan.surveys.xlsform import XLSFormError, xlsform_read


def _errors(data: bytes) -> list[str]:
    with pytest.raises(XLSFormError) as info:
        xlsform_read(data)
    return info.value.errors


def test_import_creates_questions_choices_and_conditions(organisation):
    questionnaire = services.questionnaire_import_xlsform(
        data=make_xlsform(), owner=organisation, user=tenancy.SYSTEM
    )
    assert questionnaire.title == "Testenkät"
    questions = {q.name: q for q in questionnaire.questions.all()}
    assert list(questions) == [
        "samverkan",
        "partner",
        "antal",
        "mangfald",
        "hinder",
        "budget",
        "startdatum",
    ]
    assert questions["partner"].type == "select_multiple"
    assert questions["partner"].or_other
    assert questions["hinder"].relevant == "${samverkan} = 'nej' and ${mangfald} = 'nej'"
    assert questions["samverkan"].required == "yes"
    assert questionnaire.choices.filter(list_name="partner").count() == 3


def test_groups_give_their_questions_a_group():
    survey = [
        ("type", "name", "label", "relevant"),
        ("begin group", "g", "Grupp", "${a} = 'ja'"),
        ("text", "inne", "Inne", ""),
        ("end group", "", "", ""),
        ("select_one janej", "a", "A", ""),
    ]
    spec = xlsform_read(make_xlsform(survey))
    assert [(q.type, q.name, q.group) for q in spec.questions] == [
        ("begin_group", "g", ""),
        ("text", "inne", "g"),
        ("end_group", "g", ""),
        ("select_one", "a", ""),
    ]


def test_unsupported_features_are_refused_naming_sheet_row_and_feature():
    survey = [
        *SURVEY,
        ("geopoint", "plats", "Var?", "", "", "", ""),
        ("begin repeat", "upprepa", "Upprepa", "", "", "", ""),
    ]
    errors = _errors(make_xlsform(survey, extra_sheets={"external_choices": [("a",)]}))
    assert (
        "Blad survey, rad 9, kolumn type: typen geopoint stöds inte: platser (GPS) samlas inte "
        "in i enkäter till organisationer."
    ) in errors
    assert (
        "Blad survey, rad 10, kolumn type: upprepade grupper (begin repeat) stöds inte ännu; "
        "gör om dem till vanliga frågor eller grupper."
    ) in errors
    assert len(errors) == 2


def test_a_calculation_on_a_question_that_is_not_calculate_is_ignored_with_a_warning():
    survey = [("type", "name", "label", "calculation"), ("text", "a", "A", "1 + 1")]
    spec = xlsform_read(make_xlsform(survey))
    assert spec.questions[0].calculation == ""
    assert spec.warnings == ["Blad survey: kolumnen calculation ignoreras (rad 2)."]


def test_unknown_functions_and_questions_in_expressions_are_refused():
    survey = [
        ("type", "name", "label", "relevant"),
        ("text", "a", "A", "shell(${b})"),
        ("text", "b", "B", "${saknas} = 1"),
    ]
    errors = _errors(make_xlsform(survey, choices=[("list_name", "name", "label")]))
    assert errors == [
        "Blad survey, rad 2, kolumn relevant: funktionen shell() kan inte beräknas här "
        "(XPath 1.0 och ODK:s vanligaste funktioner går).",
        "Blad survey, rad 3, kolumn relevant: okänd fråga ${saknas}.",
    ]


def test_regex_patterns_re2_cannot_compile_are_refused_naming_the_row():
    survey = [
        ("type", "name", "label", "constraint"),
        ("text", "a", "A", "regex(., '^[0-9]+$')"),
        ("text", "b", "B", r"regex(., '^(a)\1$')"),
    ]
    errors = _errors(make_xlsform(survey, choices=[("list_name", "name", "label")]))
    assert errors == [
        "Blad survey, rad 3, kolumn constraint: uttrycket kan inte tolkas (regex-mönstret "
        "”^(a)\\1$” stöds inte (invalid escape sequence: \\1))."
    ]


def test_an_expression_nested_900_deep_is_refused_naming_the_row(owner_client, organisation):
    survey = [
        ("type", "name", "label", "relevant"),
        ("text", "a", "A", ""),
        ("text", "b", "B", "(" * 900 + "${a} = 'x'" + ")" * 900),
    ]
    data = make_xlsform(survey, choices=[("list_name", "name", "label")])
    message = (
        "Blad survey, rad 3, kolumn relevant: uttrycket kan inte tolkas (uttrycket är nästlat "
        "i mer än 64 nivåer)."
    )
    assert _errors(data) == [message]
    page = owner_client.post(
        "/enkater/importera/", {"owner": organisation.pk, "file": _upload(data)}
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Questionnaire.objects.exists()


def test_circular_relevant_references_are_refused():
    survey = [
        ("type", "name", "label", "relevant"),
        ("text", "a", "A", "${c} != ''"),
        ("text", "b", "B", "${a} != ''"),
        ("text", "c", "C", "${b} != ''"),
    ]
    errors = _errors(make_xlsform(survey, choices=[("list_name", "name", "label")]))
    assert len(errors) == 1
    assert errors[0].startswith("Blad survey, kolumn relevant/calculation: cirkulära villkor")
    assert "a → c → b → a" in errors[0]


def test_missing_choice_list_and_duplicate_names():
    survey = [("type", "name", "label"), ("select_one saknas", "a", "A"), ("text", "a", "A2")]
    errors = _errors(make_xlsform(survey))
    assert "Blad survey, rad 3, kolumn name: namnet a används redan." in errors
    assert "Blad survey, rad 2, kolumn type: svarslistan saknas finns inte på bladet choices." in (
        errors
    )


def test_too_many_rows_are_refused():
    survey = [("type", "name", "label")] + [("text", f"q{i}", "Q") for i in range(10_000)]
    assert _errors(make_xlsform(survey)) == ["Blad survey: fler än 2000 rader stöds inte."]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    errors = _errors(out.getvalue())
    assert errors == [
        "Filen packas upp till orimligt mycket data (möjlig zip-bomb) och läses inte."
    ]


def test_not_a_workbook_and_too_large_files():
    assert _errors(b"type,name\ntext,a\n") == ["Filen är inte en XLSX-arbetsbok (XLSForm)."]
    assert _errors(b"x" * (6 * 1024 * 1024))[0].startswith("Filen är för stor")


def test_nothing_is_created_when_the_form_is_refused(organisation):
    with pytest.raises(XLSFormError):
        services.questionnaire_import_xlsform(
            data=make_xlsform([("type", "name"), ("audio", "x")]),
            owner=organisation,
            user=tenancy.SYSTEM,
        )
    assert not Questionnaire.objects.exists()


def test_export_round_trips_and_is_a_valid_xlsform(questionnaire, tmp_path):
    data = selectors.questionnaire_xlsform(questionnaire=questionnaire)
    spec = xlsform_read(data)
    assert [q.name for q in spec.questions] == [row[1] for row in SURVEY[1:]]
    assert len(spec.choices) == len(CHOICES) - 1
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    result = convert(xlsform=str(path), validate=False)
    assert "<h:title>Testenkät</h:title>" in result.xform
    sheet = load_workbook(io.BytesIO(data))["survey"]
    assert sheet["A3"].value == "select_multiple partner or_other"


def test_import_page_shows_errors_and_creates_on_success(owner_client, organisation):
    bad = make_xlsform([("type", "name", "label"), ("geopoint", "plats", "Var?")])
    page = owner_client.post(
        "/enkater/importera/", {"owner": organisation.pk, "file": _upload(bad)}
    )
    assert "Blad survey, rad 2, kolumn type: typen geopoint stöds inte" in page.content.decode()
    page = owner_client.post(
        "/enkater/importera/", {"owner": organisation.pk, "file": _upload(make_xlsform())}
    )
    assert page.status_code == 302
    assert Questionnaire.objects.get().owner == organisation


def test_outsider_cannot_import_for_another_organisation(outsider_client, organisation):
    page = outsider_client.post(
        "/enkater/importera/", {"owner": organisation.pk, "file": _upload(make_xlsform())}
    )
    assert page.status_code == 200
    assert not Questionnaire.objects.exists()


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("form.xlsx", data)


# -- the download (red-team issue 16, finding 8) ----------------------------------------------


def _with_form_id(form_id: str) -> bytes:
    workbook = load_workbook(io.BytesIO(make_xlsform()))
    workbook["settings"]["B2"] = form_id
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_download_writes_a_formula_label_as_text(owner_client, questionnaire):
    question = questionnaire.questions.get(name="hinder")
    services.question_update(
        question=question,
        user=tenancy.SYSTEM,
        label='=HYPERLINK("http://angripare.example/","Klicka här")',
        hint="@SUM(1+1)",
    )
    choice = questionnaire.choices.get(name="ja")
    choice.label = "=1+1"
    choice.save()
    response = owner_client.get(f"/enkater/{questionnaire.pk}/xlsform/")
    workbook = load_workbook(io.BytesIO(response.content))
    row = next(r for r in workbook["survey"].iter_rows() if r[1].value == "hinder")
    assert row[2].value == '\'=HYPERLINK("http://angripare.example/","Klicka här")'
    assert row[2].data_type == "s"
    assert row[3].value == "'@SUM(1+1)"
    labels = [r[2] for r in workbook["choices"].iter_rows() if r[1].value == "ja"]
    assert (labels[0].value, labels[0].data_type) == ("'=1+1", "s")
    assert not any(
        cell.data_type == "f" for sheet in workbook for row in sheet.iter_rows() for cell in row
    )


@pytest.mark.parametrize(
    "form_id",
    ['enkat"; filename="virus.exe', "enkat\r\nSet-Cookie: x=1", "enkät", "a" * 101],
)
def test_a_form_id_that_is_not_a_slug_is_refused_at_import(form_id):
    errors = _errors(_with_form_id(form_id))
    assert len(errors) == 1
    assert errors[0].startswith("Blad settings: form_id ”")
    assert errors[0].endswith("stöds inte (bara a–z, A–Z, 0–9, - och _, högst 100 tecken).")


def test_download_filename_is_safe_whatever_form_id_was_stored(owner_client, questionnaire):
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        form_id='enkat\r\nX-Injected: 1"; filename="virus.exe'
    )
    response = owner_client.get(f"/enkater/{questionnaire.pk}/xlsform/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="enkat-x-injected-1-filenamevirusexe.xlsx"'
    )
    assert "X-Injected" not in response.headers
