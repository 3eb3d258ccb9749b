"""Web pages of projects: thin adapters over selectors and services, one module per part
(``projects``: the knowledge bank itself, ``mapping``: mapping rounds, ``duplicates``: the duplicate
reports)."""
