"""The REST API of funding: thin adapters over ``access``, ``selectors`` and the services, one
module per resource (``calls`` with criteria and reports, ``applications``, ``files``: attachments
and letter jobs), with their ``serializers``, the ``portfolio`` output and ``common`` refusals."""
