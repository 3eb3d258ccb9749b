"""Organisations as CSV/XLSX/JSON: import (all-or-nothing) and export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from samverkan.actors.models import (
    DEFAULT_SECTOR,
    RIGHTS_KINDS,
    Organisation,
    OrganisationKind,
    Sector,
    organisation_name_key,
)
from samverkan.actors.selectors import organisation_list
from samverkan.actors.services import organisation_can_verify, organisation_code_for
from samverkan.core import tenancy
from samverkan.core.exchange import (
    Column,
    Exporter,
    Importer,
    RowError,
    register_exporter,
    register_importer,
)
from samverkan.core.tables import Table
from samverkan.geo.models import County, Municipality


def choice_lookup(choices: Any) -> dict[str, str]:
    """Accept a choice by its code or its Swedish label, case-insensitively."""
    lookup = {value.lower(): value for value in choices.values}
    lookup.update({str(label).lower(): value for value, label in choices.choices})
    return lookup


@register_importer
class OrganisationImporter(Importer):
    kind = "organisations"
    label = "Organisationer"
    needs_acting_for = True  # imported organisations are stewarded by the importer's
    columns = (
        Column("name", required=True, help="Organisationens namn"),
        Column("kind", required=True, help="Typ: " + ", ".join(OrganisationKind.values)),
        Column("sector", help="Sektor: " + ", ".join(Sector.values) + " (annars efter typ)"),
        Column("county_code", help="Länskod, t.ex. 12"),
        Column("municipality_code", help="Kommunkod, t.ex. 1280"),
        Column("code", help="Unik kortkod; skapas ur namnet om den saknas"),
        Column("org_number", help="Organisationsnummer"),
        Column("description"),
        Column("website"),
    )

    def prepare(
        self, table: Table, *, user: Any, acting_for: Any
    ) -> tuple[list[Any], list[RowError]]:
        if acting_for is not None and not tenancy.can_act_for(user, acting_for.pk):
            raise PermissionDenied(_("Du kan inte registrera organisationer för %s.") % acting_for)
        if acting_for is not None and not acting_for.verified:
            raise PermissionDenied(
                _(
                    "%s är inte verifierad och kan inte registrera organisationer för andras "
                    "räkning."
                )
                % acting_for
            )
        may_register_rights_kinds = bool(user is not None and user.is_superuser)
        county_verifies: dict[int | None, bool] = {}  # rows the importer may verify, by county
        kinds, sectors = choice_lookup(OrganisationKind), choice_lookup(Sector)
        counties = {c.code: c for c in County.objects.all()}
        municipalities = {m.code: m for m in Municipality.objects.all()}
        taken_names = set(Organisation.objects.values_list("name_key", flat=True))
        taken_codes = set(Organisation.objects.values_list("code", flat=True))
        url_valid = URLValidator()
        prepared, errors = [], []
        for number, row in table.rows:
            row_errors: list[RowError] = []

            def fail(
                column: str, message: str, _errors: list[RowError] = row_errors, _n: int = number
            ) -> None:
                _errors.append(RowError(_n, column, message))

            name = row.get("name", "").strip()
            if not name:
                fail("name", _("namn saknas"))
            elif len(name) > 200:
                fail("name", _("namnet är längre än 200 tecken (%d)") % len(name))
            elif organisation_name_key(name) in taken_names:
                fail("name", _("det finns redan en organisation som heter ”%s”") % name)
            kind = kinds.get(row.get("kind", "").strip().lower())
            if kind is None:
                fail(
                    "kind",
                    _("okänd typ ”%(value)s” (tillåtna: %(allowed)s)")
                    % {"value": row.get("kind", ""), "allowed": ", ".join(OrganisationKind.values)},
                )
            elif kind in RIGHTS_KINDS and not may_register_rights_kinds:
                fail(
                    "kind",
                    _(
                        "typen ”%s” finns redan i referensdata och importeras bara av en "
                        "systemadministratör"
                    )
                    % OrganisationKind(kind).label,
                )
            sector_raw = row.get("sector", "").strip()
            sector = (
                sectors.get(sector_raw.lower())
                if sector_raw
                else DEFAULT_SECTOR.get(OrganisationKind(kind))
                if kind
                else None
            )
            if sector_raw and sector is None:
                fail(
                    "sector",
                    _("okänd sektor ”%(value)s” (tillåtna: %(allowed)s)")
                    % {"value": sector_raw, "allowed": ", ".join(Sector.values)},
                )
            county = municipality = None
            county_code = row.get("county_code", "").strip()
            if county_code:
                county = counties.get(county_code.zfill(2))
                if county is None:
                    fail("county_code", _("okänd länskod ”%s”") % county_code)
            municipality_code = row.get("municipality_code", "").strip()
            if municipality_code:
                municipality = municipalities.get(municipality_code.zfill(4))
                if municipality is None:
                    fail("municipality_code", _("okänd kommunkod ”%s”") % municipality_code)
                elif county is not None and municipality.county_id != county.pk:
                    fail(
                        "municipality_code",
                        _("kommun %(m)s ligger inte i län %(c)s")
                        % {"m": municipality_code, "c": county_code},
                    )
                else:
                    county = municipality.county
            code = row.get("code", "").strip().lower()
            if code:
                if code in taken_codes:
                    fail("code", _("koden ”%s” används redan") % code)
                elif len(code) > 60 or not code.replace("-", "").replace("_", "").isalnum():
                    fail("code", _("koden får bara innehålla a–z, 0–9, - och _ (högst 60 tecken)"))
            website = row.get("website", "").strip()
            if website:
                try:
                    url_valid(website)
                except ValidationError:
                    fail("website", _("ogiltig webbadress ”%s”") % website)
            if row_errors:
                errors.extend(row_errors)
                continue
            assert kind is not None and sector is not None  # narrowing; row checked  # nosec B101
            code = code or organisation_code_for(name, taken=taken_codes)
            taken_codes.add(code)
            taken_names.add(organisation_name_key(name))
            organisation = Organisation(
                name_key=organisation_name_key(name),
                name=name,
                code=code,
                kind=kind,
                sector=sector,
                county=county,
                municipality=municipality,
                org_number=row.get("org_number", "").strip(),
                description=row.get("description", "").strip(),
                website=website,
                steward=acting_for,
                source=_("Import från %s") % table.filename,
            )
            if county_verifies.get(organisation.county_id) is None:  # one check per county
                county_verifies[organisation.county_id] = organisation_can_verify(
                    user=user, organisation=organisation
                )
            if county_verifies[organisation.county_id]:
                organisation.verified, organisation.verified_at = True, timezone.now()
            prepared.append(organisation)
        return prepared, errors

    def write(self, prepared: list[Any], *, user: Any, acting_for: Any) -> tuple[int, int]:
        created = bulk_create_with_history(
            prepared,
            Organisation,
            default_user=tenancy.db_user(user),
            default_change_reason="import",
        )
        return len(created), 0


def organisation_record(org: Organisation) -> dict[str, Any]:
    return {
        "name": org.name,
        "code": org.code,
        "kind": org.kind,
        "sector": org.sector,
        "county_code": org.county.code if org.county else "",
        "municipality_code": org.municipality.code if org.municipality else "",
        "org_number": org.org_number,
        "description": org.description,
        "website": org.website,
    }


@register_exporter
class OrganisationExporter(Exporter):
    kind = "organisations"
    label = "Organisationer"
    columns = (
        "name",
        "code",
        "kind",
        "sector",
        "county_code",
        "municipality_code",
        "org_number",
        "description",
        "website",
    )

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        organisations = organisation_list(
            user=user,
            county_code=options.get("county") or "",
            kind=options.get("kind") or "",
        )
        for org in organisations.iterator(chunk_size=2000):
            yield organisation_record(org)
