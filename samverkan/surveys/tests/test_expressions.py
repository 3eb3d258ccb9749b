import pytest

from samverkan.surveys.expressions import ExpressionError, compile_expression, is_true


def test_selected_and_count_selected_on_select_multiple_answers():
    values = {"partner": ["kommuner", "lan"]}
    assert is_true("selected(${partner}, 'lan')", values)
    assert not is_true("selected(${partner}, 'landsting')", values)
    assert is_true("count-selected(${partner}) = 2", values)


def test_and_or_not_and_comparisons():
    values = {"a": "nej", "b": "nej", "n": 5}
    assert is_true("${a} = 'nej' and ${b} = 'nej'", values)
    assert is_true("not(${a} = 'ja') or ${n} > 10", values)
    assert is_true("if(${n} > 3, 'x', '') = 'x'", values)


def test_current_value_in_constraints():
    assert is_true(". >= 0 and . < 1000", {}, 12)
    assert not is_true(". >= 0 and . < 1000", {}, 1200)
    assert is_true("regex(., '^[0-9 -]+$')", {}, "040-12 34")


def test_empty_answers_compare_false_instead_of_failing():
    assert not is_true("${n} > 3", {"n": None})
    assert is_true("", {})


@pytest.mark.parametrize(
    "expression, reason",
    [
        ("system-call('rm')", "unknown function"),
        ("${a} = ", "unexpected end"),
    ],
)
def test_unknown_functions_and_bad_syntax_are_refused(expression, reason):
    with pytest.raises(ExpressionError, match=reason):
        compile_expression(expression)
