"""Citations of the five reports the demo data comes from, as people cite a report.

A source field names the report (title, publisher, year) and the section, never the file the
report was read from. ``cite`` builds a citation for the demo loaders; ``citation_from_legacy``
rewrites the older notes ("Seed 003_… (…), section") into citations and is used by the data
migration ``core.0003_demo_sources_as_citations``, so keep its behaviour for old text stable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Report:
    title: str
    publisher: str
    year: str  # as the report gives it; "" when it gives none

    @property
    def citation(self) -> str:
        when = f" {self.year}" if self.year else ""
        return f"{self.title} ({self.publisher}{when})"

    @property
    def short(self) -> str:
        return f"{self.publisher} {self.year}".strip()


# The title pages (series and file numbers left out to keep citations short):
# 000 "Integrationsverkets rapportserie 2000:4 © Integrationsverket, 2000";
# 001 "Stockholm 2015-04-30", dnr 3.1.7-Å2015-406; 002 KSL, written in the summer of 2016
# ("passerade … arbetsutskott i juni 2016"); 003 "Stockholm i maj 2014, Styrgruppen för
# uppföljningen av Överenskommelsen inom integrationsområdet"; 004 Reglab's learning project
# "Integration ‒ regionernas roll", run "under 2016–17" (no year of publication is printed).
REPORTS: dict[str, Report] = {
    "000": Report(
        "Regionen, framtiden och mångfalden",
        "Integrationsverket",
        "2000",
    ),
    "001": Report(
        "Sammanställning av regionernas redovisningar för hur ett integrations- och "
        "mångfaldsperspektiv kan utvecklas och integreras i det regionala tillväxtarbetet",
        "Tillväxtverket",
        "2015",
    ),
    "002": Report("Inspiration för integration", "KSL, Kommunförbundet Stockholms Län", "2016"),
    "003": Report(
        "Sammanfattande rapport från sju regionala konferenser inom integrationsområdet 2011–2013",
        "Styrgruppen för uppföljningen av Överenskommelsen",
        "2014",
    ),
    "004": Report("Integration – regionernas roll", "Reglab, lärprojekt 2016–17", ""),
}


def cite(report: str, section: str = "") -> str:
    """'<title> (<publisher> <year>), <section>' for one of the reports by its number."""
    citation = REPORTS[report].citation
    return f"{citation}, {section}" if section else citation


def cite_short(*reports: str) -> str:
    """Several reports by publisher and year: 'Integrationsverket 2000; KSL … 2016'."""
    return "; ".join(REPORTS[r].short for r in reports)


# Old notes: "Seed 000_48435878549b66b9.txt (Integrationsverket 2000, Regionen, …)",
# "Seed 002 (KSL 2016, Inspiration för integration)", "seeds/000_….txt", "(seed 002)".
_TITLE_NOTE = (
    r"(?: \((?:Integrationsverket \d|Tillväxtverket,|KSL \d|Överenskommelsen inom|Reglab,)"
    r"[^()]*\))?"
)
_ONE = re.compile(
    r"(?:Integrationsverket 2000, )?\b[Ss]eeds?[ /](00\d)(?:_[0-9a-f]{16})?(?:\.txt)?" + _TITLE_NOTE
)
_MANY = re.compile(r"\b[Ss]eeds ((?:00\d)(?:(?:, | och |–|-)00\d)*)")
_CODE_PATH = re.compile(r" ?\((?:samverkan|shared)/[^()]*\)")
_IN_BRACKETS = re.compile(r"\((?:jfr )?[Ss]eeds? (00\d)(?:, ([^()]*))?\)")


def _numbers(text: str) -> list[str]:
    found = re.findall(r"00\d", text)
    if len(found) == 2 and re.search(r"00\d[–-]00\d", text):
        return [f"00{n}" for n in range(int(found[0]), int(found[1]) + 1)]
    return found


def citation_from_legacy(text: str, *, short: bool = False) -> str:
    """Rewrite file names and code paths in an old source note into report citations
    (``short``: publisher and year only, for fields with little room)."""
    if not text:
        return text
    text = _CODE_PATH.sub("", text)
    text = text.replace("bilaga 2 ingår inte i seeden", "rapportens bilaga 2 finns inte med")
    text = _IN_BRACKETS.sub(
        lambda m: f"({cite_short(m.group(1))}{', ' + m.group(2) if m.group(2) else ''})", text
    )
    text = _MANY.sub(lambda m: cite_short(*_numbers(m.group(1))), text)
    # A note that starts with the report gets the full citation; one inside a sentence the
    # short form (publisher and year).
    text = _ONE.sub(
        lambda m: cite(m.group(1)) if m.start() == 0 and not short else cite_short(m.group(1)),
        text,
    )
    return text
