"""Changing and removing criteria, withdrawing applications, money spent against the grant,
the English decision letter and the paginated ranking."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samverkan.core.history import record_restore
from samverkan.core.models import AuditEntry
from samverkan.funding import letters, selectors
from samverkan.funding.models import (
    Application,
    ApplicationStatus,
    Criterion,
    Outcome,
)
from samverkan.funding.services import applications, assessment, calls, decisions, reporting
from samverkan.funding.tests.conftest import application_data


def _score(application, user, criterion, value=4):
    assessment.conflict_declare(application=application, user=user, has_conflict=False)
    assessment.scores_set(application=application, user=user, scores={criterion.pk: (value, "")})


# --- criteria ----------------------------------------------------------------------------------


def test_criterion_can_be_changed_freely_before_assessment(call, owner):
    criterion = call.criteria.first()
    calls.criterion_update(
        criterion=criterion, user=owner, title="Främjar arbete", weight=3, guidance="Ny"
    )
    criterion.refresh_from_db()
    assert (criterion.title, criterion.weight, criterion.guidance) == ("Främjar arbete", 3, "Ny")
    assert AuditEntry.objects.filter(action="funding.criterion_changed").exists()


def test_scored_criterion_keeps_title_and_weight_but_guidance_can_change(submitted, owner):
    first, second = submitted.call.criteria.all()
    _score(submitted, owner, first)
    with pytest.raises(ValidationError) as exc:
        calls.criterion_update(criterion=first, user=owner, title="Annat", weight=2)
    assert "1 poäng" in exc.value.message_dict["title"][0]
    # the unscored criterion cannot change weight either: assessment of the call has started
    with pytest.raises(ValidationError) as exc:
        calls.criterion_update(criterion=second, user=owner, title=second.title, weight=5)
    assert "vikten 1 kan inte ändras till 5" in exc.value.message_dict["weight"][0]
    calls.criterion_update(
        criterion=first, user=owner, title=first.title, weight=2, guidance="Tydligare"
    )
    first.refresh_from_db()
    assert (first.weight, first.guidance) == (2, "Tydligare")


def test_scored_criterion_cannot_be_removed_unscored_one_can(submitted, owner):
    first, second = submitted.call.criteria.all()
    _score(submitted, owner, first)
    with pytest.raises(ValidationError) as exc:
        calls.criterion_remove(criterion=first, user=owner)
    assert "1 poäng" in exc.value.messages[0]
    calls.criterion_remove(criterion=second, user=owner)
    assert list(submitted.call.criteria.values_list("title", "position")) == [
        ("Främjar sysselsättning", 1)
    ]
    # the last criterion of a published call stays
    first.scores.all().delete()
    with pytest.raises(ValidationError):
        calls.criterion_remove(criterion=first, user=owner)


def test_criterion_change_refused_for_viewer_and_other_org(call, viewer, outsider):
    criterion = call.criteria.first()
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            calls.criterion_update(criterion=criterion, user=user, title="x", weight=1)
        with pytest.raises(PermissionDenied):
            calls.criterion_remove(criterion=criterion, user=user)
    assert call.criteria.count() == 2


def test_criterion_pages_explain_the_rule_and_refuse_with_reason(submitted, owner, owner_client):
    first = submitted.call.criteria.first()
    _score(submitted, owner, first)
    page = owner_client.get(reverse("funding:call", args=[submitted.call_id])).content.decode()
    assert "vikterna fast" in page and reverse("funding:criterion_edit", args=[first.pk]) in page
    url = reverse("funding:criterion_edit", args=[first.pk])
    response = owner_client.post(url, {"title": first.title, "weight": 7, "guidance": ""})
    assert response.status_code == 200 and "Bedömningen har börjat" in response.content.decode()
    response = owner_client.post(reverse("funding:criterion_remove", args=[first.pk]), follow=True)
    assert "kan inte tas bort" in response.content.decode()
    assert Criterion.objects.filter(pk=first.pk, weight=2).exists()


def test_criterion_pages_deny_other_organisations(call, outsider_client, applicant_client):
    criterion = call.criteria.first()
    for client in (outsider_client, applicant_client, Client()):
        for name in ("funding:criterion_edit", "funding:criterion_remove"):
            url = reverse(name, args=[criterion.pk])
            assert client.get(url).status_code in (302, 403, 404, 405)
            assert client.post(url, {"title": "x", "weight": 9}).status_code in (302, 403, 404)
    criterion.refresh_from_db()
    assert (criterion.title, criterion.weight) == ("Främjar sysselsättning", 2)
    assert call.criteria.count() == 2


# --- withdrawal --------------------------------------------------------------------------------


def test_withdrawn_application_is_kept_unranked_and_restorable(submitted, applicant, owner):
    applications.application_withdraw(
        application=submitted, user=applicant, reason="Fick annat stöd"
    )
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.WITHDRAWN
    assert selectors.call_ranking(call=submitted.call).rows == []
    with pytest.raises(PermissionDenied):
        decisions.decision_make(
            application=submitted, user=owner, outcome=Outcome.REJECTED, reasons="x"
        )
    with pytest.raises(ValidationError):
        applications.application_submit(application=submitted, user=applicant)
    version = submitted.history.filter(status=ApplicationStatus.SUBMITTED).first()
    assert submitted.history.first().history_change_reason == "Fick annat stöd"
    record_restore(
        model=Application, pk=submitted.pk, history_id=version.history_id, user=applicant
    )
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.perspectives == application_data()["perspectives"]
    assert [r.pk for r in selectors.call_ranking(call=submitted.call).rows] == [submitted.pk]


def test_withdrawal_refused_after_decision_and_for_others(
    granted, owner, applicant_viewer, applicant
):
    for user in (owner, applicant_viewer):
        with pytest.raises(PermissionDenied):
            applications.application_withdraw(application=granted, user=user)
    with pytest.raises(ValidationError) as exc:
        applications.application_withdraw(application=granted, user=applicant)
    assert "beslutat" in exc.value.messages[0]


def test_withdraw_page(submitted, applicant_client, owner_client, outsider_client):
    url = reverse("funding:application_withdraw", args=[submitted.pk])
    assert outsider_client.post(url).status_code == 404
    assert owner_client.post(url).status_code == 403
    page = applicant_client.get(submitted.get_absolute_url()).content.decode()
    assert url in page
    response = applicant_client.post(url, {"reason": "Ändrade planer"}, follow=True)
    assert "återtagen" in response.content.decode()
    assert Application.objects.get(pk=submitted.pk).status == ApplicationStatus.WITHDRAWN
    # the funder still reads it, marked withdrawn, and it is not in the ranking
    page = owner_client.get(submitted.get_absolute_url()).content.decode()
    assert "ingår inte i rangordningen" in page
    ranking = owner_client.get(reverse("funding:ranking", args=[submitted.call_id]))
    assert submitted.title not in ranking.content.decode()


# --- money spent against the grant -------------------------------------------------------------


def test_overspend_is_accepted_and_flagged_with_figures(granted, applicant, owner_client):
    report = granted.reports.last()
    reporting.report_submit(
        report=report, user=applicant, progress="Klart.", money_spent=230_000, results={}
    )
    report.refresh_from_db()
    assert report.submitted_at is not None and report.money_spent == 230_000
    entry = AuditEntry.objects.get(action="funding.report_overspent")
    assert entry.data["granted"] == 200_000 and entry.data["money_spent"] == 230_000
    page = owner_client.get(report.get_absolute_url()).content.decode()
    assert "230\xa0000 kr" in page and "200\xa0000 kr" in page and "30\xa0000 kr" in page
    (flagged,) = selectors.reports_overspent(call=granted.call)
    assert flagged.over == 30_000
    portfolio = owner_client.get(reverse("funding:portfolio", args=[granted.call_id]))
    compact = re.sub(r"\s", "", portfolio.content.decode())
    assert "använt230000kravbeviljade200000kr,30000kröver" in compact


def test_spending_within_the_grant_is_not_flagged(granted, applicant):
    report = granted.reports.last()
    reporting.report_submit(
        report=report, user=applicant, progress="Klart.", money_spent=200_000, results={}
    )
    assert selectors.reports_overspent(call=granted.call) == []
    assert not AuditEntry.objects.filter(action="funding.report_overspent").exists()


# --- letter in English -------------------------------------------------------------------------


def test_decision_letter_strings_come_from_the_catalogue(granted):
    granted = Application.objects.select_related("call__owner", "owner", "decision").get(
        pk=granted.pk
    )
    swedish = letters._letter_fragment(granted)
    assert "Beslut om projektstöd" in swedish and "Beviljat belopp" in swedish
    with translation.override("en"):
        english = letters._letter_fragment(granted)
        paragraphs = [text for _style, text in letters._docx_paragraphs(granted)]
    assert "Decision on project funding: Språkcafé i Malmö" in english
    assert "Amount granted" in english and "Reporting back" in english
    assert "Beviljat belopp" not in english
    assert "Amount applied for: 200\xa0000 kr" in paragraphs


# --- ranking pages -----------------------------------------------------------------------------


def test_ranking_is_paginated_with_the_cut_line_page(call, owner_client, applicant, applicant_org):
    from samverkan.funding.views import assessment as views

    for i in range(5):
        application = applications.application_create(
            user=applicant, call=call, owner=applicant_org, **application_data(title=f"Ansökan {i}")
        )
        applications.application_submit(application=application, user=applicant)
    url = reverse("funding:ranking", args=[call.pk])
    original = views.RANKING_PAGE
    views.RANKING_PAGE = 2
    try:
        first = owner_client.get(url).content.decode()
        third = owner_client.get(url + "?sida=3").content.decode()
        every = owner_client.get(url + "?sida=alla").content.decode()
        bad = owner_client.get(url + "?sida=99")
    finally:
        views.RANKING_PAGE = original
    assert first.count('<th scope="row">') == 2 and "Visar plats 1–2 av 5" in first
    assert "Budgetstrecket ligger på sidan 1" in first  # 500 000 kr: two of 200 000 fit
    assert third.count('<th scope="row">') == 1 and "Ansökan" in third
    assert every.count('<th scope="row">') == 5 and every.count("cut-line") == 1
    assert bad.status_code == 200
