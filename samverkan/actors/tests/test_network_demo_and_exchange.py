"""Demo data from the seeds, import of networks and memberships, county export."""

import json

import pytest

from samverkan.accounts.models import Membership
from samverkan.actors.demo_networks import networks_load_demo
from samverkan.actors.models import Meeting, Network, NetworkMembership
from samverkan.actors.reference import organisations_load_reference
from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected, data_export, data_import


@pytest.fixture
def reference(db):
    organisations_load_reference()


def test_demo_networks_cite_seeds_and_load_once(reference):
    first = networks_load_demo()
    assert first.networks == 11
    assert networks_load_demo().networks == 0
    for network in Network.objects.all():
        assert "Seed" not in network.source and "(" in network.source
    boden = Meeting.objects.get(place="Boden")
    assert (
        boden.attendance_public,
        boden.attendance_civil_society,
        boden.attendance_private,
        boden.attendance,
    ) == (25, 40, 5, 70)
    styrgrupp = Network.objects.get(slug="uppsala-styrgrupp")
    assert styrgrupp.parent.slug == "integration-etablering-uppsala"


def test_county_export_json_and_xlsx(reference):
    networks_load_demo()
    data = json.loads(
        data_export(kind="county", fmt="json", user=tenancy.SYSTEM, options={"args": ["12"]})
    )
    (overview,) = data
    assert overview["county"]["code"] == "12"
    assert "partnerskap-skane" in {n["slug"] for n in overview["networks"]}
    assert "work-skills" not in overview["gaps"]
    assert "housing" in overview["gaps"]
    xlsx = data_export(
        kind="county", fmt="xlsx", user=tenancy.SYSTEM, options={"county": "12", "args": []}
    )
    assert xlsx[:2] == b"PK"
    with pytest.raises(ValueError, match="Ange ett län"):
        data_export(kind="county", fmt="json", user=tenancy.SYSTEM, options={"args": []})


def test_network_import_creates_with_parent(organisation, editor):
    csv = (
        "name,kind,scope,county_code,themes,start_date,end_date,slug,parent_slug\n"
        "Länsnätverket,network,county,12,housing;health,2020-01-01,,lansnatverket,\n"
        "Arbetsgruppen,working_group,county,12,,2021-01-01,,,lansnatverket\n"
    ).encode()
    result = data_import(
        kind="networks", data=csv, filename="n.csv", user=editor, acting_for=organisation
    )
    assert result.created == 2
    group = Network.objects.get(name="Arbetsgruppen")
    assert group.parent.slug == "lansnatverket" and group.owner == organisation
    assert set(Network.objects.get(slug="lansnatverket").themes.values_list("code", flat=True)) == {
        "housing",
        "health",
    }


def test_network_import_rejects_bad_rows_and_stores_nothing(organisation, editor):
    csv = (
        "name,kind,scope,county_code,themes,start_date,end_date\n"
        "Bra,network,county,12,,2020-01-01,\n"
        "Dåligt,club,county,99,flying,2020-01-01,2019-01-01\n"
    ).encode()
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="networks", data=csv, filename="n.csv", user=editor, acting_for=organisation
        )
    messages = {(e.row, e.column): e.message for e in exc.value.errors}
    assert set(messages) == {(3, "kind"), (3, "county_code"), (3, "themes"), (3, "end_date")}
    assert messages[(3, "end_date")] == "slutdatum är före startdatum"
    assert not Network.objects.exists()


def test_membership_import_errors(network, organisation, editor, other_organisation, reference):
    csv = (
        "network_slug,organisation_code,roles,start_date,end_date\n"
        f"{network.slug},annan-forening,coordinator,2020-01-01,\n"
        f"{network.slug},finns-inte,,,\n"
        f"{network.slug},annan-forening,kung,,\n"
        f"{network.slug},kommun-1380,,,\n"
        f"{network.slug},annan-forening,,2020-01-01,2019-01-01\n"
    ).encode()
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="network-memberships",
            data=csv,
            filename="m.csv",
            user=editor,
            acting_for=organisation,
        )
    messages = {(e.row, e.column): e.message for e in exc.value.errors}
    assert messages[(3, "organisation_code")] == "okänd organisation ”finns-inte”"
    assert messages[(4, "roles")].startswith("roller som inte finns i vokabulären: kung")
    assert "Hallands län" in messages[(5, "organisation_code")]  # network of another county
    assert messages[(6, "end_date")] == "slutdatum är före startdatum"
    assert not NetworkMembership.objects.exists()


def test_membership_import_by_outsider_is_refused(network, outsider, other_organisation):
    third = Membership.objects.get(user=outsider).organisation
    csv = (f"network_slug,organisation_code\n{network.slug},lst-test\n").encode()
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="network-memberships", data=csv, filename="m.csv", user=outsider, acting_for=third
        )
    assert exc.value.errors[0].column == "organisation_code"
    assert not NetworkMembership.objects.exists()


def test_membership_import_and_export(network, organisation, editor, other_organisation):
    csv = (
        f"network_slug,organisation_code,roles,start_date\n"
        f"{network.slug},annan-forening,coordinator;financier,2020-01-01\n"
    ).encode()
    assert (
        data_import(
            kind="network-memberships",
            data=csv,
            filename="m.csv",
            user=editor,
            acting_for=organisation,
        ).created
        == 1
    )
    rows = json.loads(
        data_export(kind="network-memberships", fmt="json", user=editor, options={"county": "12"})
    )
    assert rows[0]["roles"] == "coordinator;financier"


def test_county_export_in_browser_needs_county(client, db):
    response = client.get("/data/export/?kind=county&format=json&county=")
    assert response.status_code == 200
    assert "Ange ett län" in response.content.decode()
    response = client.get("/data/export/?kind=county&format=xlsx&county=12")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_cli_county_export(reference, tmp_path, capsysbinary):
    from django.core.management import call_command

    networks_load_demo()
    call_command("export", "county", "03", "--format", "json")
    (overview,) = json.loads(capsysbinary.readouterr().out)
    assert overview["county"]["name"] == "Uppsala län"
    assert {"uppsala-styrgrupp", "integration-etablering-uppsala"} <= {
        n["slug"] for n in overview["networks"]
    }
    target = tmp_path / "county.xlsx"
    call_command("export", "county", "03", "--format", "xlsx", "-o", str(target))
    assert target.read_bytes()[:2] == b"PK"
