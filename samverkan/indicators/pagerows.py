"""The bodies of the indicator page's long tables (290 municipalities each for the ranking,
the gap and the change), written in Python rather than by the template engine: Django's
per-variable rendering and number localisation cost about a third of a millisecond per row,
a few hundred milliseconds for the three tables. The output is the same HTML the template
gave: escaped texts, numbers localised as ``{{ value }}`` does, "–" for missing values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DASH = "–"


def number_formatter() -> Any:
    """``value → text`` as the template shows numbers in the active language (no thousands
    separator: USE_THOUSAND_SEPARATOR is off), with the decimal separator looked up once."""
    separator = formats.get_format("DECIMAL_SEPARATOR")

    def text(value: Any) -> str:
        if value is None:
            return DASH
        if isinstance(value, float):
            plain = repr(value)
            if "e" in plain or "n" in plain:  # 1e+20, inf, nan: Django's own rules
                return str(formats.localize(value))
            return plain.replace(".", separator)
        if isinstance(value, int):
            return str(value)
        return str(escape(formats.localize(value)))

    return text


def table_rows(rows: Iterable[Iterable[Any]], *, text_columns: int = 1) -> SafeString:
    """``<tr>`` rows: the first ``text_columns`` cells are texts (escaped), the rest numbers."""
    number = number_formatter()
    out = []
    for row in rows:
        cells = [
            str(escape(cell)) if index < text_columns else number(cell)
            for index, cell in enumerate(row)
        ]
        out.append("<tr><td>" + "</td><td>".join(cells) + "</td></tr>")
    return mark_safe("".join(out))  # noqa: S308 (every cell escaped or a number) # nosec B308, B703


def ranking_rows(ranking: list[Any]) -> SafeString:
    number = number_formatter()
    return mark_safe(  # noqa: S308 (escaped) # nosec B308, B703
        "".join(
            f"<tr><td>{number(r.rank)}</td><td>{escape(r.area_name)}</td>"
            f"<td>{number(r.value)}</td><td>{escape(r.status_label)}</td></tr>"
            for r in ranking
        )
    )


def gap_rows(gap: list[dict[str, Any]]) -> SafeString:
    return table_rows((r["area_name"], r["a"], r["b"], r["gap"]) for r in gap)


def change_rows(change: list[dict[str, Any]]) -> SafeString:
    return table_rows(
        (r["area_name"], r["base"], r["value"], r["change"], r["change_pct"]) for r in change
    )
