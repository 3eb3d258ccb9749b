"""Demo strategies from seed 002 (KSL 2016, ”Inspiration för integration”): Gislaved, Botkyrka,
Vallentuna and Region Jämtland Härjedalen.

Only what the report states is given as fact; everything else (goal wordings the report does
not quote, most activity titles, dates within a year, budgets, the municipalities hooking into
the regional strategy) is an invented fill-in, flagged ``illustrative`` and shown with the badge
”Illustrativt exempel”.
Idempotent: a strategy that already exists (same owner and title) is left as it is.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samverkan.actors.models import Organisation, TargetGroup
from samverkan.core import tenancy
from samverkan.core.citations import cite
from samverkan.core.models import Visibility
from samverkan.plans import documents, services
from samverkan.plans.models import ConsultationInvite, Strategy

SEED = cite("002")
GISLAVED = (
    f"{SEED}, avsnittet ”I Småländska Gislaved har man en strategi för integration "
    "med en allt för tydlig handlingsplan”"
)
BOTKYRKA = (
    f"{SEED}, avsnittet ”Den interkulturella strategin börjar sätta sin prägel på "
    "Sveriges mest etniskt blandade kommun”"
)
VALLENTUNA = f"{SEED}, avsnittet ”Vallentuna är mitt uppe i arbetet”"
JAMTLAND = (
    f"{SEED}, avsnittet ”I Region Jämtland Härjedalen har man en regional strategi där "
    "kommunernas egna strategier hakar i”"
)
SYSTEM = tenancy.SYSTEM


@dataclass(frozen=True)
class DemoPlansResult:
    strategies_created: int


def _new(owner_code: str, title: str, **fields: Any) -> Strategy | None:
    owner = Organisation.objects.get(code=owner_code)
    if Strategy.objects.filter(owner=owner, title=title).exists():
        return None
    return services.strategy_create(
        user=SYSTEM, owner=owner, title=title, visibility=Visibility.PUBLIC, **fields
    )


def _gislaved() -> Strategy | None:
    strategy = _new(
        "kommun-0662",
        "Strategi för integration – Gislaveds kommun",
        kind="integration_strategy",
        level="municipal",
        period_start=2014,
        period_end=2017,
        status="adopted",
        adopted_by="Kommunfullmäktige (oktober 2014)",
        source=GISLAVED,
        vision="Alla invånare i Gislaveds kommun oavsett etnisk och kulturell bakgrund ska ges "
        "samma "
        "rättigheter, möjligheter och skyldigheter att förverkliga och utveckla sitt vardagsliv "
        "samt att känna sig delaktiga i kommunen.",
        summary="Ersatte Invandrarpolitiska programmet från 1997. Fyra övergripande mål efter en "
        "bred "
        "kartläggning; sex områden prioriterade vid en tvådagars workshop med ett 30-tal "
        "organisationer; remiss till cirka 150 organisationer. Handlingsplanen med 68 insatser "
        "över tre år prioriterades efter ett år om till 12 insatser.",
    )
    if strategy is None:
        return None
    for i, title in enumerate(
        [
            "Kulturella och etniska skillnader ska utgöra möjligheter till delaktighet.",
            "Attityder kring mångfald och integration ska synliggöras som en viktig del av "
            "kommunens utveckling.",
            "Varje individ ska betraktas som en resurs och vara en del av kommunen.",
            "Integrationsperspektivet ska genomsyra den fysiska och sociala planeringen.",
        ],
        start=1,
    ):
        services.goal_create(strategy=strategy, user=SYSTEM, title=title, position=i)
    goals = []
    for area_title in [
        "Attityder",
        "Arbete",
        "Utbildning och språk",
        "Boende",
        "Socialt deltagande/inflytande",
        "Mötesplatser",
    ]:
        area = services.focus_area_create(strategy=strategy, user=SYSTEM, title=area_title)
        for n in (1, 2):  # the report says two goals per area but does not quote them
            goals.append(
                services.goal_create(
                    strategy=strategy,
                    user=SYSTEM,
                    focus_area=area,
                    position=n,
                    title=f"Mål {n} för området {area_title.lower()}",
                    responsible="Kommunstyrelsen",
                    illustrative=True,
                )
            )
    plan = services.plan_create(
        strategy=strategy,
        user=SYSTEM,
        title="Handlingsplan för integrationsarbetet 2015–2017",
        year_start=2015,
        year_end=2017,
        weighting="equal",
        note="68 insatser över tre år; efter ett års avstämningar omprioriterad till 12 "
        f"(bland annat arbete med attityder och informationsspridning). Källa: {GISLAVED}.",
    )
    kept = {1: "Arbete med attityder", 2: "Informationsspridning"}
    for n in range(1, 69):
        status, reason = "started", ""
        if n > 12:
            status = "cancelled"
            reason = (
                "Omprioriterad efter ett år: inte realistiskt att hinna med alla insatser, och "
                "flera "
                "insatser visade sig inte hållbara över tid (KSL 2016)."
            )
        activity = services.activity_create(
            plan=plan,
            user=SYSTEM,
            title=kept.get(n, f"Insats {n}"),
            description="" if n in kept else "Insatsens innehåll anges inte i rapporten.",
            goals=[goals[(n - 1) % len(goals)]],
            # the report names the two kept activities but not their unit or dates
            responsible_unit="" if n in kept else "En av kommunens nio nämnder",
            start_date=None if n in kept else datetime.date(2015, 1, 1),
            end_date=None if n in kept else datetime.date(2017, 12, 31),
            status=status,
            status_reason=reason,
            illustrative=n not in kept,
        )
        if status == "started":
            followup = services.followup_create(
                activity=activity,
                user=SYSTEM,
                status="started",
                progress=50,
                date=datetime.date(2015, 12, 15),
                by_name="Demo",
                comment="Avstämning efter första året.",
            )
            followup.illustrative = True
            followup.save(update_fields=["illustrative"])
    # "Strategin arbetades fram och gick ut på remiss till cirka 150 olika organisationer,
    # däribland lokala idrottsföreningar, kulturföreningar, trossamfund, Länsstyrelsen i
    # Jönköpings län och kommunens nio nämnder. När strategin blivit antagen av
    # kommunfullmäktige i oktober 2014 …" The round is recorded as the report gives it: about
    # 150 organisations by kind, one of them named; no date or deadline is given (only that it
    # came between the 2011 decision to draw up a strategy and the adoption in October 2014).
    consultation = services.consultation_create(
        strategy=strategy,
        user=SYSTEM,
        title="Remiss: Strategi för integration",
        sections=documents.split_markdown(
            "# Vision\n"
            + strategy.vision
            + "\n\n# Övergripande mål\n"
            + "\n\n".join(g.title for g in strategy.goals.filter(focus_area=None))
            + "\n\n# Områden\nAttityder, arbete, utbildning och språk, boende, socialt "
            "deltagande/inflytande "
            "samt mötesplatser."
        ),
    )
    consultation.recipients_count = 150
    consultation.recipients_approximate = True
    consultation.recipients_description = (
        "Cirka 150 olika organisationer, däribland lokala idrottsföreningar, kulturföreningar, "
        "trossamfund och Länsstyrelsen i Jönköpings län, samt kommunens nio nämnder. Övriga "
        "remissinstanser namnges inte i källan."
    )
    consultation.period_note = (
        "Före antagandet i kommunfullmäktige i oktober 2014; datum och sista svarsdag anges inte."
    )
    consultation.source = GISLAVED
    consultation.save()
    lst = Organisation.objects.filter(code="lst-06").first()
    if lst is not None:  # the one recipient the report names; recorded, not sent
        ConsultationInvite.objects.get_or_create(
            consultation=consultation,
            organisation=lst,
            defaults=dict(token=secrets.token_urlsafe(24)),
        )
    services.consultation_set_status(consultation=consultation, user=SYSTEM, status="closed")
    return strategy


def _botkyrka() -> Strategy | None:
    strategy = _new(
        "kommun-0127",
        "Strategi för ett interkulturellt Botkyrka",
        kind="integration_strategy",
        level="municipal",
        period_start=2010,
        period_end=2025,
        status="adopted",
        adopted_by="Kommunfullmäktige (juni 2010)",
        source=BOTKYRKA,
        vision="Inom 15 år ska flickor och pojkar, kvinnor och män som har Botkyrka som sin "
        "hembygd, oavsett "
        "social och etnisk bakgrund, inte bara ha samma möjligheter till utbildning, arbete och "
        "bostadskarriär som befolkningen i övriga länet – de ska också ha ett försprång på en "
        "globaliserad arbetsmarknad och i samhället i stort.",
        summary="Ersatte Riktlinjer för etnisk mångfald mot etnisk diskriminering. Remiss till "
        "kommunens alla "
        "nämnder, ungdomsfullmäktige och European Coalition of Cities against Racism; arbetet och "
        "remissrundan tog omkring sju månader.",
    )
    if strategy is None:
        return None
    for title in ["Antidiskriminering", "Kommunen som plats", "Kommunen som organisation"]:
        services.focus_area_create(strategy=strategy, user=SYSTEM, title=title)
    for i, (title, year) in enumerate(
        [
            (
                "5-årigt mål: den interkulturella strategin genomsyrar hela kommunorganisationen",
                2015,
            ),
            ("10-årigt mål: Botkyrka och Stockholmsregionen", 2020),
            ("15-årigt mål: nationellt genomslag för det interkulturella förhållningssättet", 2025),
        ],
        start=1,
    ):
        services.goal_create(
            strategy=strategy,
            user=SYSTEM,
            title=title,
            position=i,
            # the report gives the horizon in years (5, 10, 15 from 2010), not a day
            measure=f"Mål till {year}",
        )
    return strategy


VALLENTUNA_ACTIVITIES = [
    # (focus area index, title, start month 2016, months, from the report?)
    (4, "Förbättringar på kommunens webbplats om mottagande och integration", 9, 6, True),
    (
        5,
        "Riktade insatser och föreläsningar för kommunanställda inom integrationsområdet",
        9,
        9,
        True,
    ),
    (1, "Integrationssamordnare kopplar ihop förvaltningarna", 5, 12, True),
    (1, "Samverkan med Arbetsförmedlingen via arbetsmarknadsavdelningen", 5, 12, True),
]


def _vallentuna() -> Strategy | None:
    strategy = _new(
        "kommun-0115",
        "Handlingsprogram för integration – Vallentuna kommun",
        kind="action_programme",
        level="municipal",
        period_start=2016,
        period_end=2016,
        status="draft",
        source=VALLENTUNA,
        vision="Vallentuna ska vara en attraktiv kommun där människor med olika bakgrund, olika "
        "förutsättningar och mål känner trygghet och lever tillsammans.",
        summary="Handlingsprogrammet passerade arbetsutskottet i juni 2016 och ska beslutas i "
        "kommunfullmäktige i augusti 2016. Omkring 35 konkreta aktiviteter inom befintlig budget, "
        "med start och varaktighet angivna; några startade redan i maj.",
    )
    if strategy is None:
        return None
    areas = [
        services.focus_area_create(strategy=strategy, user=SYSTEM, title=t)
        for t in [
            "Bosättning",
            "Samverkan",
            "Sysselsättning",
            "Utbildning",
            "Kommunikation",
            "Metodarbete",
        ]
    ]
    goals = [
        services.goal_create(
            strategy=strategy,
            user=SYSTEM,
            focus_area=a,
            title=f"Mål för {a.title.lower()}",
            illustrative=True,
        )
        for a in areas
    ]
    plan = services.plan_create(
        strategy=strategy,
        user=SYSTEM,
        title="Handlingsprogram 2016",
        year_start=2016,
        year_end=2017,
        weighting="equal",
        note="Skrivs årsvis med vissa nya insatser. Källa: " + VALLENTUNA,
    )
    newly_arrived = TargetGroup.objects.filter(code="newly-arrived")
    rows = list(VALLENTUNA_ACTIVITIES)
    leisure = [
        "Språkcafé på biblioteket",
        "Fritidsaktiviteter för nyanlända och kommuninvånare",
        "Kulturskolan öppen prova-på",
        "Föreningsmässa",
        "Simskola",
        "Läxhjälp",
        "Idrottsprova-på",
    ]
    for n in range(len(rows), 35):
        area = n % 6
        title = f"{leisure[n % len(leisure)]} ({n + 1})" if area in (1, 2) else f"Aktivitet {n + 1}"
        rows.append((area, title, 5 + n % 6, 3 + n % 10, False))
    for area, title, month, months, _from_report in rows:
        # Start and duration are in the programme but the report quotes none of them.
        start = datetime.date(2016, month, 1)
        status = "started" if month == 5 else "planned"
        services.activity_create(
            plan=plan,
            user=SYSTEM,
            title=title,
            goals=[goals[area]],
            start_date=start,
            duration_months=months,
            responsible_unit="förvaltning i arbetsgruppen",
            illustrative=True,
            target_groups=newly_arrived,
            status=status,
            impact_note="Barnperspektivet ska följas upp särskilt (KSL 2016)." if area == 3 else "",
        )
    return strategy


def _jamtland() -> Strategy | None:
    strategy = _new(
        "region-23",
        "Regional strategi för ökad inflyttning och förbättrad integration 2015–2020",
        kind="integration_strategy",
        level="regional",
        period_start=2015,
        period_end=2020,
        status="adopted",
        adopted_by="Regionfullmäktige (i början av 2015)",
        source=JAMTLAND,
        county=Organisation.objects.get(code="region-23").county,
        vision="I Jämtland Härjedalen ska alla ha samma förutsättningar att vara delaktiga i "
        "samhället "
        "oavsett bakgrund.",
        summary="Kopplad till den regionala utvecklingsstrategin (RUS). Remiss till bland annat "
        "länets kommuner, "
        "Arbetsförmedlingen, Länsstyrelsen i Jämtland, Migrationsverket, studieförbund, "
        "Mittuniversitetet och Försäkringskassan. Det åligger kommunerna att upprätta kommunala "
        "strategier som kan haka i den regionala.",
    )
    if strategy is None:
        return None
    measures = {
        "Utbildning": "Betyg vid utgången av årskurs 9 och av gymnasiet",
        "Arbete": "Arbetslöshet i regionen",
        "Social sammanhållning": "Valdeltagande",
    }
    regional_goals = []
    for title, measure in measures.items():
        area = services.focus_area_create(strategy=strategy, user=SYSTEM, title=title)
        regional_goals.append(
            services.goal_create(
                strategy=strategy,
                user=SYSTEM,
                focus_area=area,
                title=f"Mål inom {title.lower()}",
                illustrative=True,
                measure=f"{measure} (indikator som regionen funderar på, KSL 2016)",
            )
        )
    # The report says some municipalities hook in but names none: two invented examples.
    for code, hooks in (("kommun-2380", [0, 1]), ("kommun-2321", [1])):
        municipal = _new(
            code,
            "Kommunal integrationsstrategi som hakar i den regionala",
            level="municipal",
            illustrative=True,
            period_start=2016,
            period_end=2020,
            source=JAMTLAND,
        )
        if municipal is None:
            continue
        goal = services.goal_create(
            strategy=municipal, user=SYSTEM, title="Kommunalt mål", illustrative=True
        )
        services.goal_set_contributions(
            goal=goal, user=SYSTEM, regional_goals=[regional_goals[i] for i in hooks]
        )
    return strategy


@transaction.atomic
def demo_plans_load() -> DemoPlansResult:
    created = [s for s in (_gislaved(), _botkyrka(), _vallentuna(), _jamtland()) if s is not None]
    return DemoPlansResult(len(created))
