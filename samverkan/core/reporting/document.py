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


# An A4 portrait page holds the row header and six more columns at 8.5 pt: wider tables are
# printed in column groups that each repeat the row header (the first column).
PRINT_MAX_COLUMNS = 7


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    caption: str
    columns: list[str]
    rows: list[list[Any]]
    empty_text: str = "Inga rader."

    def column_groups(self, max_columns: int = PRINT_MAX_COLUMNS) -> list[Table]:
        """The table as it is printed: itself when it fits, else parts of balanced width, each
        with the first column and its caption saying which columns it holds."""
        data = list(range(1, len(self.columns)))
        if len(self.columns) <= max_columns or not data:
            return [self]
        parts = -(-len(data) // (max_columns - 1))
        size = -(-len(data) // parts)
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        return [
            Table(
                f"{self.caption} (del {n} av {len(chunks)}: "
                f"{self.columns[chunk[0]]} – {self.columns[chunk[-1]]})",
                [self.columns[0]] + [self.columns[c] for c in chunk],
                [[row[0]] + [row[c] if c < len(row) else "" for c in chunk] for row in self.rows],
                self.empty_text,
            )
            for n, chunk in enumerate(chunks, start=1)
        ]


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

    @property
    def source_list(self) -> list[NumberedSource]:
        """One entry per distinct source, numbered in order of first use, with what each
        source is cited for: the list at the end of the report."""
        numbered: dict[str, NumberedSource] = {}
        for section, source in self.sources:
            entry = numbered.get(source.origin)
            if entry is None:
                entry = numbered[source.origin] = NumberedSource(len(numbered) + 1, source.origin)
            if source.label not in entry.labels:
                entry.labels.append(source.label)
            if section.title not in entry.sections:
                entry.sections.append(section.title)
        return list(numbered.values())

    def source_numbers(self, section: Section) -> list[int]:
        """The numbers of the sources a section cites, for "Källor: [1], [4]" under it."""
        by_origin = {entry.origin: entry.number for entry in self.source_list}
        return sorted({by_origin[s.origin] for s in section.sources})


@dataclass
class NumberedSource:
    number: int
    origin: str
    labels: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)

    LABELS_SHOWN: ClassVar[int] = 8

    @property
    def labels_text(self) -> str:
        """What the source is cited for, shortened after eight names."""
        shown = self.labels[: self.LABELS_SHOWN]
        rest = len(self.labels) - len(shown)
        text = ", ".join(shown)
        return f"{text} och {rest} till" if rest else text
