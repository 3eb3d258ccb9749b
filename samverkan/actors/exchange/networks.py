"""Import and export of networks and their members (CSV, XLSX, JSON), the county overview and the
Popolo export."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from samverkan.actors import selectors
from samverkan.actors.exchange.organisations import choice_lookup
from samverkan.actors.models import (
    Network,
    NetworkKind,
    NetworkMembership,
    NetworkRole,
    Organisation,
    Scope,
    Theme,
)
from samverkan.actors.services import (
    membership_check_area,
    membership_owner_for,
    network_slug_for,
)
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

Prepared = tuple[list[Any], list[RowError]]


def _date(value: str) -> datetime.date | None:
    value = value.strip()
    return datetime.date.fromisoformat(value[:10]) if value else None


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.replace(",", ";").split(";") if c.strip()]


class _Rows:
    """Collects one row's errors."""

    def __init__(self, number: int, errors: list[RowError]):
        self.number, self.errors, self.failed = number, errors, False

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))
        self.failed = True

    def date(self, row: dict[str, str], column: str) -> datetime.date | None:
        try:
            return _date(row.get(column, ""))
        except ValueError:
            self.fail(column, _("ogiltigt datum ”%s” (ÅÅÅÅ-MM-DD)") % row.get(column, ""))
            return None

    def dates(self, row: dict[str, str]) -> tuple[datetime.date | None, datetime.date | None]:
        start, end = self.date(row, "start_date"), self.date(row, "end_date")
        if start and end and end < start:
            self.fail("end_date", _("slutdatum är före startdatum"))
        return start, end


@register_importer
class NetworkImporter(Importer):
    kind = "networks"
    label = "Nätverk"
    columns = (
        Column("name", required=True, help="Nätverkets namn"),
        Column("kind", required=True, help="Typ: " + ", ".join(NetworkKind.values)),
        Column("scope", required=True, help="Nivå: " + ", ".join(Scope.values)),
        Column("county_code", help="Länskod (nivå län)"),
        Column("municipality_code", help="Kommunkod (nivå kommun)"),
        Column("convener_code", help="Sammankallande organisations kod"),
        Column("themes", help="Temakoder åtskilda med semikolon"),
        Column("purpose"),
        Column("start_date", help="ÅÅÅÅ-MM-DD"),
        Column("end_date", help="ÅÅÅÅ-MM-DD"),
        Column("parent_slug", help="Kod för överordnat nätverk (finns redan eller i filen)"),
        Column("slug", help="Unik kod; skapas ur namnet om den saknas"),
        Column("source"),
    )

    def prepare(self, table: Table, *, user: Any, acting_for: Any) -> Prepared:
        kinds, scopes = choice_lookup(NetworkKind), choice_lookup(Scope)
        counties = {c.code: c for c in County.objects.all()}
        municipalities = {m.code: m for m in Municipality.objects.all()}
        themes = {t.code: t for t in Theme.objects.all()}
        taken = set(Network.objects.values_list("slug", flat=True))
        in_file: set[str] = set()
        prepared: list[dict[str, Any]] = []
        errors: list[RowError] = []
        for number, row in table.rows:
            check = _Rows(number, errors)
            name = row.get("name", "").strip()
            if not name or len(name) > 200:
                check.fail("name", _("namn saknas eller är längre än 200 tecken"))
            kind = kinds.get(row.get("kind", "").strip().lower())
            if kind is None:
                check.fail(
                    "kind",
                    _("okänd typ ”%(v)s” (tillåtna: %(a)s)")
                    % {"v": row.get("kind", ""), "a": ", ".join(NetworkKind.values)},
                )
            scope = scopes.get(row.get("scope", "").strip().lower())
            if scope is None:
                check.fail(
                    "scope",
                    _("okänd nivå ”%(v)s” (tillåtna: %(a)s)")
                    % {"v": row.get("scope", ""), "a": ", ".join(Scope.values)},
                )
            county = municipality = None
            if row.get("county_code", "").strip():
                county = counties.get(row["county_code"].strip().zfill(2))
                if county is None:
                    check.fail("county_code", _("okänd länskod ”%s”") % row["county_code"])
            if row.get("municipality_code", "").strip():
                municipality = municipalities.get(row["municipality_code"].strip().zfill(4))
                if municipality is None:
                    check.fail(
                        "municipality_code", _("okänd kommunkod ”%s”") % row["municipality_code"]
                    )
                else:
                    county = municipality.county
            if scope == Scope.COUNTY and county is None and not check.failed:
                check.fail("county_code", _("ett nätverk på länsnivå behöver en länskod"))
            if scope == Scope.MUNICIPALITY and municipality is None and not check.failed:
                check.fail("municipality_code", _("ett nätverk på kommunnivå behöver en kommunkod"))
            convener = None
            if row.get("convener_code", "").strip():
                convener = Organisation.objects.filter(code=row["convener_code"].strip()).first()
                if convener is None:
                    check.fail("convener_code", _("okänd organisation ”%s”") % row["convener_code"])
            owner = acting_for or convener
            if owner is None:
                check.fail(
                    "convener_code",
                    _("ange sammankallande organisation eller importera för en organisation"),
                )
            elif not tenancy.can_act_for(user, owner.pk):
                check.fail("convener_code", _("du kan inte registrera nätverk för %s") % owner)
            theme_codes = _codes(row.get("themes", ""))
            unknown = [c for c in theme_codes if c not in themes]
            if unknown:
                check.fail(
                    "themes",
                    _("okända teman: %(t)s (tillåtna: %(a)s)")
                    % {"t": ", ".join(unknown), "a": ", ".join(themes)},
                )
            start, end = check.dates(row)
            slug = row.get("slug", "").strip().lower()
            if slug and (slug in taken or slug in in_file):
                check.fail("slug", _("koden ”%s” används redan") % slug)
            parent_slug = row.get("parent_slug", "").strip()
            if parent_slug and parent_slug not in taken and parent_slug not in in_file:
                check.fail("parent_slug", _("okänt överordnat nätverk ”%s”") % parent_slug)
            if check.failed:
                continue
            slug = slug or network_slug_for(name)
            while slug in in_file:
                slug += "-2"
            in_file.add(slug)
            prepared.append(
                dict(
                    network=Network(
                        name=name,
                        slug=slug,
                        kind=str(kind),
                        scope=str(scope),
                        county=county,
                        municipality=municipality,
                        convener=convener or owner,
                        owner=owner,
                        purpose=row.get("purpose", "").strip(),
                        start_date=start,
                        end_date=end,
                        source=row.get("source", "").strip()
                        or _("Import från %s") % table.filename,
                    ),
                    themes=[themes[c] for c in theme_codes],
                    parent_slug=parent_slug,
                )
            )
        return prepared, errors

    def write(self, prepared: list[Any], *, user: Any, acting_for: Any) -> tuple[int, int]:
        by_slug = {}
        for item in prepared:
            network = item["network"]
            network.save()
            network.themes.set(item["themes"])
            by_slug[network.slug] = network
        for item in prepared:
            if item["parent_slug"]:
                network = item["network"]
                network.parent = by_slug.get(item["parent_slug"]) or Network.objects.get(
                    slug=item["parent_slug"]
                )
                network.save(update_fields=["parent"])
        return len(prepared), 0


@register_importer
class NetworkMembershipImporter(Importer):
    kind = "network-memberships"
    label = "Medlemskap i nätverk"
    columns = (
        Column("network_slug", required=True, help="Nätverkets kod"),
        Column("organisation_code", required=True, help="Medlemsorganisationens kod"),
        Column("roles", help="Rollkoder åtskilda med semikolon"),
        Column("start_date", help="ÅÅÅÅ-MM-DD"),
        Column("end_date", help="ÅÅÅÅ-MM-DD"),
        Column("note"),
        Column("source"),
    )

    def prepare(self, table: Table, *, user: Any, acting_for: Any) -> Prepared:
        roles = {r.code: r for r in NetworkRole.objects.all()}
        networks = {
            n.slug: n
            for n in Network.objects.filter(
                slug__in={r.get("network_slug", "").strip() for _, r in table.rows}
            )
        }
        organisations = {
            o.code: o
            for o in Organisation.objects.filter(
                code__in={r.get("organisation_code", "").strip() for _, r in table.rows}
            )
        }
        prepared: list[dict[str, Any]] = []
        errors: list[RowError] = []
        for number, row in table.rows:
            check = _Rows(number, errors)
            network = networks.get(row.get("network_slug", "").strip())
            if network is None:
                check.fail("network_slug", _("okänt nätverk ”%s”") % row.get("network_slug", ""))
            organisation = organisations.get(row.get("organisation_code", "").strip())
            if organisation is None:
                check.fail(
                    "organisation_code",
                    _("okänd organisation ”%s”") % row.get("organisation_code", ""),
                )
            role_codes = _codes(row.get("roles", ""))
            unknown = [c for c in role_codes if c not in roles]
            if unknown:
                check.fail(
                    "roles",
                    _("roller som inte finns i vokabulären: %(r)s (tillåtna: %(a)s)")
                    % {"r": ", ".join(unknown), "a": ", ".join(roles)},
                )
            start, end = check.dates(row)
            owner = None
            if network is not None and organisation is not None:
                try:
                    membership_check_area(network=network, organisation=organisation)
                except ValidationError as exc:
                    check.fail("organisation_code", " ".join(exc.messages))
                try:
                    owner = membership_owner_for(
                        user=user, network=network, organisation=organisation
                    )
                except PermissionDenied as exc:  # name the row; nothing is stored
                    check.fail("organisation_code", str(exc))
            if check.failed:
                continue
            prepared.append(
                dict(
                    membership=NetworkMembership(
                        owner=owner,
                        network=network,
                        organisation=organisation,
                        start_date=start,
                        end_date=end,
                        note=row.get("note", "").strip()[:300],
                        source=row.get("source", "").strip()
                        or _("Import från %s") % table.filename,
                        visibility=network.visibility,  # type: ignore[union-attr]
                    ),
                    roles=[roles[c] for c in role_codes],
                )
            )
        return prepared, errors

    def write(self, prepared: list[Any], *, user: Any, acting_for: Any) -> tuple[int, int]:
        for item in prepared:
            item["membership"].save()
            item["membership"].roles.set(item["roles"])
        return len(prepared), 0


NETWORK_COLUMNS = (
    "slug",
    "name",
    "kind",
    "scope",
    "county_code",
    "municipality_code",
    "convener_code",
    "owner_code",
    "themes",
    "purpose",
    "start_date",
    "end_date",
    "parent_slug",
    "source",
)


MEMBERSHIP_COLUMNS = (
    "network_slug",
    "organisation_code",
    "organisation_name",
    "roles",
    "start_date",
    "end_date",
    "note",
    "source",
)


@register_exporter
class NetworkExporter(Exporter):
    kind = "networks"
    label = "Nätverk"
    columns = NETWORK_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        networks = selectors.network_list(user=user, county_code=options.get("county") or "")
        for network in networks.prefetch_related("themes").select_related("parent"):
            yield selectors.network_record(network)


@register_exporter
class NetworkMembershipExporter(Exporter):
    kind = "network-memberships"
    label = "Medlemskap i nätverk"
    columns = MEMBERSHIP_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        for membership in selectors.membership_list(
            user=user, county_code=options.get("county") or ""
        ):
            yield selectors.membership_record(membership)


def _county_from(options: dict[str, Any]) -> County:
    code = (options.get("args") or [options.get("county") or ""])[0]
    county = County.objects.filter(code=str(code).zfill(2)).first() if code else None
    if county is None:
        raise ValueError(
            _("Ange ett län, t.ex. `samverkan export county 12` (okänt: ”%s”).") % code
        )
    return county


@register_exporter
class CountyOverviewExporter(Exporter):
    """The county overview: organisations, networks, memberships and the matrix."""

    kind = "county"
    label = "Länsöversikt"
    columns = NETWORK_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        return selectors.county_overview(user=user, county=_county_from(options))["networks"]

    def json_records(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        return [selectors.county_overview(user=user, county=_county_from(options))]

    def sheets(self, *, user: Any, options: dict[str, Any]) -> list[Any]:
        county = _county_from(options)
        overview = selectors.county_overview(user=user, county=county)
        matrix = selectors.responsibility_matrix(user=user, county=county)
        return [
            (
                "Organisationer",
                ("code", "name", "kind", "sector", "municipality_code"),
                overview["organisations"],
            ),
            ("Nätverk", NETWORK_COLUMNS, overview["networks"]),
            ("Medlemskap", MEMBERSHIP_COLUMNS, overview["memberships"]),
            *selectors.responsibility_matrix_sheets(matrix),
        ]


@register_exporter
class PopoloExporter(Exporter):
    """Networks and memberships as one Popolo document (JSON); CSV/XLSX give the memberships."""

    kind = "popolo"
    label = "Nätverk och medlemskap (Popolo)"
    columns = MEMBERSHIP_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        return NetworkMembershipExporter().rows(user=user, options=options)

    def json_records(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        county = options.get("county") or ""
        networks = list(
            selectors.network_list(user=user, county_code=county).select_related("parent")
        )
        memberships = list(selectors.membership_list(user=user, county_code=county))
        return [selectors.networks_popolo(networks=networks, memberships=memberships)]
