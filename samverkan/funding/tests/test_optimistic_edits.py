"""A funder editing a call and an applicant editing a draft see a conflict page instead of
overwriting a change saved since they opened the form; the API answers 409."""

import pytest
from django.urls import reverse

from samverkan.core import tenancy
from samverkan.funding.models import Application, Call
from samverkan.funding.services import applications, calls
from tests.pages import form_data_as_sent

pytestmark = pytest.mark.django_db


def test_a_stale_call_edit_is_refused_and_keeps_the_other_change(owner_client, call):
    url = reverse("funding:call_edit", args=[call.pk])
    data = form_data_as_sent(owner_client.get(url))
    calls.call_update(
        call=Call.objects.get(pk=call.pk), user=tenancy.SYSTEM, purpose="Ny inriktning."
    )
    data["title"] = "Integrationsstöd 2026 (andra omgången)"
    conflict = owner_client.post(url, data)
    assert conflict.status_code == 409
    call.refresh_from_db()
    assert (call.title, call.purpose) == ("Integrationsstöd 2026", "Ny inriktning.")
    assert owner_client.post(url, form_data_as_sent(conflict)).status_code == 302
    call.refresh_from_db()
    assert (call.title, call.purpose) == (
        "Integrationsstöd 2026 (andra omgången)",
        "Ny inriktning.",
    )


def test_a_stale_application_edit_is_refused(applicant_client, applicant, draft):
    url = reverse("funding:application_edit", args=[draft.pk])
    data = form_data_as_sent(applicant_client.get(url))
    applications.application_update(
        application=Application.objects.get(pk=draft.pk), user=applicant, summary="Kortare."
    )
    data["title"] = "Språkcafé i Malmö och Lund"
    assert applicant_client.post(url, data).status_code == 409
    draft.refresh_from_db()
    assert (draft.title, draft.summary) == ("Språkcafé i Malmö", "Kortare.")


def test_the_api_answers_409_to_a_stale_call_version(owner_client, call):
    url = f"/api/funding-calls/{call.pk}/"
    version = owner_client.get(url).json()["version"]
    first = owner_client.patch(url, {"purpose": "A", "version": version}, "application/json")
    assert first.status_code == 200
    stale = owner_client.patch(url, {"budget": 600_000, "version": version}, "application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    call.refresh_from_db()
    assert call.budget == 500_000


def test_the_api_answers_409_to_a_stale_application_version(applicant_client, draft):
    url = f"/api/funding-applications/{draft.pk}/"
    version = applicant_client.get(url).json()["version"]
    applicant_client.patch(url, {"summary": "A", "version": version}, "application/json")
    stale = applicant_client.patch(url, {"title": "B", "version": version}, "application/json")
    assert stale.status_code == 409
    draft.refresh_from_db()
    assert (draft.summary, draft.title) == ("A", "Språkcafé i Malmö")
