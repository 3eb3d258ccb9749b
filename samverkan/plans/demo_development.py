"""Demo regional development strategies (RUS) and growth agreements, and the integration work
the reports say takes its starting point in them.

KSL 2016: Region Jämtland Härjedalen's integration strategy "ska … kopplas an till den
övergripande regionala utvecklingsstrategin (RUS)"; Reglab: the region works "utifrån RUS och
Regional strategi för ökad inflyttning och förbättrad integration". Integrationsverket 2000:
integration is one of three focus areas of the growth agreement for Uppsala county, where the
"Modell för effektivare integration" was worked out to start in 2000; Halland's growth agreement
names integration among its most prioritised areas; Skåne's proposed growth agreement went to
the government in November 1999. What the reports do not give (adoption, periods, the other
focus areas) is left empty or said to be unknown. Running the loader twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samverkan.actors.models import Organisation, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.citations import cite
from samverkan.core.models import Visibility
from samverkan.geo.models import County
from samverkan.plans import services
from samverkan.plans.models import Strategy, StrategyKind
from samverkan.projects.models import DatePrecision, ParticipantRole, Project, ProjectStatus
from samverkan.projects.services import project_create, project_set_builds_on

SYSTEM = tenancy.SYSTEM
NOT_GIVEN = "Anges inte i källan"
JAMTLAND_KSL = cite(
    "002",
    "avsnittet ”I Region Jämtland Härjedalen har man en regional strategi där kommunernas egna "
    "strategier hakar i”",
)
JAMTLAND_REGLAB = cite("004", "Region Jämtland Härjedalen")
UPPSALA = cite(
    "000",
    "Länsstyrelsens medverkan i integrationsfrämjande insatser i Uppsala län år 1999, "
    "'Tillväxtavtalet för Uppsala län' och 'Resultat och fortsatt arbete'",
)
HALLAND = cite("000", "Exempel på regional samverkan för att främja integration (Hallands län)")
SKANE = cite(
    "000",
    "Rapport till kulturdepartementet (Skåne län), 1. Geografiskt område (Region Skåne ansvarar "
    "för de regionala utvecklingsfrågorna) och 2.4.4 Resultat",
)
INTEGRATION_STRATEGY = "Regional strategi för ökad inflyttning och förbättrad integration 2015–2020"
UPPSALA_MODEL = "Modell för effektivare integration"


@dataclass(frozen=True)
class DemoDevelopmentResult:
    strategies: int
    links: int


def _development(owner_code: str, title: str, **fields: Any) -> tuple[Strategy, bool]:
    owner = Organisation.objects.get(code=owner_code)
    existing = Strategy.objects.filter(owner=owner, title=title).first()
    if existing is not None:
        return existing, False
    strategy = services.strategy_create(
        user=SYSTEM,
        owner=owner,
        title=title,
        level="regional",
        county=owner.county,
        visibility=Visibility.PUBLIC,
        **fields,
    )
    return strategy, True


@transaction.atomic
def development_strategies_load_demo() -> DemoDevelopmentResult:
    made = {"strategies": 0, "links": 0}
    rus, created = _development(
        "region-23",
        "Regional utvecklingsstrategi (RUS) för Jämtland Härjedalen",
        kind=StrategyKind.REGIONAL_DEVELOPMENT,
        status="adopted",
        adopted_by=NOT_GIVEN,
        summary="Den övergripande regionala utvecklingsstrategin som den regionala "
        "integrationsstrategin kopplas an till. Regionen funderar på att knyta indikatorer till "
        "integrationsstrategin för att koppla ihop den med RUS. Namn och period anges inte.",
        source=f"{JAMTLAND_KSL}; {JAMTLAND_REGLAB}",
    )
    made["strategies"] += created
    integration = Strategy.objects.filter(owner__code="region-23", title=INTEGRATION_STRATEGY)
    for strategy in integration:
        if not strategy.builds_on.filter(pk=rus.pk).exists():
            strategy.builds_on.add(rus)
            made["links"] += 1

    uppsala, created = _development(
        "lst-03",
        "Tillväxtavtalet för Uppsala län",
        kind=StrategyKind.GROWTH_AGREEMENT,
        status="adopted",
        adopted_by=NOT_GIVEN,
        summary="Integrationsområdet har tagits upp som ett av tre insatsområden i "
        "tillväxtavtalet; några av temagruppens förslag har inarbetats i avtalet. Det första "
        "årets åtgärder finansierades i samverkan mellan Uppsala kommun, Länsarbetsnämnden, "
        "Landstinget och länsstyrelsen.",
        source=UPPSALA,
    )
    if created:
        made["strategies"] += 1
        services.focus_area_create(
            strategy=uppsala,
            user=SYSTEM,
            title="Integration",
            description="Ett av avtalets tre insatsområden; de två andra anges inte i rapporten.",
        )
    owner = Organisation.objects.get(code="lst-03")
    model = Project.objects.filter(owner=owner, title=UPPSALA_MODEL).first()
    if model is None:
        model = project_create(
            user=SYSTEM,
            owner=owner,
            title=UPPSALA_MODEL,
            summary="En modell som utgår från invandrarindividen och dennes ankomst till Sverige: "
            "en ”röd tråd” för individen och en helhetsbild med alla involverade aktörer och "
            "åtgärder från ankomst till försörjning.",
            description="Togs fram utifrån temagruppens förslag och efter diskussion med Uppsala "
            "kommun, presenterades för Integrationsverket våren 1999 och konkretiserades inom "
            "ramen för tillväxtavtalet. Modellen skulle genomföras med början år 2000; en "
            "ledningsgrupp skulle därefter ge berörda aktörer i uppdrag att genomföra projekt "
            "inom modellen. Slutdatum anges inte.",
            county=County.objects.get(code="03"),
            status=ProjectStatus.PLANNED,
            start_date=datetime.date(2000, 1, 1),
            start_precision=DatePrecision.YEAR,
            themes=list(Theme.objects.filter(code__in=["reception-settlement", "work-skills"])),
            target_groups=list(TargetGroup.objects.filter(code__in=["newly-arrived"])),
            participants=[(owner, ParticipantRole.IMPLEMENTING)],
            visibility=Visibility.PUBLIC,
            source=UPPSALA,
        )
    if not model.builds_on.filter(pk=uppsala.pk).exists():
        project_set_builds_on(project=model, user=SYSTEM, development=[uppsala])
        made["links"] += 1

    halland, created = _development(
        "lst-13",
        "Regionalt tillväxtavtal för Hallands län",
        kind=StrategyKind.GROWTH_AGREEMENT,
        status="adopted",
        adopted_by=NOT_GIVEN,
        summary="Integrationen är utnämnd till ett av de mest prioriterade utvecklingsområdena "
        "under devisen »att se människor som resurs i stället för börda«; man vill pröva hur "
        "flyktingmottagandet kan utvecklas med det perspektivet. Länsarbetsnämnden är en viktig "
        "samverkanspart.",
        source=HALLAND,
    )
    if created:
        made["strategies"] += 1
        services.focus_area_create(strategy=halland, user=SYSTEM, title="Integration")

    _skane, created = _development(
        "region-12",
        "Förslag till Skånes regionala tillväxtavtal",
        kind=StrategyKind.GROWTH_AGREEMENT,
        status="draft",
        summary="Förslaget presenterades för regeringen i november 1999. I den fortsatta "
        "processen skulle åtgärder kring integration av invandrare ur ett tillväxtperspektiv "
        "utvecklas ytterligare.",
        source=SKANE,
    )
    made["strategies"] += created
    return DemoDevelopmentResult(**made)
