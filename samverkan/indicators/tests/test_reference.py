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


def test_catalogue_kolada_ids_are_real_and_match_the_recorded_responses():
    import json
    from pathlib import Path

    kolada = {str(f["code"]): f.get("source_id") for f in CATALOGUE if f["source_kind"] == "kolada"}
    assert kolada["forvarvsarbetande-20-64"] == "N00914"
    assert kolada["sysselsattning-utrikes-fodda"] == "N02268"
    assert kolada["nyanlanda-arbete-studier"] == "N00973"
    assert kolada["betyg-ak9-alla-amnen"] == "N15508"
    assert kolada["valdeltagande"] == "N05401"
    # every id has Kolada's shape (N/U + five digits); an unconfirmed id is left empty
    assert all(
        i is None or (len(i) == 6 and i[0] in "NU" and i[1:].isdigit()) for i in kolada.values()
    )
    recorded = json.loads((Path(__file__).parent / "fixtures" / "kolada_kpi.json").read_text())
    assert {k["id"] for k in recorded["values"]} <= set(kolada.values())
