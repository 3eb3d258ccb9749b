"""Demo: Integrationsverket's 1999 questionnaire to the 18 county boards outside the metropolitan
counties, with the yes/no answers the report gives.

Source: seeds/000_48435878549b66b9.txt, Bilaga 1 (the questionnaire) and Bilaga 2
("Redovisning av enkätsvar"): JA/NEJ lists for questions 1 and 2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.citations import cite
from samverkan.core.models import Visibility
from samverkan.surveys import services
from samverkan.surveys.models import Campaign, Questionnaire
from samverkan.surveys.selectors import organisations_by_rule

DATA = Path(__file__).resolve().parent / "data"
FORM_FILE = DATA / "enkat_lansstyrelser_1999.xlsx"
ANSWERS_FILE = DATA / "enkatsvar_lansstyrelser_1999.csv"
SOURCE = cite("000", "Bilaga 1 och Bilaga 2")
CAMPAIGN_TITLE = "Enkät till länsstyrelserna hösten 1999"


@transaction.atomic
def surveys_demo_load() -> Campaign:
    """Create the 1999 questionnaire, the campaign to 18 county boards and their answers (once)."""
    existing = Campaign.objects.filter(title=CAMPAIGN_TITLE, source=SOURCE).first()
    if existing is not None:
        return existing
    owner = Organisation.objects.get(code="integrationsverket")
    questionnaire = services.questionnaire_import_xlsform(
        data=FORM_FILE.read_bytes(), owner=owner, user=tenancy.SYSTEM, source=SOURCE
    )
    Questionnaire.objects.filter(pk=questionnaire.pk).update(visibility=Visibility.PUBLIC)
    campaign = services.campaign_create(
        user=tenancy.SYSTEM,
        questionnaire=questionnaire,
        owner=owner,
        title=CAMPAIGN_TITLE,
        deadline=date(1999, 11, 30),
        rule="Alla länsstyrelser utom storstadslänen",
        organisations=organisations_by_rule(rule="county_boards_outside_metropolitan"),
        source=SOURCE,
        visibility=Visibility.PUBLIC,
    )
    services.responses_import_csv(
        campaign=campaign,
        data=ANSWERS_FILE.read_bytes(),
        filename=ANSWERS_FILE.name,
        user=tenancy.SYSTEM,
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    return campaign
