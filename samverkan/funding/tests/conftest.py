"""Funding fixtures: the shared ``organisation`` (a county board) is the funder, with owner and
editor as assessors and viewer as a reading member; ``applicant_org`` applies; the shared
``outsider`` belongs to neither."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.funding.models import Outcome
from samverkan.funding.services import applications, calls, decisions
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def applicant_org(db, skane):
    return OrganisationFactory(name="Föreningen Sökande", code="foreningen-sokande", county=skane)


@pytest.fixture
def applicant(applicant_org):
    return MembershipFactory(
        organisation=applicant_org, role="editor", user__email="applicant@example.se"
    ).user


@pytest.fixture
def applicant_viewer(applicant_org):
    return MembershipFactory(
        organisation=applicant_org, role="viewer", user__email="applicant-viewer@example.se"
    ).user


@pytest.fixture
def applicant_client(applicant):
    client = Client()
    client.force_login(applicant)
    return client


@pytest.fixture
def call(organisation, owner):
    call = calls.call_create(
        user=owner,
        owner=organisation,
        title="Integrationsstöd 2026",
        purpose="Stöd till projekt som främjar sysselsättning.",
        budget=500_000,
        deadline=timezone.now() + datetime.timedelta(days=30),
        required_perspectives=["gender"],
        criteria=[
            calls.CriterionSpec("Främjar sysselsättning", weight=2, guidance="Hur?"),
            calls.CriterionSpec("Långsiktighet", weight=1),
        ],
    )
    return calls.call_publish(call=call, user=owner)


def application_data(**overrides):
    data = dict(
        title="Språkcafé i Malmö",
        summary="Mötesplats för svenska och arbete.",
        description="Ett språkcafé där nyanlända övar svenska med arbetsgivare.",
        total_budget=300_000,
        requested_amount=200_000,
        budget_lines=[("Personal", 250_000), ("Lokal", 50_000)],
        co_financing=[("Malmö stad", 100_000)],
        expected_results="Fler i arbete.",
        indicators=[applications.IndicatorSpec("Deltagare", Decimal(40), "personer")],
        perspectives={"gender": "Lika många kvinnor som män."},
    )
    data.update(overrides)
    return data


@pytest.fixture
def draft(call, applicant, applicant_org):
    return applications.application_create(
        user=applicant, call=call, owner=applicant_org, **application_data()
    )


@pytest.fixture
def submitted(draft, applicant):
    return applications.application_submit(application=draft, user=applicant)


@pytest.fixture
def granted(submitted, owner):
    decisions.decision_make(
        application=submitted,
        user=owner,
        outcome=Outcome.GRANTED,
        amount=200_000,
        conditions="Återrapportera.",
        reasons="Uppfyller kriterierna.",
    )
    submitted.refresh_from_db()
    return submitted
