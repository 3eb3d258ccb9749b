"""The starter indicator catalogue and the demo observations (``samverkan setup``).

The catalogue follows the Zaragoza core indicators of migrant integration (EU ministerial
declaration 2010, followed up by Eurostat's "Migrant integration statistics"): employment,
education, social inclusion and active citizenship, each expressed with a Swedish or
Eurostat source and disaggregated by country of birth where the source allows. Source ids
are given only where they were found in published Kolada KPI lists (see the README's table
"Kolada KPI ids"); the others name the source in ``source_note``.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from samverkan.core import tenancy
from samverkan.core.citations import cite
from samverkan.indicators.importing import datasets_import, records_import
from samverkan.indicators.jsonstat import datasets_read
from samverkan.indicators.models import Direction, Indicator, Observation

DATA = Path(__file__).parent / "data"
ZARAGOZA = "Zaragoza-indikatorerna (EU 2010), Eurostat: Migrant integration statistics"
BIRTH = ["sverige", "eu", "utanfor-eu", "utrikes"]

CATALOGUE: list[dict[str, object]] = [
    # Employment
    dict(
        code="sysselsattningsgrad-20-64",
        area="Sysselsättning",
        title="Sysselsättningsgrad 20–64 år efter födelseland",
        definition="Andel sysselsatta av befolkningen 20–64 år, per kön och födelseland "
        "(Sverige, annat EU-land, utanför EU). Arbetskraftsundersökningen (AKU).",
        unit="procent",
        source_kind="eurostat",
        source_id="lfsa_ergacob",
        direction=Direction.HIGHER,
        by_sex=True,
        age_bands=["20-64"],
        birth_regions=BIRTH,
        source_note=f"Eurostat lfsa_ergacob; motsvarande svensk källa SCB AKU. {ZARAGOZA}.",
    ),
    dict(
        code="arbetsloshet",
        area="Sysselsättning",
        title="Arbetslöshet",
        definition="Andel arbetslösa av arbetskraften, per kön och födelseland.",
        unit="procent",
        source_kind="eurostat",
        source_id="lfsa_urgacob",
        direction=Direction.LOWER,
        by_sex=True,
        birth_regions=BIRTH,
        source_note=f"Eurostat lfsa_urgacob; kommunvärden från Arbetsförmedlingen/SCB. {ZARAGOZA}.",
    ),
    dict(
        code="forvarvsarbetande-20-64",
        area="Sysselsättning",
        title="Förvärvsarbetande invånare 20–64 år",
        definition="Antal förvärvsarbetande 20–64 år (löneinkomst i november eller aktiv "
        "näringsverksamhet) delat med antal invånare 20–64 år den 31/12, per kommun och kön. "
        "SCB:s registerbaserade arbetsmarknadsstatistik.",
        unit="procent",
        source_kind="kolada",
        source_id="N00914",
        direction=Direction.HIGHER,
        by_sex=True,
        source_note="Kolada N00914 (källa SCB). Utrikes och inrikes födda: N02268 och N02269.",
    ),
    dict(
        code="sysselsattning-utrikes-fodda",
        area="Sysselsättning",
        title="Sysselsättningsgrad 20–64 år, utrikes födda",
        definition="Andel sysselsatta av de utrikes födda invånarna 20–64 år, per kommun och kön "
        "(SCB:s registerbaserade arbetsmarknadsstatistik). Jämförs med inrikes födda (N02269) "
        "för gapet mellan grupperna.",
        unit="procent",
        source_kind="kolada",
        source_id="N02268",
        direction=Direction.HIGHER,
        by_sex=True,
        birth_regions=["utrikes"],
        source_note="Kolada N02268 (källa SCB).",
    ),
    dict(
        code="sysselsattning-inrikes-fodda",
        area="Sysselsättning",
        title="Sysselsättningsgrad 20–64 år, inrikes födda",
        definition="Andel sysselsatta av de inrikes födda invånarna 20–64 år, per kommun och kön "
        "(SCB:s registerbaserade arbetsmarknadsstatistik).",
        unit="procent",
        source_kind="kolada",
        source_id="N02269",
        direction=Direction.HIGHER,
        by_sex=True,
        birth_regions=["sverige"],
        source_note="Kolada N02269 (källa SCB).",
    ),
    dict(
        code="nyanlanda-arbete-studier",
        area="Sysselsättning",
        title="Nyanlända i arbete eller studier 90 dagar efter etableringsuppdraget",
        definition="Andel av de nyanlända som lämnat Arbetsförmedlingens etableringsuppdrag som "
        "har arbete eller studerar 90 dagar efteråt, per kommun och kön.",
        unit="procent",
        source_kind="kolada",
        source_id="N00973",
        direction=Direction.HIGHER,
        by_sex=True,
        birth_regions=["utrikes"],
        source_note="Kolada N00973 (källa Arbetsförmedlingen).",
    ),
    dict(
        code="forvarvsarbetande-flyktingar",
        area="Sysselsättning",
        title="Förvärvsarbetande flyktingar och anhöriga 20–64 år",
        definition="Andel förvärvsarbetande bland flyktingar och deras anhöriga 20–64 år som "
        "är folkbokförda i kommunen, per kön.",
        unit="procent",
        source_kind="kolada",
        source_id="N00700",
        direction=Direction.HIGHER,
        by_sex=True,
        birth_regions=["utrikes"],
        source_note="Kolada N00700 (källa SCB).",
    ),
    # Education
    dict(
        code="behorighet-gymnasiet",
        area="Utbildning",
        title="Elever i åk 9 behöriga till gymnasiets yrkesprogram",
        definition="Andel elever i årskurs 9 som är behöriga till ett yrkesprogram, per kommun, "
        "kön och bakgrund (svensk/utländsk, nyinvandrade); Jämtland Härjedalen följer upp "
        "betygen i åk 9 (KSL 2016).",
        unit="procent",
        source_kind="own",
        direction=Direction.HIGHER,
        by_sex=True,
        birth_regions=["sverige", "utrikes"],
        source_note="Skolverkets statistik över slutbetyg i årskurs 9 efter bakgrund (import som "
        "CSV/XLSX); per kommun och kön även i Kolada, se betyg-ak9-alla-amnen.",
    ),
    dict(
        code="betyg-ak9-alla-amnen",
        area="Utbildning",
        title="Elever i åk 9 som uppnått betygskriterierna i alla ämnen",
        definition="Andel elever i årskurs 9 som fått godkänt betyg (lägst E) i alla ämnen, "
        "per kommun (elevernas hemkommun) och kön.",
        unit="procent",
        source_kind="kolada",
        source_id="N15508",
        direction=Direction.HIGHER,
        by_sex=True,
        source_note="Kolada N15508 (källa Skolverket).",
    ),
    dict(
        code="sfi-klarat-tva-kurser",
        area="Utbildning",
        title="Elever på sfi som klarat minst två kurser, av nybörjare två år tidigare",
        definition="Andel av nybörjarna i svenska för invandrare (sfi) som två år senare har "
        "klarat minst två kurser på sin studieväg, per kommun och kön.",
        unit="procent",
        source_kind="kolada",
        direction=Direction.HIGHER,
        by_sex=True,
        birth_regions=["utrikes"],
        source_note="Kolada, nyckeltalet \u201dElever på sfi som klarat minst två kurser, av "
        "nybörjare två år tidigare, andel (%)\u201d (källa SCB). KPI-id ej bekräftat: slå upp "
        "det med GET /v3/kpi?title=sfi och för in det här innan hämtning.",
    ),
    dict(
        code="tidiga-avhoppare",
        area="Utbildning",
        title="Unga 18–24 år som lämnat skolan i förtid",
        definition="Andel 18–24 år med högst förgymnasial utbildning som inte studerar, per "
        "kön och födelseland.",
        unit="procent",
        source_kind="eurostat",
        source_id="edat_lfse_02",
        direction=Direction.LOWER,
        by_sex=True,
        age_bands=["18-24"],
        birth_regions=BIRTH,
        source_note=f"Eurostat edat_lfse_02. {ZARAGOZA}.",
    ),
    dict(
        code="eftergymnasial-utbildning",
        area="Utbildning",
        title="Befolkning med eftergymnasial utbildning",
        definition="Andel av befolkningen 25–64 år med eftergymnasial utbildning (ISCED 5–8), "
        "per kön och födelseland.",
        unit="procent",
        source_kind="eurostat",
        source_id="edat_lfs_9912",
        direction=Direction.HIGHER,
        by_sex=True,
        age_bands=["25-64"],
        birth_regions=BIRTH,
        source_note=f"Eurostat edat_lfs_9912; svensk källa SCB utbildningsregistret. {ZARAGOZA}.",
    ),
    # Social inclusion
    dict(
        code="risk-for-fattigdom",
        area="Social inkludering",
        title="Risk för fattigdom (18 år och äldre)",
        definition="Andel med disponibel inkomst under 60 % av medianen, per födelseland.",
        unit="procent",
        source_kind="eurostat",
        source_id="ilc_li32",
        direction=Direction.LOWER,
        birth_regions=BIRTH,
        source_note=f"Eurostat ilc_li32 (EU-SILC). {ZARAGOZA}.",
    ),
    dict(
        code="medellivslangd",
        area="Social inkludering",
        title="Medellivslängd",
        definition="Förväntad återstående livslängd vid födseln, i år. Skillnader mellan "
        "stadsdelar visar socioekonomiska klyftor (Tillväxtverket 2015, avsnitt 2.1.5).",
        unit="år",
        source_kind="own",
        direction=Direction.HIGHER,
        by_sex=True,
        source_note="SCB:s befolkningsstatistik; stadsdelsvärden ur regionernas redovisningar.",
    ),
    dict(
        code="folkmangd",
        area="Befolkning",
        title="Folkmängd",
        definition="Antal folkbokförda invånare vid årets slut.",
        unit="antal",
        source_kind="scb",
        direction=Direction.NEUTRAL,
        by_sex=True,
        source_note="SCB, befolkningsstatistik (BE0101).",
    ),
    dict(
        code="folkmangd-manad",
        area="Befolkning",
        title="Folkmängd per månad efter ålder och kön",
        definition="Folkmängden per månad efter region, ålder (10-årsklasser) och kön.",
        unit="antal",
        source_kind="scb",
        source_id="TAB6471",
        direction=Direction.NEUTRAL,
        by_sex=True,
        age_bands=[
            "0-9",
            "10-19",
            "20-29",
            "30-39",
            "40-49",
            "50-59",
            "60-69",
            "70-79",
            "80-89",
            "90-99",
            "100+10",
        ],
        source_note="SCB Statistikdatabasen, tabell TAB6471 (PxWeb API v2), CC0.",
    ),
    # Active citizenship
    dict(
        code="medborgarskap",
        area="Aktivt medborgarskap",
        title="Förvärv av svenskt medborgarskap",
        definition="Antal personer som förvärvat svenskt medborgarskap under året, per kön.",
        unit="antal",
        source_kind="eurostat",
        source_id="migr_acq",
        direction=Direction.NEUTRAL,
        by_sex=True,
        source_note=f"Eurostat migr_acq; svensk källa SCB/Migrationsverket. {ZARAGOZA}.",
    ),
    dict(
        code="valdeltagande",
        area="Aktivt medborgarskap",
        title="Valdeltagande i senaste kommunvalet",
        definition="Antal avgivna röster (giltiga och ogiltiga) i senaste valet till "
        "kommunfullmäktige delat med antal röstberättigade; Jämtland Härjedalen följer "
        "valdeltagandet (KSL 2016). Efter födelseland finns det i SCB:s demokratistatistik.",
        unit="procent",
        source_kind="kolada",
        source_id="N05401",
        direction=Direction.HIGHER,
        source_note="Kolada N05401 (källa Valmyndigheten och SCB). Deltagande i minst ett av "
        "de allmänna valen: N05400.",
    ),
]


def indicators_load_reference() -> int:
    """Create or update the shared catalogue (no owner, public)."""
    count = 0
    for fields in CATALOGUE:
        values = dict(fields)
        code = values.pop("code")
        Indicator.objects.update_or_create(code=code, owner=None, defaults=values)
        count += 1
    return count


# Figures quoted in the reports (seeds). 002: "Integrationsstrategier" (KSL), fact boxes per
# example; 001: Tillväxtverket, Delrapport 2015-04-30, section 2.1.5.
SEED_002 = cite("002", "faktarutan för respektive kommun/region")
# KSL's report, "Arbetssätt": "Den kommunala statistiken kommer från Ekonomifakta och den
# regionala statistiken från Regionfakta om inget annat anges." Each observation cites its own
# source: the municipal figures Ekonomifakta, the regional one Regionfakta (not Eurostat).
KSL_2016 = "KSL (Kommunerna i Stockholms län) 2016, Inspiration för integration, faktaruta"
OBSERVATION_SOURCES: dict[str, str] = {
    "0662": f"Ekonomifakta (www.ekonomifakta.se), enligt {KSL_2016} Gislaved",
    "0127": f"Ekonomifakta (www.ekonomifakta.se), enligt {KSL_2016} Botkyrka",
    "0115": f"Ekonomifakta (www.ekonomifakta.se), enligt {KSL_2016} Vallentuna",
    "23": f"Regionfakta (www.regionfakta.com), enligt {KSL_2016} Region Jämtland Härjedalen",
    "omr-varby-gard": "Länsstyrelsen i Stockholms läns redovisning, enligt Tillväxtverket "
    "2015, Delrapport (regionernas redovisningar), avsnitt 2.1.5",
    "0162": "Länsstyrelsen i Stockholms läns redovisning, enligt Tillväxtverket 2015, "
    "Delrapport (regionernas redovisningar), avsnitt 2.1.5",
}
DEMO_RECORDS: dict[str, list[tuple[str, str, float]]] = {
    "folkmangd": [
        ("0662", "2015", 29272),
        ("0127", "2015", 89425),
        ("0115", "2015", 32380),
        ("23", "2015", 127376),
    ],
    "arbetsloshet": [
        ("0662", "2015", 8.3),
        ("0127", "2015", 11.7),
        ("0115", "2015", 2.6),
        ("23", "2015", 2.9),
    ],
    # The report (dated 2015-04-30) gives no measurement year; stored under the report year.
    "medellivslangd": [("omr-varby-gard", "2015", 79.5), ("0162", "2015", 83.7)],
}


def indicators_load_demo() -> int:
    """Demo observations: the figures from seeds 001/002 and the real SCB file TAB6471."""
    indicators_load_reference()
    count = 0
    with transaction.atomic():
        for code, rows in DEMO_RECORDS.items():
            indicator = Indicator.objects.get(code=code)
            if Observation.objects.filter(indicator=indicator).exists():
                continue
            records = [{"where": SEED_002, "area": a, "period": p, "value": v} for a, p, v in rows]
            count += records_import(
                user=tenancy.SYSTEM,
                indicator=indicator,
                records=records,
                filename="Tillväxtverket 2015 och KSL 2016",
            ).created
            for area, source in OBSERVATION_SOURCES.items():
                Observation.objects.filter(indicator=indicator, area_code=area).update(
                    source=source
                )
        monthly = Indicator.objects.get(code="folkmangd-manad")
        if not Observation.objects.filter(indicator=monthly).exists():
            with open(DATA / "TAB6471_data.json", "rb") as stream:
                datasets = datasets_read(stream, source="TAB6471", max_bytes=10**7)
            count += datasets_import(
                user=tenancy.SYSTEM, indicator=monthly, datasets=datasets, filename="SCB TAB6471"
            ).created
    return count
