"""Permission matrix: every URL pattern of the project, with the demo data loaded, requested by
the owner organisation's admin, its viewer, an admin of another organisation and an anonymous
visitor.

* GET: no role gets a server error on any route.
* POST (and PATCH/DELETE on the API): the viewer, the other organisation and the anonymous
  visitor change nothing — no row is added or removed in any table, history included — on any
  route except the visitor's own account and the public token links, and never get a 500.

Routes whose arguments cannot be built from the demo data are listed as skipped; the test fails
if more than a handful are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from samverkan.accounts.models import Membership, User
from samverkan.actors.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory

OWNER_ORG = "lst-12"
# Routes acting on the requesting visitor's own account or session, and the public token links
# (anyone holding the link may answer): their writes are the visitor's own.
OWN_OR_PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:token_regenerate",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "set_language",
    "surveys:answer",
    "surveys:answer_relevance",
    "plans:consultation_respond",
    "api:remissvar-detail",
    "api:remissvar-comments",
    "api:remissvar-no-comments",
    # Building a PDF of a plan the visitor may read: the file is the visitor's own request.
    "plans:plan_pdf_start",
    "api:actionplan-export-pdf",
    # Building a county's duplicate report with the visitor's own permissions, for the visitor.
    "projects:duplicates_start",
    "api:project-duplicate-report-list",
}

# Routes on an indicator that act on the owner organisation's own indicator (not the catalogue).
OWN_INDICATOR_ROUTES = {
    "api:own-indicator-observations",
    "indicators:edit",
    "indicators:observations",
    "indicators:observation_edit",
    "indicators:observation_delete",
    "indicators:fetch",
    "indicators:fetch_job",
}

# The model whose primary key a route's ``pk`` names.
PK_MODELS = {
    "projects:detail": "projects.Project",
    "projects:edit": "projects.Project",
    "projects:delete": "projects.Project",
    "projects:review": "projects.Project",
    "api:project-detail": "projects.Project",
    "api:project-similar": "projects.Project",
    "projects:duplicate_report": "projects.DuplicateReport",
    "projects:duplicate_report_download": "projects.DuplicateReport",
    "api:project-duplicate-report-detail": "projects.DuplicateReport",
    "api:project-duplicate-report-pairs": "projects.DuplicateReport",
    "api:project-duplicate-report-xlsx": "projects.DuplicateReport",
    "api:project-duplicate-report-csv": "projects.DuplicateReport",
    "reports:template": "reports.ReportTemplate",
    "reports:template_generate": "reports.ReportTemplate",
    "reports:template_delete": "reports.ReportTemplate",
    "reports:report": "reports.GeneratedReport",
    "reports:download": "reports.GeneratedReport",
    "reports:publish": "reports.GeneratedReport",
    "reports:delete": "reports.GeneratedReport",
    "api:report-detail": "reports.GeneratedReport",
    "api:report-download": "reports.GeneratedReport",
    "api:report-publish": "reports.GeneratedReport",
    "surveys:question_edit": "surveys.Questionnaire",
    "surveys:campaign_grace": "surveys.Campaign",
    "surveys:question_move": "surveys.Questionnaire",
    "surveys:question_delete": "surveys.Questionnaire",
    "core:history": "plans.Strategy",
    "core:restore": "plans.Strategy",
    "actors:network_member_delete": "actors.NetworkMembership",
    "actors:network_member_end": "actors.NetworkMembership",
    "actors:network_meeting_delete": "actors.Meeting",
    "actors:network_link_delete": "actors.NetworkLink",
    "actors:agreement_party_delete": "actors.AgreementParty",
    "actors:agreement_party_edit": "actors.AgreementParty",
    "actors:agreement_principle_edit": "actors.AgreementPrinciple",
    "actors:agreement_principle_delete": "actors.AgreementPrinciple",
    "projects:mapping_round": "projects.MappingRound",
    "projects:mapping_round_edit": "projects.MappingRound",
    "api:mapping-round-detail": "projects.MappingRound",
    "actors:responsibility_delete": "actors.ResponsibilityClaim",
    "plans:strategy": "plans.Strategy",
    "plans:strategy_edit": "plans.Strategy",
    "plans:focus_area_add": "plans.Strategy",
    "plans:goal_add": "plans.Strategy",
    "plans:hook_in": "plans.Strategy",
    "plans:plan_create": "plans.Strategy",
    "plans:consultation_create": "plans.Strategy",
    "plans:goal_edit": "plans.Goal",
    "plans:goal_move": "plans.Goal",
    "plans:goal_delete": "plans.Goal",
    "plans:focus_area_edit": "plans.FocusArea",
    "plans:focus_area_move": "plans.FocusArea",
    "plans:focus_area_delete": "plans.FocusArea",
    "plans:structure_history": "plans.Strategy",
    "plans:goal_contributions": "plans.Goal",
    "plans:plan": "plans.ActionPlan",
    "plans:plan_export": "plans.ActionPlan",
    "plans:plan_export_pdf": "plans.ActionPlan",
    "plans:plan_pdf_start": "plans.ActionPlan",
    "plans:plan_pdf_status": "plans.PlanExport",
    "plans:plan_pdf_download": "plans.PlanExport",
    "plans:plan_roll_over": "plans.ActionPlan",
    "plans:activity_create": "plans.ActionPlan",
    "plans:activity": "plans.Activity",
    "plans:activity_edit": "plans.Activity",
    "plans:followup_add": "plans.Activity",
    "plans:consultation": "plans.Consultation",
    "plans:consultation_export": "plans.Consultation",
    "plans:consultation_publish": "plans.Consultation",
    "plans:consultation_invite": "plans.Consultation",
    "plans:consultation_remind": "plans.Consultation",
    "plans:consultation_emails": "plans.Consultation",
    "plans:consultation_status": "plans.Consultation",
    "plans:consultation_decide": "plans.Consultation",
    "surveys:questionnaire": "surveys.Questionnaire",
    "surveys:xlsform": "surveys.Questionnaire",
    "surveys:question_add": "surveys.Questionnaire",
    "surveys:group_add": "surveys.Questionnaire",
    "surveys:copy": "surveys.Questionnaire",
    "surveys:preview": "surveys.Questionnaire",
    "surveys:preview_relevance": "surveys.Questionnaire",
    "surveys:campaign_create": "surveys.Questionnaire",
    "surveys:campaign": "surveys.Campaign",
    "surveys:campaign_send": "surveys.Campaign",
    "surveys:campaign_emails": "surveys.Campaign",
    "surveys:campaign_missing_addresses": "surveys.Campaign",
    "surveys:campaign_close": "surveys.Campaign",
    "surveys:response_reopen": "surveys.Campaign",
    "surveys:compilation": "surveys.Campaign",
    "surveys:export": "surveys.Campaign",
    "indicators:target_delete": "indicators.Target",
    "api:strategy-detail": "plans.Strategy",
    "api:strategy-hook-in": "plans.Strategy",
    "api:actionplan-detail": "plans.ActionPlan",
    "api:actionplan-activities": "plans.ActionPlan",
    "api:actionplan-roll-over": "plans.ActionPlan",
    "api:actionplan-export-pdf": "plans.ActionPlan",
    "api:plan-export-detail": "plans.PlanExport",
    "api:plan-export-download": "plans.PlanExport",
    "api:activity-detail": "plans.Activity",
    "api:activity-follow-ups": "plans.Activity",
    "api:consultation-detail": "plans.Consultation",
    "api:consultation-decide": "plans.Consultation",
    "api:consultation-remind": "plans.Consultation",
    "api:survey-campaign-detail": "surveys.Campaign",
    "api:survey-campaign-compilation": "surveys.Campaign",
    "api:survey-campaign-tracking": "surveys.Campaign",
    "api:survey-campaign-send": "surveys.Campaign",
    "api:indicator-target-detail": "indicators.Target",
    "funding:call": "funding.Call",
    "funding:call_edit": "funding.Call",
    "funding:criterion_add": "funding.Call",
    "funding:criterion_edit": "funding.Criterion",
    "funding:criterion_remove": "funding.Criterion",
    "funding:call_publish": "funding.Call",
    "funding:application_create": "funding.Call",
    "funding:ranking": "funding.Call",
    "funding:letters": "funding.Call",
    "funding:portfolio": "funding.Call",
    "funding:application": "funding.Application",
    "funding:application_edit": "funding.Application",
    "funding:application_submit": "funding.Application",
    "funding:application_withdraw": "funding.Application",
    "funding:attachment_add": "funding.Application",
    "funding:conflict": "funding.Application",
    "funding:assess": "funding.Application",
    "funding:decide": "funding.Application",
    "funding:letter_pdf": "funding.Application",
    "funding:letter_docx": "funding.Application",
    "funding:attachment": "funding.Attachment",
    "funding:attachment_remove": "funding.Attachment",
    "funding:report": "funding.FundingReport",
    "api:funding-call-detail": "funding.Call",
    "api:funding-call-publish": "funding.Call",
    "api:funding-call-ranking": "funding.Call",
    "api:funding-call-letters": "funding.Call",
    "api:funding-application-detail": "funding.Application",
    "api:funding-application-submit": "funding.Application",
    "api:funding-application-withdraw": "funding.Application",
    "api:funding-application-restore": "funding.Application",
    "api:funding-application-similar": "funding.Application",
    "api:funding-application-conflict": "funding.Application",
    "api:funding-application-scores": "funding.Application",
    "api:funding-application-decide": "funding.Application",
    "api:funding-report-detail": "funding.FundingReport",
    "api:funding-report-submit": "funding.FundingReport",
    "api:funding-criterion-detail": "funding.Criterion",
    "api:funding-call-criteria": "funding.Call",
    "api:funding-call-portfolio": "funding.Call",
    "api:funding-application-attachments": "funding.Application",
    "api:funding-application-letter-pdf": "funding.Application",
    "api:funding-application-letter-docx": "funding.Application",
    "api:funding-attachment-detail": "funding.Attachment",
    "api:funding-attachment-download": "funding.Attachment",
    "api:funding-letter-job-detail": "core.Job",
    "core:import_run": "core.ImportRun",
    "api:import-run": "core.ImportRun",
    "accounts:invitation_accept": "accounts.Invitation",
    "accounts:invitation_decline": "accounts.Invitation",
}


def _routes(patterns: list[Any], ns: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ns + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _routes(pattern.url_patterns, inner)
        elif pattern.name:
            yield ns + pattern.name, pattern


def _owned_first(model: type[models.Model], org: Organisation) -> Any:
    """An object of ``model`` belonging to ``org`` if there is one (through up to two foreign
    keys to an owned record), else any object."""
    manager = model._default_manager
    names = {f.name for f in model._meta.concrete_fields}
    if "owner" in names:
        found = manager.filter(owner=org).order_by("pk").first()
        if found:
            return found
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            related_names = {f.name for f in field.related_model._meta.concrete_fields}
            if "owner" in related_names:
                found = manager.filter(**{f"{field.name}__owner": org}).order_by("pk").first()
                if found:
                    return found
    return manager.order_by("pk").first()


class _Values:
    def __init__(self, org: Organisation):
        self.org = org
        get = apps.get_model
        self.strategy = _owned_first(get("plans.Strategy"), org)
        self.campaign = _owned_first(get("surveys.Campaign"), org)
        self.consultation = _owned_first(get("plans.Consultation"), org)
        self.network = _owned_first(get("actors.Network"), org)
        indicator = get("indicators.Indicator")
        observed = get("indicators.Observation").objects.values("indicator_id")
        self.indicator = (
            indicator.objects.filter(owner__isnull=True, pk__in=observed).order_by("pk").first()
        )
        self.own_indicator = indicator.objects.filter(owner__isnull=False).order_by("pk").first()

    def kwargs(self, name: str, params: list[str]) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        for param in params:
            value = self.value(name, param)
            if value is None:
                return None
            out[param] = value
        return out

    def value(self, name: str, param: str) -> Any:
        get = apps.get_model
        if param == "pk" and name == "api:funding-letter-job-detail":
            job = get("core.Job").objects.filter(name="funding.decision_letters").first()
            return job.pk if job else None
        if param == "pk":
            model = PK_MODELS.get(name)
            obj = _owned_first(get(model), self.org) if model else None
            return obj.pk if obj else None
        if param == "label":
            return "plans.strategy"
        if param == "history_id":
            history = self.strategy.history.order_by("history_id").first()
            return history.history_id if history else None
        if param == "code":
            if name in {
                "geo:county",
                "api:county-detail",
                "api:county_overview",
                "indicators:key_indicators",
            }:
                return "12"
            if name in {"geo:municipality", "api:municipality-detail"}:
                return "1280"
            if name.startswith("actors:") or name in {
                "api:organisation-detail",
                "api:organisation-contacts",
                "api:organisation-contact-detail",
            }:
                return OWNER_ORG
            if name in OWN_INDICATOR_ROUTES:
                return self.own_indicator.code if self.own_indicator else None
            return self.indicator.code if self.indicator else None
        if param == "job_id":
            job = get("core.Job").objects.filter(name="indicators.fetch").first()
            return job.pk if job else None
        if param == "observation_id":
            observation = (
                get("indicators.Observation").objects.filter(indicator=self.own_indicator).first()
            )
            return observation.pk if observation else None
        if param == "slug" and name.startswith(("actors:agreement", "api:agreement")):
            agreement = _owned_first(get("actors.Agreement"), self.org)
            return agreement.slug if agreement else None
        if param == "slug":
            return self.network.slug if self.network else None
        if param == "county_code":
            return "12"
        if param == "question_id":
            questionnaire = _owned_first(get("surveys.Questionnaire"), self.org)
            question = questionnaire.questions.order_by("pk").first() if questionnaire else None
            return question.pk if question else None
        if param == "invitation_id":
            invitation = get("accounts.Invitation").objects.filter(organisation=self.org).first()
            return invitation.pk if invitation else None
        if param == "contact_id":
            contact = get("actors.ContactAddress").objects.filter(organisation=self.org).first()
            return contact.pk if contact else None
        if param == "membership_id":
            return Membership.objects.filter(organisation=self.org).order_by("pk").first().pk
        if param == "recipient_id":
            recipient = self.campaign.recipients.order_by("pk").first() if self.campaign else None
            return recipient.pk if recipient else None
        if param == "comment_id":
            comment = get("plans.ConsultationComment").objects.order_by("pk").first()
            return comment.pk if comment else 1
        if param == "token":
            if name.startswith("surveys:"):
                recipient = self.campaign.recipients.order_by("pk").first()
                return recipient.token if recipient else None
            if name == "accounts:password_reset_confirm":
                return "set-password"
            invite = get("plans.ConsultationInvite").objects.order_by("pk").first()
            return invite.token if invite else None
        if param == "uidb64":
            return "MQ"
        if param == "kind":
            return "strategies"
        if param == "fmt":
            return "docx" if name.startswith("plans:") else "csv"
        if param == "what":
            return "rankning.csv"
        if param == "level":
            return "lan"
        return None


def _fingerprint() -> dict[str, int]:
    """Row count of every table (sessions aside), in one query."""
    from django.db import connection

    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label_lower != "sessions.session"
        }
    )
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    sql = "SELECT " + counts
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _complete_demo_data(org: Organisation) -> None:
    """Records the demo data has none of, so that every route can be built."""
    get = apps.get_model
    from django.utils import timezone

    get("reports.GeneratedReport").objects.create(
        owner=org,
        title="Länsrapport",
        kind="county",
        county_id=org.county_id,
        year_start=2024,
        year_end=2024,
        sections=["actors"],
        format="html",
        snapshot_at=timezone.now(),
        content=b"<html></html>",
        size=13,
    )
    plans = get("plans.ActionPlan").objects.order_by("pk")
    plan = plans.filter(strategy__owner=org).first() or plans.first()
    get("plans.PlanExport").objects.create(
        plan=plan, activities=0, content=b"%PDF-1.7\n", content_hash="0" * 64, size=9
    )
    call = _owned_first(get("funding.Call"), org)
    get("core.Job").objects.create(
        name="funding.decision_letters", kwargs={"call_id": call.pk}, run_after=timezone.now()
    )
    get("projects.DuplicateReport").objects.create(
        county_id=org.county_id,
        requested_by=Membership.objects.filter(organisation=org, role="admin").first().user,
        xlsx=b"PK",
        csv_gz=b"",
        finished_at=timezone.now(),
    )
    get("core.ImportRun").objects.create(
        kind="organisations",
        filename="stor.csv",
        user=Membership.objects.filter(organisation=org, role="admin").first().user,
        acting_for=org,
        created=3,
        updated=0,
    )
    # An invitation to someone who is none of the visitors: only that person answers it.
    get("accounts.Invitation").objects.create(
        organisation=org, user=User.objects.create_user(email="inbjuden@example.se"), role="editor"
    )
    get("actors.ContactAddress").objects.create(
        organisation=org, email="registrator@lst-12.example.se", role="registrator"
    )
    network = _owned_first(get("actors.Network"), org)
    get("actors.NetworkLink").objects.create(
        network=network, title="Avtal", url="https://example.se/avtal"
    )
    indicator = get("indicators.Indicator")
    own = indicator.objects.create(
        code="egen-matris",
        title="Egen indikator",
        definition="Test",
        unit="antal",
        source_kind="own",
        owner=org,
        visibility="private",
    )
    get("core.Job").objects.create(
        name="indicators.fetch",
        kwargs={"indicator_id": own.pk, "years": ["2024"]},
        run_after=timezone.now(),
        status="done",
    )
    get("indicators.Observation").objects.create(
        indicator=own,
        area_type=2,
        area_code="1280",
        period=202400,
        breakdown=get("indicators.Breakdown").objects.get_or_create(
            sex="T", age_band="", birth_region="", extra=""
        )[0],
        value=1.0,
    )
    observed = get("indicators.Observation").objects.values("indicator_id")
    get("indicators.Target").objects.create(
        owner=org,
        indicator=indicator.objects.filter(pk__in=observed).order_by("pk").first(),
        title="Mål",
        area_code="12",
        breakdown=get("indicators.Breakdown").objects.order_by("pk").first(),
        baseline_year=2020,
        baseline_value=1,
        target_year=2025,
        target_value=2,
    )


@pytest.mark.matrix
@pytest.mark.django_db
def test_permission_matrix_over_every_route(django_db_blocker, settings):
    from samverkan.core.setup import setup_run

    settings.RATE_LIMITS = {}
    setup_run()
    org = Organisation.objects.get(code=OWNER_ORG)
    owner = Membership.objects.filter(organisation=org, role="admin").first().user
    viewer = MembershipFactory(organisation=org, role="viewer", user__email="v@example.se").user
    outsider_org = OrganisationFactory(name="Annan aktör", code="annan-aktor")
    outsider = MembershipFactory(
        organisation=outsider_org, role="admin", user__email="o@example.se"
    ).user
    users: dict[str, User | None] = {
        "owner": owner,
        "viewer": viewer,
        "outsider": outsider,
        "anonymous": None,
    }
    _complete_demo_data(org)
    values = _Values(org)

    urls: list[tuple[str, str]] = []
    skipped: list[str] = []
    for name, pattern in _routes(get_resolver().url_patterns):
        if name.startswith("admin:") or "format" in pattern.pattern.regex.groupindex:
            continue
        params = list(pattern.pattern.regex.groupindex)
        kwargs = values.kwargs(name, params)
        if kwargs is None:
            skipped.append(name)
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            skipped.append(name)
            continue
        if (name, url) not in urls:
            urls.append((name, url))

    failures: list[str] = []
    cases = 0
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        last = _fingerprint()
        for name, url in urls:
            if name == "accounts:logout":
                continue
            checks_writes = role != "owner" and name not in OWN_OR_PUBLIC
            methods = ["get"]
            if checks_writes:
                methods += ["post"] + (["patch", "delete"] if url.startswith("/api/") else [])
            for method in methods:
                response = getattr(client, method)(url, {}, content_type="application/json")
                cases += 1
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} as {role}: {response.status_code}")
                if role == "owner" and method == "get":
                    continue
                now = _fingerprint()
                changed = {k: (last[k], now[k]) for k in now if last[k] != now[k]}
                if changed and checks_writes:
                    failures.append(f"{method.upper()} {url} as {role} wrote: {changed}")
                last = now

    print(f"\npermission matrix: {len(urls)} routes, {cases} requests, skipped {skipped}")
    assert failures == []
    assert skipped == []
    assert len(urls) >= 80
