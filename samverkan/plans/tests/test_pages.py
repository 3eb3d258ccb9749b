"""Every page renders for the owner and for a reader, and readers see no write controls."""

import datetime

from django.utils import timezone

from samverkan.core import tenancy
from samverkan.plans import documents, services


def test_pages_render(
    owner_client, viewer_client, strategy, plan, activity, goal, other_organisation
):
    services.followup_create(
        activity=activity,
        user=tenancy.SYSTEM,
        status="paused",
        progress=20,
        comment="Väntar på lokal",
    )
    consultation = services.consultation_create(
        strategy=strategy,
        user=tenancy.SYSTEM,
        title="Remiss",
        sections=documents.split_markdown("# A\nText"),
    )
    services.consultation_publish(
        consultation=consultation,
        user=tenancy.SYSTEM,
        organisations=[other_organisation],
        deadline=timezone.now() + datetime.timedelta(days=3),
    )
    token = consultation.invites.get().token
    pages = [
        "/strategier/",
        "/strategier/ny/",
        f"/strategier/{strategy.pk}/",
        f"/strategier/{strategy.pk}/redigera/",
        f"/strategier/{strategy.pk}/ny-plan/",
        f"/strategier/{strategy.pk}/ny-remiss/",
        f"/strategier/mal/{goal.pk}/regionala-mal/",
        f"/strategier/mal/{goal.pk}/redigera/",
        f"/historik/plans.strategy/{strategy.pk}/",
        f"/strategier/planer/{plan.pk}/",
        f"/strategier/planer/{plan.pk}/ny-aktivitet/",
        f"/strategier/aktiviteter/{activity.pk}/",
        f"/strategier/aktiviteter/{activity.pk}/redigera/",
        f"/strategier/remisser/{consultation.pk}/",
        f"/strategier/remiss/{token}/",
    ]
    for url in pages:
        assert owner_client.get(url).status_code == 200, url
    body = owner_client.get(f"/strategier/aktiviteter/{activity.pk}/").content.decode()
    assert "Väntar på lokal" in body
    reader_page = viewer_client.get(f"/strategier/planer/{plan.pk}/").content.decode()
    assert "Ny aktivitet" not in reader_page and "overfor" not in reader_page
    assert viewer_client.get(f"/strategier/{strategy.pk}/redigera/").status_code == 403


def test_goal_edit_keeps_smart_fields(owner_client, outsider_client, strategy, goal, area):
    url = f"/strategier/mal/{goal.pk}/redigera/"
    assert outsider_client.post(url, {"title": "Kapat"}).status_code == 403
    response = owner_client.post(
        url,
        {
            "focus_area": area.pk,
            "title": "Fler i arbete",
            "measure": "Andel förvärvsarbetande",
            "baseline": "50 %",
            "target": "65 %",
            "target_date": "2019-12-31",
            "responsible": "AME",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.target, goal.responsible, goal.focus_area) == ("65 %", "AME", area)
