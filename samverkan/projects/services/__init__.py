"""Writes of projects: every change goes through here so the search index stays current. One
module per concern (``projects``, ``mapping`` rounds); every function is importable from
``samverkan.projects.services`` as before."""

from samverkan.projects.services.mapping import (  # noqa: F401
    AUDIT_MAPPINGROUND_CREATED,
    AUDIT_MAPPINGROUND_GROUPS_CHANGED,
    MAPPING_COUNT_MAX,
    MAPPING_GROUPS_MAX,
    MAPPING_ROUND_FIELDS,
    MappingGroupData,
    _mapping_fields_check,
    _mapping_groups_summary,
    _mapping_groups_write,
    _mapping_round_check,
    _normalised_start,
    _org_names,
    mapping_group_problems,
    mapping_round_create,
    mapping_round_update,
)
from samverkan.projects.services.projects import (  # noqa: F401
    EDITABLE_FIELDS,
    _check_fields,
    _clean,
    _set_relations,
    project_can_review,
    project_create,
    project_delete,
    project_review_good_example,
    project_set_builds_on,
    project_update,
)
