"""Reference organisations: 21 county boards, 21 regions, 290 municipalities, national actors."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from samverkan.actors.models import Organisation, OrganisationKind, Sector
from samverkan.core.models import Visibility
from samverkan.geo.models import County, Municipality
from samverkan.geo.services import municipality_official_names

DATA_DIR = Path(__file__).resolve().parent / "data"

# Municipalities whose official name is not "<name> kommun".
OFFICIAL_NAME_EXCEPTIONS = {
    "0180": "Stockholms stad",
    "1280": "Malmö stad",
    "1480": "Göteborgs Stad",
    "0980": "Gotlands kommun (Region Gotland)",
}

GEO_SOURCE = "SCB: Län och kommuner i kodnummerordning"


@dataclass(frozen=True)
class ReferenceLoadResult:
    created: int
    updated: int


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _desired() -> list[dict[str, object]]:
    counties = {county.code: county for county in County.objects.all()}
    regions = {row["county_code"]: row["name"] for row in _read("regions.csv")}
    official = municipality_official_names()
    wanted: list[dict[str, object]] = []
    for code, county in counties.items():
        wanted.append(
            dict(
                code=f"lst-{code}",
                name=f"Länsstyrelsen i {county.name}",
                kind=OrganisationKind.COUNTY_BOARD,
                county=county,
                municipality=None,
                sector=Sector.PUBLIC,
                source=GEO_SOURCE,
                website="",
            )
        )
        wanted.append(
            dict(
                code=f"region-{code}",
                name=regions[code],
                kind=OrganisationKind.REGION,
                county=county,
                municipality=None,
                sector=Sector.PUBLIC,
                source="SKR: Kommuner och regioner (förteckning över regionerna)",
                website="",
            )
        )
    for municipality in Municipality.objects.select_related("county"):
        name = OFFICIAL_NAME_EXCEPTIONS.get(municipality.code, official[municipality.code])
        wanted.append(
            dict(
                code=f"kommun-{municipality.code}",
                name=name,
                kind=OrganisationKind.MUNICIPALITY,
                county=municipality.county,
                municipality=municipality,
                sector=Sector.PUBLIC,
                source=GEO_SOURCE,
                website="",
            )
        )
    for row in _read("national_organisations.csv"):
        wanted.append(
            dict(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                sector=row["sector"],
                county=None,
                municipality=None,
                website=row["website"],
                description=row["description"],
                source=row["source"],
            )
        )
    return wanted


@transaction.atomic
def organisations_load_reference() -> ReferenceLoadResult:
    """Create or update the reference organisations; running it twice changes nothing.
    Reference organisations are verified: the rights their kinds carry come from here."""
    existing = {org.code: org for org in Organisation.objects.all()}
    created = updated = 0
    now = timezone.now()
    for values in _desired():
        code = str(values.pop("code"))
        values["verified"] = True
        organisation = existing.get(code)
        if organisation is None:
            Organisation.objects.create(
                code=code, visibility=Visibility.PUBLIC, verified_at=now, **values
            )
            created += 1
            continue
        changed = [name for name, value in values.items() if getattr(organisation, name) != value]
        if changed:
            for name in changed:
                setattr(organisation, name, values[name])
            if "verified" in changed:
                organisation.verified_at = now
            organisation.save()
            updated += 1
    return ReferenceLoadResult(created, updated)


@transaction.atomic
def vocabularies_load_reference() -> ReferenceLoadResult:
    """Seed the theme, target-group and network-role vocabularies; later edits are kept."""
    from samverkan.actors.models import NetworkRole, TargetGroup, Theme

    created = 0
    vocabularies = (
        (Theme, "themes.csv"),
        (TargetGroup, "target_groups.csv"),
        (NetworkRole, "roles.csv"),
    )
    updated = 0
    for model, filename in vocabularies:
        for position, row in enumerate(_read(filename)):
            term, was_created = model.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "description": row.get("description", ""),
                    "source": row["source"],
                    "position": position,
                },
            )
            created += was_created
            # A definition added to the catalogue later reaches terms that have none yet.
            if not was_created and row.get("description") and not term.description:
                term.description = row["description"]
                term.source = row["source"]
                term.save(update_fields=["description", "source"])
                updated += 1
    return ReferenceLoadResult(created, updated)
