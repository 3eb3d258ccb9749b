"""Strategies as JSON (nested: focus areas, goals, plans, activities, follow-ups) or XLSX (one
sheet per level, linked by ids), and the matching import of the JSON shape.

A strategy's and a plan's ``builds_on`` are the regional development strategies (RUS/RUP) and
growth agreements they take their starting point in: in JSON a list of ``{"title",
"owner_code", "kind"}``, in CSV and XLSX their titles separated by "; ". Only those the exporting
user may read are written; the import finds them again by title (and owner code, when given)
among those the importing user may read.

The import reads what the export writes. The shared JSON reader hands a nested value to the
importer as its Python literal text, which is parsed back with ``ast.literal_eval`` (literals
only, never code). CSV/XLSX files import the strategy rows without nested records.

Importing this package registers the exporter and the importer (``core.exchange``).
"""

from samverkan.plans.exchange.exporting import (
    StrategyExporter,
    development_refs,
    development_titles,
    strategies_for_export,
    strategy_record,
)
from samverkan.plans.exchange.importing import StrategyImporter

__all__ = [
    "StrategyExporter",
    "StrategyImporter",
    "development_refs",
    "development_titles",
    "strategies_for_export",
    "strategy_record",
]
