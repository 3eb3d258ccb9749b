"""Two editors saving the same activity at the same moment: exactly one wins, the other is told.

Needs real concurrent transactions (row locks), so it runs on PostgreSQL only. The records are
committed (the threads must see them) and removed again at the end; the test does not use
pytest-django's transactional mode, whose flush would also empty the session's reference data.
"""

import threading

import pytest
from django.db import connection, connections

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.plans import services
from samverkan.plans.models import ActionPlan, Activity, Strategy
from tests.factories import OrganisationFactory


@pytest.mark.postgres
def test_simultaneous_edits_one_wins_one_conflicts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("row locks need PostgreSQL")
        owner = OrganisationFactory()
        strategy = Strategy.objects.create(owner=owner, title="Samtidighet")
        strategy_id, owner_id = strategy.pk, owner.pk
        try:
            plan = services.plan_create(
                strategy=strategy, user=tenancy.SYSTEM, title="P", year_start=2025
            )
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
        finally:
            plan_ids = list(strategy.plans.values_list("pk", flat=True))
            strategy.delete()
            owner.delete()
            # Leave no trace, not even in the history tables (the trash lists deleted records).
            Activity.history.filter(plan_id__in=plan_ids).delete()
            ActionPlan.history.filter(id__in=plan_ids).delete()
            Strategy.history.filter(id=strategy_id).delete()
            Organisation.history.filter(id=owner_id).delete()
