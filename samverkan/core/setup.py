"""What `samverkan setup` loads, in order. Each later area appends its reference and demo data.

Every step is idempotent: running setup twice changes nothing.
"""

from collections.abc import Callable
from typing import Any

from samverkan.actors.demo_agreements import agreements_load_demo
from samverkan.actors.demo_mandates import mandates_load_demo
from samverkan.actors.demo_networks import networks_load_demo
from samverkan.actors.reference import organisations_load_reference, vocabularies_load_reference
from samverkan.core.demo import demo_users_load
from samverkan.funding.demo import funding_demo_load
from samverkan.geo.services import geography_load_reference
from samverkan.indicators.illustrative import indicators_load_illustrative
from samverkan.indicators.reference import indicators_load_demo, indicators_load_reference
from samverkan.plans.demo import demo_plans_load
from samverkan.plans.demo_development import development_strategies_load_demo
from samverkan.projects.demo import demo_projects_load
from samverkan.projects.demo_mapping import mapping_rounds_load_demo
from samverkan.reports.demo import reports_demo_load
from samverkan.surveys.demo import surveys_demo_load

# (label, function, is_demo_data)
SETUP_STEPS: list[tuple[str, Callable[[], Any], bool]] = [
    ("Geography", geography_load_reference, False),
    ("Reference organisations", organisations_load_reference, False),
    ("Themes and target groups", vocabularies_load_reference, False),
    ("Indicator catalogue", indicators_load_reference, False),
    ("Demo users", demo_users_load, True),
    ("Demo networks from the reports", networks_load_demo, True),
    ("Demo mandates, interfaces and claim roles from the reports", mandates_load_demo, True),
    (
        "Demo agreements from the reports (RÖK, LÖK, the national agreement)",
        agreements_load_demo,
        True,
    ),
    ("Demo strategies and plans (KSL 2016)", demo_plans_load, True),
    (
        "Survey 1999 to the county boards (Integrationsverket 2000, Bilaga 1-2)",
        surveys_demo_load,
        True,
    ),
    ("Indicator demo observations", indicators_load_demo, True),
    (
        "Illustrative indicator values (generated, marked as such on every view)",
        indicators_load_illustrative,
        True,
    ),
    ("Demo projects from the reports", demo_projects_load, True),
    ("Demo mapping rounds 1999 (Integrationsverket 2000)", mapping_rounds_load_demo, True),
    (
        "Demo regional development strategies and growth agreements (RUS, tillväxtavtal)",
        development_strategies_load_demo,
        True,
    ),
    (
        "Demo funding call: Skåne county board 1999 (Integrationsverket 2000)",
        funding_demo_load,
        True,
    ),
    ("Demo report templates", reports_demo_load, True),
]
