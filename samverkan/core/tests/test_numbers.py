"""One number format, in the language of the page (issue 24, item 5)."""

import pytest
from django.utils import translation

from samverkan.core.numbers import kronor, number, number_short


@pytest.mark.parametrize(
    ("language", "value", "decimals", "text"),
    [
        ("sv", 1234.56, 1, "1\u202f234,6"),
        ("en", 1234.56, 1, "1,234.6"),
        ("sv", 12.25, 0, "12"),
        ("sv", -0.04, 1, "0,0"),  # no "minus zero"
        ("en", 2.5, 1, "2.5"),
        ("sv", 1234567, 0, "1\u202f234\u202f567"),
    ],
)
def test_numbers_take_the_separators_of_the_language(language, value, decimals, text):
    with translation.override(language):
        assert number(value, decimals) == text


def test_values_round_rather_than_cut_and_show_one_decimal_below_a_thousand():
    with translation.override("sv"):
        assert number(12.36, 1) == "12,4"
        assert [number_short(v) for v in (12.0, 12.36, 1234.5)] == ["12", "12,4", "1\u202f234"]
        assert number_short(12.0, whole_bare=False) == "12,0"
    with translation.override("en"):
        assert number_short(12.36) == "12.4"


def test_kronor_are_grouped_the_swedish_way_in_every_language():
    for language in ("sv", "en"):
        with translation.override(language):
            assert kronor(1250000) == "1\u00a0250\u00a0000 kr"
            assert kronor(None) == "0 kr"
            assert kronor(200000, keep_together=True) == "200\u00a0000\u00a0kr"
