"""Organisations get a ``verified`` state (red-team finding 3: anyone could register a county
board and use its rights).

Existing rows are verified when they are known to come from a trusted source, and unverified
otherwise:

* reference organisations, recognised by their reference code together with their kind and area
  (``lst-<county>`` county boards, ``region-<county>`` regions, ``kommun-<code>`` municipalities,
  and the national organisations of ``actors/data/national_organisations.csv`` as of this
  migration);
* organisations whose first version was written by a superuser or by the platform itself (no
  user: ``samverkan setup``, the demo data, command-line imports);
* organisations registered on the actor's behalf by such a verified county board of their own
  county (its editors may verify them), unless their kind carries rights.

Everything else (registered through the web form, the API or an upload by an ordinary user) is
left unverified, for a superuser or the county board to verify. A self-registered organisation
whose registering account has since been deleted has no user on its first version and is counted
as created by the platform: accounts are pseudonymised, not deleted, so this should not occur.
"""

from django.db import migrations, models
from django.utils import timezone

NATIONAL_REFERENCE_CODES = {
    "arbetsformedlingen",
    "forsakringskassan",
    "migrationsverket",
    "integrationsverket",
    "tillvaxtverket",
    "skr",
    "reglab",
    "svenska-roda-korset",
    "abf",
    "malmo-universitet",
}
RIGHTS_KINDS = {"county_board", "region", "municipality", "state_agency"}


def mark_verified(apps, schema_editor):
    Organisation = apps.get_model("actors", "Organisation")
    HistoricalOrganisation = apps.get_model("actors", "HistoricalOrganisation")
    County = apps.get_model("geo", "County")
    Municipality = apps.get_model("geo", "Municipality")
    User = apps.get_model("accounts", "User")

    county_codes = dict(County.objects.values_list("pk", "code"))
    municipality_codes = dict(Municipality.objects.values_list("pk", "code"))
    organisations = list(
        Organisation.objects.values("pk", "code", "kind", "county_id", "municipality_id")
    )

    def reference(org):
        county = county_codes.get(org["county_id"])
        if org["kind"] == "county_board":
            return county is not None and org["code"] == f"lst-{county}"
        if org["kind"] == "region":
            return county is not None and org["code"] == f"region-{county}"
        if org["kind"] == "municipality":
            municipality = municipality_codes.get(org["municipality_id"])
            return municipality is not None and org["code"] == f"kommun-{municipality}"
        return org["code"] in NATIONAL_REFERENCE_CODES

    superusers = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
    trusted_creations = {
        org_id
        for org_id, user_id in HistoricalOrganisation.objects.filter(history_type="+").values_list(
            "id", "history_user_id"
        )
        if user_id is None or user_id in superusers
    }
    verified = {
        org["pk"] for org in organisations if reference(org) or org["pk"] in trusted_creations
    }
    boards = {
        org["pk"]: org["county_id"]
        for org in organisations
        if org["pk"] in verified and org["kind"] == "county_board"
    }
    for org in Organisation.objects.filter(steward_id__in=boards).values(
        "pk", "kind", "county_id", "steward_id"
    ):
        if org["kind"] not in RIGHTS_KINDS and org["county_id"] == boards[org["steward_id"]]:
            verified.add(org["pk"])
    Organisation.objects.filter(pk__in=verified).update(verified=True, verified_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_membership_organisation_links"),
        ("actors", "0005_networks_memberships_responsibilities"),
        ("geo", "0001_counties_and_municipalities"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalorganisation",
            name="verified",
            field=models.BooleanField(
                default=False,
                help_text="Verifierad av en systemadministratör eller länsstyrelsen i "
                "organisationens län (referensdata är verifierade).",
                verbose_name="verifierad",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganisation",
            name="verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="verifierad den"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="verified",
            field=models.BooleanField(
                default=False,
                help_text="Verifierad av en systemadministratör eller länsstyrelsen i "
                "organisationens län (referensdata är verifierade).",
                verbose_name="verifierad",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="verifierad den"),
        ),
        migrations.RunPython(mark_verified, migrations.RunPython.noop),
    ]
