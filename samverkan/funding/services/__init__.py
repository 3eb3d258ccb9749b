"""Writes and rules of the funding workflow, one module per domain: ``calls`` (calls and
criteria), ``applications`` (drafts, submission, withdrawal), ``attachments``, ``assessment``
(conflict of interest, scores), ``decisions`` (and decision letters), ``reporting`` (reports
back); ``common`` formats amounts and moments.

Every refusal raises ``ValidationError`` (bad input: the message says what to change) or
``PermissionDenied`` (wrong person), and nothing is written.
"""
