"""Indicator pages: ``benchmarking`` (catalogue, comparisons, charts, downloads, targets, key
indicators, imports) and ``authoring`` (an owner's own indicators, corrections, fetching)."""
