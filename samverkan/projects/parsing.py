"""Parsing what people write in forms and spreadsheets: amounts, funder and partner lists,
and dates known only to the year or the month."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samverkan.core.dates import MONTHS, DatePrecision
from samverkan.projects.models import ParticipantRole

_AMOUNT_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(milj(?:oner|\.)?|mkr|tkr|kr|kronor|sek)?\.?$")
_MULTIPLIERS = {
    "milj": 1_000_000,
    "miljoner": 1_000_000,
    "milj.": 1_000_000,
    "mkr": 1_000_000,
    "tkr": 1_000,
}


class ParseError(ValueError):
    """The value cannot be understood; the message (Swedish) says what was expected."""


def parse_amount(raw: str) -> int | None:
    """``"1 200 000 kr"`` → 1200000, ``"2,5 mkr"`` → 2500000, ``""`` → None; else ParseError."""
    value = raw.strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    if not value:
        return None
    compact = re.sub(r"(?<=\d)[ .](?=\d{3}\b)", "", value)
    compact = re.sub(r"(?<=\d) (?=\d{3}\b)", "", compact).replace(":-", "").strip()
    match = _AMOUNT_RE.match(compact)
    if not match:
        raise ParseError(_("ogiltigt belopp ”%s” (skriv t.ex. 1 200 000 kr)") % raw.strip())
    number = float(match.group(1).replace(",", "."))
    unit = (match.group(2) or "").rstrip(".")
    number *= _MULTIPLIERS.get(unit, _MULTIPLIERS.get(unit + ".", 1))
    if number < 0 or number > 10**13:
        raise ParseError(_("orimligt belopp ”%s”") % raw.strip())
    return round(number)


@dataclass(frozen=True)
class FundingLine:
    funder: str
    amount: int | None


def parse_fundings(raw: str) -> list[FundingLine]:
    """``"ESF: 500 000 kr; Malmö stad: 200 000"`` (semicolons or new lines)."""
    lines = []
    for part in re.split(r"[;\n]", raw):
        if not part.strip():
            continue
        funder, _sep, amount = part.partition(":")
        if not funder.strip():
            raise ParseError(_("finansiär saknas i ”%s”") % part.strip())
        lines.append(FundingLine(funder.strip()[:200], parse_amount(amount)))
    return lines


ROLE_WORDS = {
    "finansiär": ParticipantRole.FUNDING,
    "funding": ParticipantRole.FUNDING,
    "ansvarig": ParticipantRole.ACCOUNTABLE,
    "accountable": ParticipantRole.ACCOUNTABLE,
    "genomförare": ParticipantRole.IMPLEMENTING,
    "implementing": ParticipantRole.IMPLEMENTING,
    "projektägare": ParticipantRole.IMPLEMENTING,
    "lead": ParticipantRole.IMPLEMENTING,
    "partner": ParticipantRole.PARTNER,
    "samarbetspartner": ParticipantRole.PARTNER,
}


@dataclass(frozen=True)
class PartnerLine:
    organisation: str  # code or name
    role: str


def parse_partners(raw: str) -> list[PartnerLine]:
    """``"kommun-0580: genomförare; Integrationsverket: partner"``; the role defaults to partner."""
    lines = []
    for part in re.split(r"[;\n]", raw):
        if not part.strip():
            continue
        name, _sep, role_word = part.rpartition(":") if ":" in part else (part, "", "partner")
        role = ROLE_WORDS.get(role_word.strip().lower())
        if role is None:
            raise ParseError(
                _("okänd roll ”%(role)s” (tillåtna: %(allowed)s)")
                % {
                    "role": role_word.strip(),
                    "allowed": "finansiär, ansvarig, genomförare, partner",
                }
            )
        lines.append(PartnerLine(name.strip(), role))
    return lines


def split_list(raw: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n,]", raw) if part.strip()]


_YEAR_RE = re.compile(r"^(\d{4})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_NAME_RE = re.compile(r"^([a-zåäö]+)\s+(\d{4})$")
FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse_partial_date(raw: str) -> tuple[datetime.date | None, str]:
    """A date as far as it is known: ``"1999"`` → (1999-01-01, year), ``"1999-11"`` or
    ``"november 1999"`` → (1999-11-01, month), ``"1999-11-18"`` → (that day, day); ``""`` →
    (None, day), nothing invented. Anything else is a ParseError."""
    value = " ".join(raw.strip().lower().split())
    if not value:
        return None, DatePrecision.DAY
    year, month, day, precision = 0, 1, 1, DatePrecision.DAY
    if match := _YEAR_RE.match(value):
        year, precision = int(match.group(1)), DatePrecision.YEAR
    elif match := _MONTH_RE.match(value):
        year, month, precision = int(match.group(1)), int(match.group(2)), DatePrecision.MONTH
    elif (match := _MONTH_NAME_RE.match(value)) and match.group(1) in MONTHS:
        year, month = int(match.group(2)), MONTHS.index(match.group(1)) + 1
        precision = DatePrecision.MONTH
    elif match := _DAY_RE.match(value):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ParseError(
            _("”%s” är inget datum: skriv år (1999), månad (1999-11) eller dag (1999-11-18)")
            % raw.strip()
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ParseError(
            _("året %(year)d ligger utanför %(first)d–%(last)d")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    try:
        return datetime.date(year, month, day), precision
    except ValueError as exc:
        raise ParseError(_("”%s” är inget giltigt datum") % raw.strip()) from exc


def partial_date_text(value: datetime.date | None, precision: str) -> str:
    """The inverse of ``parse_partial_date``: what the form shows for a stored date."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{value.year}-{value.month:02d}"
    return value.isoformat()
