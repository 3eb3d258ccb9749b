"""The REST API of projects: one module per resource (``projects``, ``mapping`` rounds,
``duplicates`` reports)."""
