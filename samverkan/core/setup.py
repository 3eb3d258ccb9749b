"""What `samverkan setup` loads, in order. Each later area appends its reference and demo data.

Every step is idempotent: running setup twice changes nothing.
"""

from collections.abc import Callable
from typing import Any

from samverkan.actors.reference import organisations_load_reference, vocabularies_load_reference
from samverkan.core.demo import demo_users_load
from samverkan.geo.services import geography_load_reference
from samverkan.projects.demo import demo_projects_load

# (label, function, is_demo_data)
SETUP_STEPS: list[tuple[str, Callable[[], Any], bool]] = [
    ("Geography", geography_load_reference, False),
    ("Reference organisations", organisations_load_reference, False),
    ("Themes and target groups", vocabularies_load_reference, False),
    ("Demo users", demo_users_load, True),
    ("Demo projects from the reports", demo_projects_load, True),
]
