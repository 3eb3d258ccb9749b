import json
import re

import pytest
from django.core.management import CommandError, call_command

from samverkan.actors.models import Organisation

pytestmark = pytest.mark.django_db


def test_setup_is_idempotent(capsys):
    call_command("setup")
    counts = Organisation.objects.count()
    capsys.readouterr()
    call_command("setup")
    second_run = capsys.readouterr().out
    assert "Reference organisations: ReferenceLoadResult(created=0, updated=0)" in second_run
    assert not re.search(r"(created|updated)\w*=[1-9]", second_run), second_run
    assert Organisation.objects.count() == counts >= 342


def test_export_organisations_json_for_a_county(tmp_path):
    call_command("setup", "--no-demo")
    target = tmp_path / "orgs.json"
    call_command("export", "organisations", "--format", "json", "--county", "12", "-o", str(target))
    records = json.loads(target.read_text(encoding="utf-8"))
    assert len(records) == 33 + 2
    malmo = next(r for r in records if r["code"] == "kommun-1280")
    assert {
        k: malmo[k] for k in ("name", "kind", "sector", "county_code", "municipality_code")
    } == {
        "name": "Malmö stad",
        "kind": "municipality",
        "sector": "public",
        "county_code": "12",
        "municipality_code": "1280",
    }


def test_import_command_reports_row_errors_and_writes_nothing(tmp_path, capsys):
    source = tmp_path / "orgs.csv"
    source.write_text("name,kind,county_code\nOk,other,12\nFel,other,77\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported: 1 error"):
        call_command("import", "organisations", str(source))
    assert "orgs.csv: rad 3, kolumn county_code: okänd länskod ”77”" in capsys.readouterr().err
    assert not Organisation.objects.filter(name="Ok").exists()
    source.write_text("name,kind,county_code\nOk,other,12\n", encoding="utf-8")
    call_command("import", "organisations", str(source))
    assert Organisation.objects.filter(name="Ok", county__code="12").exists()


def test_every_app_registers_its_setup_steps_in_the_order_they_build_on():
    from samverkan.core.setup import setup_steps

    steps = setup_steps()
    labels = [s.label for s in steps]
    assert labels[0] == "Geography"
    assert all(not s.demo for s in steps[:4]) and all(s.demo for s in steps[4:])
    # demo users before the records they own; projects before the mapping rounds citing them
    assert labels.index("Demo users") < labels.index("Demo networks from the reports")
    assert labels.index("Demo projects from the reports") < labels.index(
        "Demo mapping rounds 1999 (Integrationsverket 2000)"
    )
    assert all(callable(s.load()) for s in steps)
