"""Project results by sex and background (issue 22, item 9)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.projects.services import project_create, project_update


def test_project_reach_is_recorded_shown_and_checked(organisation, owner, owner_client):
    project = project_create(
        user=owner,
        owner=organisation,
        title="Språkcafé",
        participants_total=30,
        participants_women=18,
        participants_foreign_born=25,
    )
    html = owner_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Vilka nåddes?" in html and "18" in html and "okänt" in html
    with pytest.raises(ValidationError):
        project_update(project=project, user=owner, participants_men=20)


def test_project_import_and_export_carry_the_reach(organisation, owner):
    import json

    from samverkan.core.exchange import ImportRejected, data_export, data_import

    header = "titel;deltagare totalt;deltagare kvinnor;deltagare män;medel till kvinnor\n"
    data = (header + "Läxhjälp;30;18;;120 000 kr\n").encode()
    data_import(kind="projects", data=data, filename="p.csv", user=owner, acting_for=organisation)
    records = json.loads(data_export(kind="projects", fmt="json", user=owner, options={}))
    (record,) = [r for r in records if r["titel"] == "Läxhjälp"]
    assert record["deltagare kvinnor"] == 18 and record["medel till kvinnor"] == 120_000
    assert record["deltagare män"] is None  # unknown, not 0
    bad = (header + "Fel;10;8;5;\n").encode()
    with pytest.raises(ImportRejected) as rejected:
        data_import(
            kind="projects", data=bad, filename="b.csv", user=owner, acting_for=organisation
        )
    assert "deltagare kvinnor" in str(rejected.value)
