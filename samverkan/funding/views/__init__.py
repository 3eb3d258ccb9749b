"""Web pages of the funding workflow: thin adapters over selectors and services, one module
per part of the workflow (``calls``, ``applications``, ``assessment``)."""
