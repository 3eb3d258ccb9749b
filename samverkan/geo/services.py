"""Loading the geography from the reference files in ``geo/data``."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from samverkan.geo.models import County, Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class GeographyLoadResult:
    counties_created: int
    municipalities_created: int
    updated: int


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def geography_load_reference() -> GeographyLoadResult:
    """Create or update all counties and municipalities; running it twice changes nothing."""
    created_counties = created_municipalities = updated = 0
    counties: dict[str, County] = {}
    for row in _read_csv("counties.csv"):
        values = {"name": row["county_name"], "short_name": row["county_name_short"]}
        county = County.objects.filter(code=row["county_code"]).first()
        if county is None:
            county = County.objects.create(code=row["county_code"], **values)
            created_counties += 1
        elif (county.name, county.short_name) != (values["name"], values["short_name"]):
            county.name, county.short_name = values["name"], values["short_name"]
            county.save()
            updated += 1
        counties[county.code] = county
    for row in _read_csv("municipalities.csv"):
        county = counties[row["county_code"]]
        name = row["municipality_name_short"]
        municipality = Municipality.objects.filter(code=row["municipality_code"]).first()
        if municipality is None:
            Municipality.objects.create(code=row["municipality_code"], name=name, county=county)
            created_municipalities += 1
        elif (municipality.name, municipality.county_id) != (name, county.pk):
            municipality.name, municipality.county = name, county
            municipality.save()
            updated += 1
    return GeographyLoadResult(created_counties, created_municipalities, updated)


def municipality_official_names() -> dict[str, str]:
    """Official municipality names by code, from the reference file ("Upplands Väsby kommun")."""
    return {
        row["municipality_code"]: row["municipality_name"]
        for row in _read_csv("municipalities.csv")
    }
