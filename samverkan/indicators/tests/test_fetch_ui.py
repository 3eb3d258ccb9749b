"""Fetching an own indicator's values from Kolada from its page, as a background job with
progress (issue 21, part 1), against a local stand-in for Kolada's API."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from samverkan.core.models import Job
from samverkan.indicators.fetching import fetch_years_parse
from samverkan.indicators.models import Indicator, Observation

from .replay import ReplayServer

GOTLAND = "/data/kpi/N02268/municipality/0000,0009,0980/year/2022,2023"


def _kolada(*rows: tuple[str, int, float]) -> str:
    return json.dumps(
        {
            "count": len(rows),
            "next_url": None,
            "values": [
                {
                    "kpi": "N02268",
                    "municipality": area,
                    "period": year,
                    "values": [{"gender": "T", "count": 1, "status": "", "value": value}],
                }
                for area, year, value in rows
            ],
        }
    )


@pytest.fixture
def kolada(settings):
    with ReplayServer() as server:
        settings.KOLADA_BASE_URL = server.base
        yield server


@pytest.fixture
def own(organisation):
    return Indicator.objects.create(
        code="egen-kolada",
        title="Sysselsättning utrikes födda (egen)",
        definition="d",
        unit="procent",
        source_kind="kolada",
        source_id="N02268",
        owner=organisation,
        visibility="private",
    )


def test_the_owner_fetches_a_countys_values_and_follows_the_job(
    owner_client, own, kolada, django_capture_on_commit_callbacks
):
    kolada.add(
        GOTLAND,
        _kolada(
            ("0980", 2022, 61.0), ("0980", 2023, 62.5), ("0009", 2023, 62.5), ("0000", 2023, 66)
        ),
    )
    page = owner_client.get(f"/indikatorer/{own.code}/").content.decode()
    assert "Hämta värden från Kolada (N02268)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            f"/indikatorer/{own.code}/hamta/", {"years": "2022-2023", "county": "09"}
        )
    assert response.status_code == 302
    job = Job.objects.get(name="indicators.fetch")
    assert response["Location"] == f"/indikatorer/{own.code}/hamta/{job.pk}/"
    assert job.status == Job.Status.DONE and job.result["created"] == 4
    assert kolada.requests == [GOTLAND]
    assert Observation.objects.filter(indicator=own, area_code="0980").count() == 2
    assert Observation.objects.filter(indicator=own, area_code="09").exists()  # 00LL → county
    status = owner_client.get(response["Location"]).content.decode()
    assert "4 värden hämtades och sparades." in status


def test_a_failed_fetch_says_why_and_stores_nothing(
    owner_client, own, kolada, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            f"/indikatorer/{own.code}/hamta/", {"years": "2022-2023", "county": "09"}
        )
    job = Job.objects.get(name="indicators.fetch")
    assert job.status == Job.Status.FAILED
    page = owner_client.get(response["Location"]).content.decode()
    assert "Hämtningen misslyckades och inget sparades." in page
    assert "svarade 404" in page  # the address and the answer, from the client
    assert not Observation.objects.filter(indicator=own).exists()


def test_bad_choices_are_refused_before_anything_is_queued(owner_client, own, kolada):
    response = owner_client.post(f"/indikatorer/{own.code}/hamta/", {"years": "förra året"})
    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert "Skriv år som 2015-2024 eller 2020, 2022." in page
    assert not Job.objects.exists()
    own.source_id = ""
    own.save()
    response = owner_client.post(f"/indikatorer/{own.code}/hamta/", {"years": "2023"})
    assert not Job.objects.exists()
    assert kolada.requests == []


def test_years_are_read_as_ranges_and_lists():
    today = datetime.date(2026, 12, 7)
    assert fetch_years_parse("2015-2017, 2020", today=today) == ["2015", "2016", "2017", "2020"]
    assert fetch_years_parse("", today=today) == [str(y) for y in range(2016, 2026)]
    for bad in ("2027", "1800-1801", "2020-2019", "1980-2026", "år"):
        with pytest.raises(ValidationError):
            fetch_years_parse(bad, today=today)


def test_others_can_neither_fetch_nor_follow_the_job(
    owner_client, viewer_client, outsider_client, own, kolada, django_capture_on_commit_callbacks
):
    kolada.add(GOTLAND, _kolada(("0980", 2023, 62.5)))
    assert (
        viewer_client.post(f"/indikatorer/{own.code}/hamta/", {"years": "2023"}).status_code == 403
    )
    assert (
        outsider_client.post(f"/indikatorer/{own.code}/hamta/", {"years": "2023"}).status_code
        == 404
    )
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/indikatorer/{own.code}/hamta/", {"years": "2022-2023", "county": "09"})
    job = Job.objects.get()
    url = f"/indikatorer/{own.code}/hamta/{job.pk}/"
    assert viewer_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
