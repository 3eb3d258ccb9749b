"""Synthetic projects with realistic Swedish texts over all counties, for benchmarks and demos.

Deterministic for a given seed. Owners are the reference municipalities and county boards
(``samverkan setup`` loads them); projects are written with the import's bulk path, so they
are indexed for search like any other.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from samverkan.actors.models import Organisation, OrganisationKind, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.geo.models import Municipality
from samverkan.projects.exchange import PreparedProject, ProjectImporter
from samverkan.projects.models import ParticipantRole, Project, ProjectStatus
from samverkan.projects.parsing import FundingLine

ACTIVITIES = [
    "Språkcafé",
    "Mentorprogram",
    "Validering",
    "Praktikplatser",
    "Jobbspår",
    "Föräldraskapsstöd",
    "Hälsokommunikation",
    "Samhällsorientering",
    "Läxhjälp",
    "Idrott för alla",
    "Företagslots",
    "Boendekarriär",
    "Studiecirklar",
    "Kompetenskartläggning",
    "Yrkessvenska",
    "Arbetsmarknadsbuss",
    "Kvinnors nätverk",
    "Fritidsguider",
    "Feriejobb",
    "Lärlingsutbildning",
    "Bostadsskola",
    "Interkulturell dialog",
    "Tolkstöd",
    "Digital delaktighet",
    "Traineeprogram",
    "Odlingsprojekt",
]
GROUP_PHRASES = {
    "newly-arrived": "nyanlända",
    "asylum-seekers": "asylsökande",
    "unaccompanied-minors": "ensamkommande ungdomar",
    "foreign-born-women": "utrikes födda kvinnor",
    "young-people": "unga",
    "academics": "akademiker med utländsk examen",
    "entrepreneurs": "företagare med utländsk bakgrund",
    "employers": "arbetsgivare",
    "public-sector-staff": "anställda i kommunen",
    "general-public": "allmänheten",
    "foreign-born": "utrikes födda",
}
GOALS = [
    "snabbare etablering på arbetsmarknaden",
    "bättre kunskaper i svenska",
    "fler vägar till egen försörjning",
    "ökad delaktighet i samhällslivet",
    "minskad trångboddhet",
    "bättre psykisk och fysisk hälsa",
    "fler nya företag",
    "större mångfald bland de anställda",
    "ett tryggare bostadsområde",
    "att yrkeskompetens tas till vara",
    "fler kontakter mellan nya och etablerade invånare",
]
METHODS = [
    "handledning i små grupper",
    "individuella planer",
    "samverkan med Arbetsförmedlingen",
    "studiebesök hos arbetsgivare",
    "kurser på folkhögskola",
    "uppsökande arbete",
    "mentorer från näringslivet",
    "validering av tidigare yrkeserfarenhet",
    "digitala verktyg",
    "samarbete med idéburna organisationer",
    "praktik med språkstöd",
    "föräldraträffar",
]
LESSONS = [
    "Tidig samverkan med arbetsgivarna var avgörande.",
    "Deltagarna behövde mer tid för språkträning än vi planerade.",
    "Kvinnor nåddes bäst genom träffar på dagtid med barnomsorg.",
    "Långsiktig finansiering saknades när projekttiden tog slut.",
    "Tolkstöd i början gjorde stor skillnad för deltagandet.",
    "Modellen har spridits till grannkommunerna.",
]
PARTNERS = [
    "Arbetsförmedlingen",
    "folkhögskolan",
    "Röda Korset",
    "Studieförbundet Vuxenskolan",
    "regionen",
]
FUNDERS = [
    "ESF",
    "Länsstyrelsen",
    "Kommunen",
    "Region",
    "Allmänna arvsfonden",
    "Tillväxtverket",
    "Arbetsförmedlingen",
    "ERUF",
]


def projects_generate(*, count: int, seed: int, county_code: str = "") -> int:
    """Create ``count`` synthetic projects (owned by municipalities); return how many."""
    rng = random.Random(seed)  # synthetic benchmark data, not security  # nosec B311
    municipalities = list(Municipality.objects.select_related("county").order_by("code"))
    if county_code:
        municipalities = [m for m in municipalities if m.county.code == county_code]
    owners = {
        o.municipality_id: o
        for o in Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, municipality__isnull=False
        )
    }
    boards = {
        o.county_id: o for o in Organisation.objects.filter(kind=OrganisationKind.COUNTY_BOARD)
    }
    fallback = Organisation.objects.order_by("pk").first()
    if fallback is None or not municipalities:
        raise ValueError("Kör först `samverkan setup` (geografi och organisationer).")
    themes, groups = list(Theme.objects.all()), list(TargetGroup.objects.all())
    importer, created = ProjectImporter(), 0
    while created < count:
        batch = [
            _one(rng, municipalities, owners, boards, fallback, themes, groups)
            for _ in range(min(2000, count - created))
        ]
        created += importer.write(batch, user=tenancy.SYSTEM, acting_for=None)[0]
    return created


def _one(
    rng: random.Random,
    municipalities: list[Any],
    owners: dict[Any, Any],
    boards: dict[Any, Any],
    fallback: Any,
    themes: list[Any],
    groups: list[Any],
) -> PreparedProject:
    municipality = rng.choice(municipalities)
    owner = owners.get(municipality.pk) or boards.get(municipality.county_id) or fallback
    activity, group = rng.choice(ACTIVITIES), rng.choice(groups)
    phrase = GROUP_PHRASES.get(group.code, group.name.lower())
    goal, method = rng.choice(GOALS), rng.choice(METHODS)
    start = datetime.date(rng.randint(1999, 2025), rng.randint(1, 12), 1)
    end = start + datetime.timedelta(days=rng.randint(180, 1460))
    today = datetime.date(2026, 1, 1)
    status = (
        ProjectStatus.PLANNED
        if start > today
        else ProjectStatus.FINISHED
        if end < today
        else ProjectStatus.ONGOING
    )
    budget = rng.randrange(100_000, 20_000_000, 50_000)
    project = Project(
        owner=owner,
        county=municipality.county,
        status=status,
        start_date=start,
        end_date=end,
        title=f"{activity} för {phrase} i {municipality.name}",
        summary=(
            f"{activity} i {municipality.name} ska ge {phrase} {goal}. Arbetet bygger på {method}."
        ),
        description=(
            f"Projektet drivs av {owner.name} tillsammans med "
            f"{rng.choice(PARTNERS)}. "
            f"Målet är {rng.choice(GOALS)} och {goal}. Insatserna omfattar {method} och "
            f"{rng.choice(METHODS)}. Deltagarna är {phrase} som bor i "
            f"{municipality.name} med omnejd."
        ),
        expected_results=f"{rng.randint(20, 400)} deltagare och {goal}.",
        lessons=rng.choice(LESSONS) if status == ProjectStatus.FINISHED else "",
        budget=budget,
        source=f"Genererat testdata (seed {rng.random():.6f})",
    )
    funders = rng.sample(FUNDERS, rng.randint(1, 3))
    share = budget // len(funders)
    return PreparedProject(
        project,
        [municipality],
        rng.sample(themes, rng.randint(1, 2)),
        [group] + ([rng.choice(groups)] if rng.random() < 0.3 else []),
        [(owner, ParticipantRole.IMPLEMENTING)]
        + (
            [(boards[municipality.county_id], ParticipantRole.FUNDING)]
            if municipality.county_id in boards and rng.random() < 0.4
            else []
        ),
        [FundingLine(name, share) for name in funders],
    )
