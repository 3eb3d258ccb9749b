"""Web pages of actors: thin adapters over selectors and services, one module per resource
(``organisations``, ``networks``, ``agreements``)."""
