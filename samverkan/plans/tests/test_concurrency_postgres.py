"""Two editors saving the same activity at the same moment: exactly one wins, the other is told.

Needs real concurrent transactions (row locks), so it runs on PostgreSQL only, as a
transactional test (the threads must see committed rows).
"""

import threading

import pytest
from django.db import connection, connections

from samverkan.actors.reference import vocabularies_load_reference
from samverkan.core import tenancy
from samverkan.core.versioning import EditConflict
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
        except EditConflict:
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_manual_and_automatic_reminder_at_the_same_moment_remind_each_once(
    reference_data_restored, settings
):
    """The owner presses "remind" just as the automatic reminder runs, in two transactions at
    once: every respondent who has not answered gets exactly one reminder."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    import datetime

    from django.utils import timezone

    from samverkan.plans import documents, mailings
    from samverkan.plans.models import ConsultationReminder

    settings.JOBS_MODE = "queue"  # the messages themselves are not the point here
    owner = OrganisationFactory()
    strategy = Strategy.objects.create(owner=owner, title="Remiss samtidigt")
    consultation = services.consultation_create(
        strategy=strategy,
        user=tenancy.SYSTEM,
        title="Remiss",
        sections=documents.split_markdown("# Vision\nText."),
    )
    services.consultation_publish(
        consultation=consultation,
        user=tenancy.SYSTEM,
        organisations=[OrganisationFactory() for _ in range(30)],
        deadline=timezone.now() + datetime.timedelta(days=10),
        remind_days_before=3,
    )
    mailings.invite_set_emails(
        consultation=consultation,
        user=tenancy.SYSTEM,
        emails={i.pk: f"r{i.pk}@example.se" for i in consultation.invites.all()},
    )
    barrier = threading.Barrier(2)
    counts: dict[str, int] = {}

    def remind(kind: str) -> None:
        try:
            fresh = type(consultation).objects.select_related("strategy").get(pk=consultation.pk)
            barrier.wait()
            if kind == "manual":
                counts[kind] = len(
                    mailings.consultation_remind(consultation=fresh, user=tenancy.SYSTEM)
                )
            else:
                counts[kind] = mailings.consultation_auto_remind(
                    consultation=fresh, deadline=fresh.deadline.isoformat()
                )
        finally:
            connections.close_all()

    for _attempt in range(3):  # the interleaving differs from run to run; the outcome must not
        ConsultationReminder.objects.all().delete()
        consultation.invites.update(last_reminded_at=None)
        barrier.reset()
        threads = [threading.Thread(target=remind, args=(k,)) for k in ("manual", "automatic")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert counts["manual"] + counts["automatic"] == 30
        per_invite = ConsultationReminder.objects.values_list("invite_id", flat=True)
        assert sorted(per_invite) == sorted(consultation.invites.values_list("pk", flat=True))
