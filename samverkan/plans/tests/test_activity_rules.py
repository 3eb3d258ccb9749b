import datetime

import pytest
from django.core.exceptions import ValidationError

from samverkan.core import tenancy
from samverkan.core.versioning import EditConflict
from samverkan.plans import services
from samverkan.plans.models import Activity, FollowUp


def test_end_is_computed_from_start_and_duration(activity):
    assert activity.end_date == datetime.date(2016, 9, 1)


def test_duration_clamps_to_month_end():
    assert services.add_months(datetime.date(2016, 1, 31), 1) == datetime.date(2016, 2, 29)


def test_activity_ending_before_it_starts_is_refused(plan):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            plan=plan,
            user=tenancy.SYSTEM,
            title="Bakvänd",
            start_date=datetime.date(2016, 5, 1),
            end_date=datetime.date(2016, 4, 1),
        )
    assert (
        "Aktiviteten kan inte sluta (2016-04-01) innan den börjar (2016-05-01)."
        in exc.value.messages
    )
    assert not Activity.objects.filter(title="Bakvänd").exists()


def test_goal_from_another_strategys_area_is_refused(organisation, strategy):
    other = services.strategy_create(
        user=tenancy.SYSTEM, owner=organisation, title="Annan strategi"
    )
    foreign_area = services.focus_area_create(strategy=other, user=tenancy.SYSTEM, title="Boende")
    with pytest.raises(ValidationError) as exc:
        services.goal_create(
            strategy=strategy, user=tenancy.SYSTEM, focus_area=foreign_area, title="Mål"
        )
    assert "hör till en annan strategi" in " ".join(exc.value.messages)


def test_activity_may_only_serve_its_own_strategys_goals(organisation, plan):
    other = services.strategy_create(user=tenancy.SYSTEM, owner=organisation, title="Annan")
    foreign = services.goal_create(strategy=other, user=tenancy.SYSTEM, title="Främmande mål")
    with pytest.raises(ValidationError):
        services.activity_create(plan=plan, user=tenancy.SYSTEM, title="X", goals=[foreign])


def test_cancelling_needs_a_reason_and_keeps_it(activity):
    with pytest.raises(ValidationError):
        services.activity_update(
            activity=activity, user=tenancy.SYSTEM, expected_version=1, status="cancelled"
        )
    updated = services.activity_update(
        activity=activity,
        user=tenancy.SYSTEM,
        expected_version=1,
        status="cancelled",
        status_reason="Omprioriterad efter ett år",
    )
    assert updated.status_reason == "Omprioriterad efter ett år"
    assert updated.version == 2
    assert updated.history.first().status == "cancelled"
    assert updated.history.last().status == "planned"


def test_concurrent_edit_is_refused_and_first_edit_kept(activity):
    first = Activity.objects.get(pk=activity.pk)
    second = Activity.objects.get(pk=activity.pk)
    services.activity_update(
        activity=first,
        user=tenancy.SYSTEM,
        expected_version=first.version,
        title="Språkcafé varje vecka",
    )
    with pytest.raises(EditConflict) as exc:
        services.activity_update(
            activity=second,
            user=tenancy.SYSTEM,
            expected_version=second.version,
            title="Språkcafé varannan vecka",
        )
    assert "har ändrats av" in exc.value.messages[0]
    assert Activity.objects.get(pk=activity.pk).title == "Språkcafé varje vecka"


def test_edit_form_with_stale_version_shows_conflict(owner_client, activity):
    services.activity_update(activity=activity, user=tenancy.SYSTEM, expected_version=1, hours=5)
    response = owner_client.post(
        f"/strategier/aktiviteter/{activity.pk}/redigera/",
        {
            "title": "Ny titel",
            "status": "planned",
            "version": "1",
            "start_date": "2016-03-01",
            "duration_months": "6",
        },
    )
    assert response.status_code == 200
    assert "har ändrats av" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).title == "Språkcafé"


def test_edit_form_saves_with_current_version(owner_client, activity):
    response = owner_client.post(
        f"/strategier/aktiviteter/{activity.pk}/redigera/",
        {
            "title": "Ny titel",
            "status": "started",
            "version": "1",
            "start_date": "2016-03-01",
            "end_date": "2016-12-31",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.end_date, activity.version) == (
        "Ny titel",
        datetime.date(2016, 12, 31),
        2,
    )


def test_followup_updates_activity(activity, editor):
    services.followup_create(
        activity=activity, user=editor, status="started", progress=40, comment="Går bra"
    )
    activity.refresh_from_db()
    assert (activity.status, activity.progress, activity.version) == ("started", 40, 2)
    assert FollowUp.objects.get().by_name == "editor@example.se"


def test_followup_progress_out_of_range(activity):
    with pytest.raises(ValidationError):
        services.followup_create(
            activity=activity, user=tenancy.SYSTEM, status="started", progress=120
        )


def test_overdue_flag(activity):
    assert activity.is_overdue(datetime.date(2017, 1, 1))
    assert not activity.is_overdue(datetime.date(2016, 5, 1))
    activity.status = "done"
    assert not activity.is_overdue(datetime.date(2017, 1, 1))


def test_changed_duration_moves_derived_end_date(activity):
    updated = services.activity_update(
        activity=activity,
        user=tenancy.SYSTEM,
        expected_version=1,
        duration_months=12,
        start_date=activity.start_date,
        end_date=activity.end_date,
    )
    assert updated.end_date == datetime.date(2017, 3, 1)
    explicit = services.activity_update(
        activity=updated,
        user=tenancy.SYSTEM,
        expected_version=2,
        end_date=datetime.date(2016, 12, 31),
    )
    assert explicit.end_date == datetime.date(2016, 12, 31)
