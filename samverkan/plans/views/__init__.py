"""Web pages of strategies, plans and consultations, one module per area: thin adapters over
selectors and services."""
