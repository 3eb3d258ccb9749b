"""Two editors saving the same activity at the same moment: exactly one wins, the other is told.

Needs real concurrent transactions (row locks), so it runs on PostgreSQL only, as a
transactional test (the threads must see committed rows).
"""

import threading

import pytest
from django.db import connection, connections

from samverkan.actors.reference import vocabularies_load_reference
from samverkan.core import tenancy
from samverkan.geo.services import geography_load_reference
from samverkan.plans import services
from samverkan.plans.models import Activity, Strategy
from tests.factories import OrganisationFactory


@pytest.fixture(scope="module")
def reference_data_restored(django_db_setup, django_db_blocker):
    """A transactional test empties every table when it ends; this module-scoped fixture is torn
    down after that flush and loads the session's reference data (geography, vocabularies)
    again for the tests that follow."""
    yield
    with django_db_blocker.unblock():
        geography_load_reference()
        vocabularies_load_reference()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_edits_one_wins_one_conflicts(reference_data_restored):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    owner = OrganisationFactory()
    strategy = Strategy.objects.create(owner=owner, title="Samtidighet")
    plan = services.plan_create(strategy=strategy, user=tenancy.SYSTEM, title="P", year_start=2025)
    activity = services.activity_create(plan=plan, user=tenancy.SYSTEM, title="Start")
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def edit(title: str) -> None:
        try:
            barrier.wait()
            services.activity_update(
                activity=Activity.objects.get(pk=activity.pk),
                user=tenancy.SYSTEM,
                expected_version=1,
                title=title,
            )
            results[title] = "saved"
        except services.EditConflict:
            results[title] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["conflict", "saved"]
    winner = next(t for t, r in results.items() if r == "saved")
    current = Activity.objects.get(pk=activity.pk)
    assert (current.title, current.version) == (winner, 2)
