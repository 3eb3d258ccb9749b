"""The REST API of actors: one module per resource (``organisations``, ``networks`` with the
county overview and the network graph, ``agreements``)."""
