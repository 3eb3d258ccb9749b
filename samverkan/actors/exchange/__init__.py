"""Import and export of actors (CSV, XLSX, JSON), one module per kind (``organisations``,
``networks``, ``agreements``); each registers its importers and exporters with
``core.exchange`` when the app is ready."""
