"""The starter catalogue and demo data load, twice without change, with their sources."""

from samverkan.indicators.models import Indicator, Observation
from samverkan.indicators.reference import CATALOGUE, indicators_load_demo


def test_demo_is_idempotent_and_cites_sources(db):
    first = indicators_load_demo()
    assert first == 10 + 2772
    assert indicators_load_demo() == 0
    assert Indicator.objects.filter(owner=None).count() == len(CATALOGUE)
    assert all(i.definition and (i.source_id or i.source_note) for i in Indicator.objects.all())
    botkyrka = Observation.objects.get(indicator__code="arbetsloshet", area_code="0127")
    assert (botkyrka.period, botkyrka.value) == (201500, 11.7)
    assert {i.area for i in Indicator.objects.all()} >= {
        "Sysselsättning",
        "Utbildning",
        "Social inkludering",
        "Aktivt medborgarskap",
    }
