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


def test_regex_runs_in_linear_time_on_a_catastrophic_pattern():
    # red-team issue 16, finding 2: Python's re took 6.5 s on this answer (and doubles per "a")
    import time

    started = time.perf_counter()
    assert not is_true("regex(., '^(a+)+$')", {}, "a" * 27 + "!")
    assert not is_true("regex(., '^(a+)+$')", {}, "a" * 5000 + "!")
    assert time.perf_counter() - started < 1.0
    assert is_true("regex(., '^(a+)+$')", {}, "a" * 27)


@pytest.mark.parametrize(
    "pattern, reason",
    [
        (r"(a)\1", "invalid escape sequence"),
        ("(?=a)b", "invalid perl operator"),
        ("[a-", "missing ]"),
    ],
)
def test_regex_patterns_re2_cannot_run_are_refused(pattern, reason):
    with pytest.raises(ExpressionError, match=f"regex-mönstret .* stöds inte \\({reason}"):
        compile_expression(f"regex(., '{pattern}')")


def test_a_regex_pattern_taken_from_an_answer_that_re2_refuses_matches_nothing():
    assert not is_true("regex(., ${monster})", {"monster": r"(a)\1"}, "aa")
    assert is_true("regex(., ${monster})", {"monster": "^a+$"}, "aa")


@pytest.mark.parametrize(
    "expression, limit",
    [
        ("(" * 900 + "1" + ")" * 900, 64),
        ("not(" * 65 + "true()" + ")" * 65, 64),
        ("-" * 1900 + "1", 128),
        (" or ".join([". = 1"] * 200), 128),
    ],
)
def test_expressions_nested_too_deep_are_refused_not_a_recursion_error(expression, limit):
    with pytest.raises(ExpressionError, match=f"nästlat i mer än {limit} nivåer"):
        compile_expression(expression)
    assert not is_true(expression, {}, 1)


def test_parentheses_inside_string_literals_do_not_count_as_nesting():
    assert is_true("concat('((((((', .) = '((((((x'", {}, "x")
    assert is_true("(" * 64 + ". = 'x'" + ")" * 64, {}, "x")
