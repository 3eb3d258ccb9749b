"""The read-replica router: search, rankings and reports read from the replica; writes and
everything else use the primary; no replica configured means the primary for everything.

The replica alias points at the primary's test database as a TEST MIRROR (a second connection
to the same database), so the tests can tell from each connection's query log which one a read
or write used. They run transactionally: the replica connection only sees committed rows.
"""

from __future__ import annotations

import copy

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.replica import (
    REPLICA,
    on_replica,
    read_alias,
    replica_configured,
    replica_reads,
)
from samverkan.core.tests.test_settings import _django_check


def _allow_alias_in_this_test(monkeypatch, alias: str) -> None:
    """Django lets a test use only the aliases its test case lists; this one is added after
    the test case was set up, so add it to the list the connection guard consults."""
    guard = BaseDatabaseWrapper.ensure_connection
    for cell in getattr(guard, "__closure__", None) or ():
        test_case = cell.cell_contents
        if isinstance(test_case, type) and hasattr(test_case, "databases"):
            monkeypatch.setattr(test_case, "databases", frozenset(test_case.databases) | {alias})


@pytest.fixture
def replica(reference_data_after_flush, transactional_db, monkeypatch):
    """A ``replica`` alias mirroring the test database, as DATABASE_REPLICA_URL gives under
    tests (added here when the run has no DATABASE_REPLICA_URL)."""
    added = REPLICA not in connections.settings
    if added:
        settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
        settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
        connections.settings[REPLICA] = settings_dict
    _allow_alias_in_this_test(monkeypatch, REPLICA)
    try:
        yield REPLICA
    finally:
        if added:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]


@pytest.fixture
def no_replica():
    saved = connections.settings.pop(REPLICA, None)
    yield
    if saved is not None:
        connections.settings[REPLICA] = saved


class Logs:
    """Query logs of the primary and the replica connection over a block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS])
        self.replica = CaptureQueriesContext(connections[REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    def count(self, which: str, word: str = "") -> int:
        log = self.primary if which == "primary" else self.replica
        return sum(1 for q in log.captured_queries if word.upper() in q["sql"].upper())


def test_without_a_replica_every_read_uses_the_primary(no_replica):
    assert not replica_configured()
    assert read_alias() == DEFAULT_DB_ALIAS
    with replica_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(Organisation) == DEFAULT_DB_ALIAS
    assert on_replica(Organisation.objects.all()).db == DEFAULT_DB_ALIAS


def test_router_decisions(replica):
    assert replica_configured()
    # Outside the read paths: the primary.
    assert router.db_for_read(Organisation) == DEFAULT_DB_ALIAS
    assert Organisation.objects.all().db == DEFAULT_DB_ALIAS
    with replica_reads() as alias:
        assert alias == REPLICA
        assert router.db_for_read(Organisation) == REPLICA
        assert Organisation.objects.all().db == REPLICA
        # Writes always go to the primary, even on a read path.
        assert router.db_for_write(Organisation) == DEFAULT_DB_ALIAS
        assert Organisation.objects.select_for_update().db == DEFAULT_DB_ALIAS
        # Inside a transaction a read must see its own writes: the primary.
        with transaction.atomic():
            assert router.db_for_read(Organisation) == DEFAULT_DB_ALIAS
            assert on_replica(Organisation.objects.all()).db == DEFAULT_DB_ALIAS
    assert on_replica(Organisation.objects.all()).db == REPLICA
    assert router.allow_migrate(REPLICA, "actors") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "actors") is True


def test_project_search_reads_from_the_replica_and_writes_go_to_the_primary(replica, organisation):
    from samverkan.projects.selectors import SearchFilters, project_search
    from samverkan.projects.tests.conftest import make_project

    with Logs() as logs:
        make_project(organisation, "Språkcafé för nyanlända", summary="Språkcafé i Malmö")
    assert logs.count("primary", "INSERT") > 0
    assert logs.count("replica") == 0

    with Logs() as logs:
        result = project_search(user=tenancy.SYSTEM, filters=SearchFilters(query="språkcafé"))
    assert [hit.project.title for hit in result.hits] == ["Språkcafé för nyanlända"]
    assert logs.count("replica", "SELECT") > 0
    assert logs.count("primary") == 0


def test_indicator_ranking_reads_from_the_replica(replica):
    from samverkan.indicators.models import AreaType, Indicator
    from samverkan.indicators.selectors import ranking
    from samverkan.indicators.tests.conftest import observe

    indicator = Indicator.objects.create(
        code="test-ranking",
        title="Andel i arbete",
        definition="Andel",
        unit="%",
        source_kind="kolada",
        source_id="N1",
    )
    breakdown = observe(indicator, [(2, "1280", 202400, 61.0), (2, "1281", 202400, 70.0)])
    with Logs() as logs:
        ranked = ranking(
            indicator=indicator,
            period=202400,
            breakdown_id=breakdown.id,
            area_type=AreaType.MUNICIPALITY,
        )
    assert [r.area_code for r in ranked] == ["1281", "1280"]
    assert logs.count("replica", "SELECT") > 0
    assert logs.count("primary") == 0


def test_report_sections_read_from_the_replica(replica, organisation):
    from samverkan.reports.services import period_resolve, report_build, scope_resolve

    scope = scope_resolve(kind="county", county="12", user=tenancy.SYSTEM)
    period = period_resolve(year_start=None, year_end=None)
    with Logs() as logs:
        report = report_build(
            scope=scope, period=period, sections=["organisations"], user=tenancy.SYSTEM
        )
    assert report.sections
    assert logs.count("replica", "SELECT") > 0
    assert logs.count("primary") == 0


def test_other_reads_stay_on_the_primary(replica, organisation):
    with Logs() as logs:
        assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert logs.count("primary", "SELECT") == 1
    assert logs.count("replica") == 0


def test_settings_define_the_replica_alias_as_a_test_mirror():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "r = s.DATABASES['replica']; print(r['HOST'], r['NAME'], r['TEST']['MIRROR'], "
        "s.DATABASE_ROUTERS[0])"
    )
    import subprocess
    import sys

    result = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code],
        env={
            **{k: v for k, v in __import__("os").environ.items()},
            "DEBUG": "1",
            "DATABASE_URL": "postgres://app@primary.internal:5432/samverkan",
            "DATABASE_REPLICA_URL": "postgres://app@replica.internal:5432/samverkan",
            "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "replica.internal",
        "samverkan",
        "default",
        "samverkan.core.replica.ReplicaRouter",
    ]
    mixed = _django_check(
        {
            "DEBUG": "1",
            "DATABASE_URL": "postgres://app@primary.internal:5432/samverkan",
            "DATABASE_REPLICA_URL": "sqlite:////tmp/x.sqlite3",
        }
    )
    assert "same engine" in mixed.stderr
