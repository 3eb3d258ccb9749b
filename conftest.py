"""Shared fixtures: every area's tests get an organisation with an owner (admin), an editor and a
viewer (members), and an outsider who edits another organisation. Geography is loaded once."""

import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.test import Client

from samverkan.actors.reference import vocabularies_load_reference
from samverkan.geo.models import County
from samverkan.geo.services import geography_load_reference
from tests.factories import MembershipFactory, OrganisationFactory


def pytest_configure(config):
    """A fast password hasher for the test users (Django's advice for test suites): the
    production hasher's deliberate cost would otherwise be paid for every fixture user."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _suite_clock() -> datetime.datetime | None:
    """``SAMVERKAN_TEST_CLOCK`` (ISO 8601, e.g. ``2026-12-31T00:30``; Stockholm time when no
    offset is given) starts the whole run at that moment, with the clock ticking on. CI runs
    the suite once more at half past midnight on New Year's Eve in Stockholm, so a test that
    silently depends on the hour or the date fails there and not on someone's desk."""
    value = os.environ.get("SAMVERKAN_TEST_CLOCK", "").strip()
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
    return moment


@pytest.fixture(scope="session", autouse=True)
def _suite_clock_travel():
    moment = _suite_clock()
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


def _load_reference_data():
    geography_load_reference()
    vocabularies_load_reference()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def reference_data_after_flush(django_db_blocker):
    """For transactional tests (live server): the flush after the test empties every table,
    so reload the session's reference data for the tests that follow. List it before
    ``live_server``/``transactional_db`` so its teardown runs after the flush."""
    yield
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def skane(db):
    return County.objects.get(code="12")


@pytest.fixture
def organisation(db, skane):
    return OrganisationFactory(
        name="Länsstyrelsen Testlän",
        code="lst-test",
        kind="county_board",
        sector="public",
        county=skane,
    )


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Annan förening", code="annan-forening")


@pytest.fixture
def owner(organisation):
    return MembershipFactory(
        organisation=organisation, role="admin", user__email="owner@example.se"
    ).user


@pytest.fixture
def editor(organisation):
    return MembershipFactory(
        organisation=organisation, role="editor", user__email="editor@example.se"
    ).user


@pytest.fixture
def viewer(organisation):
    return MembershipFactory(
        organisation=organisation, role="viewer", user__email="viewer@example.se"
    ).user


@pytest.fixture
def outsider(other_organisation):
    return MembershipFactory(
        organisation=other_organisation, role="admin", user__email="outsider@example.se"
    ).user


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner):
    return _client_for(owner)


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and other cache entries do not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
