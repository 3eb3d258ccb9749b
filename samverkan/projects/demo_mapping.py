"""Demo mapping rounds (kartläggningar) as the county boards ran them in 1999, with the counts
Integrationsverket's report gives: Skåne's survey of the municipalities and Malmö's city
districts, Västra Götaland's follow-up of growth-oriented projects, and Stockholm's knowledge
bank. No respondent or project the report does not name is made up, and a count it does not
give stays empty. Running the loader twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.actors.models import Organisation, OrganisationKind, Sector
from samverkan.core.citations import cite
from samverkan.core.models import Visibility
from samverkan.geo.models import County, Municipality
from samverkan.projects.models import DatePrecision, MappingGroup, MappingRound

SKANE = cite(
    "000",
    "Rapport till kulturdepartementet (Skåne län), 4.4 Kartläggning av kommunala "
    "integrationsfrämjande projekt i länet",
)
VASTRA_GOTALAND = cite(
    "000",
    "Dokumentation av regional samverkan kring integrationsarbetet (Västra Götalands län), "
    "7. Aktiviteter",
)
STOCKHOLM = cite(
    "000",
    "Bilagor: Länsstyrelsens integrationsarbete 1999 (Stockholms län), Uppbyggnad av kunskapsbank",
)

# A city district the report names, as a respondent: "nio stadsdelar i Malmö (ej
# Limhamn-Bunkeflo)". The other nine districts are not named in the report.
CITY_DISTRICTS = [
    ("stadsdel-malmo-limhamn-bunkeflo", "Limhamn-Bunkeflo (stadsdel i Malmö)", "1280", SKANE),
]

YEAR_1999 = (datetime.date(1999, 1, 1), DatePrecision.YEAR)

ROUNDS: list[dict[str, Any]] = [
    dict(
        title="Kartläggning av kommunala integrationsfrämjande projekt i Skåne län 1999",
        owner="lst-12",
        county="12",
        start=YEAR_1999,
        description="Enkäter till samtliga av länets 33 kommuner och tio stadsdelar i Malmö "
        "stad om kommunernas integrationsfrämjande projekt. En projektanställd "
        "integrationshandläggare tillsattes den 18 oktober 1999 för kartläggningen.",
        result="En sammanställning och utvärdering i form av en rapport, som beräknades bli "
        "färdig för tryckning i mars 2000.",
        groups=[
            dict(
                label="Länets kommuner",
                respondent_kind=OrganisationKind.MUNICIPALITY,
                asked=33,
                answered=31,
                non_respondents=["kommun-1230", "kommun-1290"],
            ),
            dict(
                label="Stadsdelar i Malmö stad",
                respondent_kind=OrganisationKind.CITY_DISTRICT,
                asked=10,
                answered=9,
                non_respondents=["stadsdel-malmo-limhamn-bunkeflo"],
                note="Rapporten namnger bara stadsdelen som inte svarade.",
            ),
        ],
        source=SKANE,
    ),
    dict(
        title="Uppföljning av tillväxtorienterade projekt i Västra Götalands län",
        owner="lst-14",
        county="14",
        start=YEAR_1999,
        description="Uppgifter om påbörjade och avslutade projekt ”under perioden 1 januari "
        "1996 till 31 september 1999” (så i rapporten) vars syfte varit företagande och "
        "avancerad kompetensutveckling, från länets kommuner och andra centrala aktörer.",
        result="De inkomna svaren representerar drygt hälften av länets totalt 49 kommuner. "
        "Den skriftliga redovisningen beräknades vara klar i slutet av april 2000.",
        groups=[
            dict(
                label="Tillfrågade aktörer (kommuner och andra centrala aktörer)",
                respondent_kind="",
                asked=64,
                answered=None,  # "cirka 60 procent": the number is not given
                answered_percent=60,
                approximate=True,
                note="”Av totalt 64 tillfrågade aktörer har cirka 60 procent kommit in med "
                "redovisningar.”",
            ),
        ],
        source=VASTRA_GOTALAND,
    ),
    dict(
        title="Kunskapsbank: kommunala integrationsprojekt i Stockholms län",
        owner="lst-01",
        county="01",
        start=YEAR_1999,
        description="Länsstyrelsen samlade in vilka insatser och projekt som bedrivs, har "
        "bedrivits och kommer att bedrivas av länets kommuner, för att samla kunskap och sprida "
        "goda exempel.",
        projects_reported=123,
        projects_selected=12,
        selection_note="Projekt som representerade nytänkande och/eller integrationsperspektiv; "
        "de besöktes och projektledning och deltagare intervjuades.",
        result="Rapporten ”Kommunala integrationsprojekt i Stockholms län U Nr 17”; över 350 "
        "exemplar har delats ut.",
        groups=[
            dict(
                label="Länets kommuner",
                respondent_kind=OrganisationKind.MUNICIPALITY,
                asked=26,
                answered=23,
                note="Rapporten namnger inte de tre kommuner som inte skickade in uppgifter.",
            ),
        ],
        source=STOCKHOLM,
    ),
]


@dataclass(frozen=True)
class DemoMappingResult:
    rounds: int
    groups: int


@transaction.atomic
def mapping_rounds_load_demo() -> DemoMappingResult:
    """Create the report's mapping rounds once; existing records are left as they are."""
    for code, name, municipality_code, source in CITY_DISTRICTS:
        municipality = Municipality.objects.select_related("county").get(code=municipality_code)
        Organisation.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind=OrganisationKind.CITY_DISTRICT,
                sector=Sector.PUBLIC,
                county=municipality.county,
                municipality=municipality,
                source=source,
                visibility=Visibility.PUBLIC,
                verified=True,
                verified_at=timezone.now(),
            ),
        )
    orgs = {o.code: o for o in Organisation.objects.all()}
    made = {"rounds": 0, "groups": 0}
    for spec in ROUNDS:
        start, precision = spec["start"]
        mapping, created = MappingRound.objects.get_or_create(
            title=spec["title"],
            owner=orgs[spec["owner"]],
            defaults=dict(
                county=County.objects.get(code=spec["county"]),
                visibility=Visibility.PUBLIC,
                description=spec["description"],
                start_date=start,
                start_precision=precision,
                projects_reported=spec.get("projects_reported"),
                projects_selected=spec.get("projects_selected"),
                selection_note=spec.get("selection_note", ""),
                result=spec.get("result", ""),
                source=spec["source"],
            ),
        )
        if not created:
            continue
        made["rounds"] += 1
        for position, group_spec in enumerate(spec["groups"]):
            group = MappingGroup.objects.create(
                round=mapping,
                position=position,
                label=group_spec["label"],
                respondent_kind=group_spec["respondent_kind"],
                asked=group_spec.get("asked"),
                answered=group_spec.get("answered"),
                answered_percent=group_spec.get("answered_percent"),
                approximate=group_spec.get("approximate", False),
                note=group_spec.get("note", ""),
            )
            group.non_respondents.set(orgs[c] for c in group_spec.get("non_respondents", []))
            made["groups"] += 1
    return DemoMappingResult(**made)
