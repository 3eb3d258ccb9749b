"""The structured report every output format is rendered from: sections of blocks.

A section function returns a ``Section``; renderers (HTML, DOCX, XLSX, PDF) walk the blocks and
never query the database, so the same ``Report`` gives the same document in every format.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass
class Heading:
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 3  # 2 is the section heading; blocks use 3 and 4


@dataclass
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    note: bool = False  # a remark such as "Inga uppgifter", shown subdued


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    caption: str
    columns: list[str]
    rows: list[list[Any]]
    empty_text: str = "Inga rader."


@dataclass
class Chart:
    """An inline SVG chart with its alternative text (the table it summarises)."""

    kind: ClassVar[str] = "chart"
    title: str
    svg: str
    alt: str


@dataclass
class Source:
    """Where a datum comes from: a record's ``source`` field, a seed, a statistics table."""

    label: str
    origin: str


Block = Heading | Paragraph | Table | Chart


@dataclass
class Section:
    code: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    seconds: float = 0.0  # time spent building it (shown in the benchmark, not in the document)

    @property
    def is_empty(self) -> bool:
        """Nothing but notes and empty tables."""
        return not any(
            isinstance(b, Chart)
            or (isinstance(b, Table) and b.rows)
            or (isinstance(b, Paragraph) and not b.note)
            for b in self.blocks
        )

    def heading(self, text: str, level: int = 3) -> None:
        self.blocks.append(Heading(text, level))

    def paragraph(self, text: str, *, note: bool = False) -> None:
        self.blocks.append(Paragraph(text, note))

    def table(
        self, caption: str, columns: list[str], rows: list[list[Any]], empty_text: str = ""
    ) -> None:
        self.blocks.append(Table(caption, columns, rows, empty_text or "Inga rader."))

    def chart(self, title: str, svg: str, alt: str) -> None:
        self.blocks.append(Chart(title, svg, alt))

    def cite(self, label: str, origin: str) -> None:
        origin = " ".join(str(origin or "").split())
        if origin and not any(s.label == label and s.origin == origin for s in self.sources):
            self.sources.append(Source(label, origin))


@dataclass
class Report:
    title: str
    subtitle: str
    scope_label: str
    period_label: str
    snapshot_at: datetime.datetime
    sections: list[Section]

    @property
    def sources(self) -> list[tuple[Section, Source]]:
        return [(s, source) for s in self.sections for source in s.sources]
