"""Import and export of who answers for what: responsibility claims, network roles and mandates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from samverkan.actors.exchange.networks import Prepared, _Rows
from samverkan.actors.exchange.organisations import choice_lookup
from samverkan.actors.models import (
    NetworkRole,
    Organisation,
    Responsibility,
    ResponsibilityClaim,
    Theme,
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
from samverkan.geo.models import County


@register_importer
class ResponsibilityImporter(Importer):
    kind = "responsibilities"
    label = "Ansvar per tema (ansvarsmatris)"
    columns = (
        Column("county_code", required=True, help="Länskod, t.ex. 12"),
        Column("organisation_code", required=True, help="Organisationens kod"),
        Column("theme", required=True, help="Temakod"),
        Column("responsibility", required=True, help="Ansvar: " + ", ".join(Responsibility.values)),
        Column("note"),
        Column("source"),
    )

    def prepare(self, table: Table, *, user: Any, acting_for: Any) -> Prepared:
        counties = {c.code: c for c in County.objects.all()}
        themes = {t.code: t for t in Theme.objects.all()}
        responsibilities = choice_lookup(Responsibility)
        organisations = {
            o.code: o
            for o in Organisation.objects.filter(
                code__in={r.get("organisation_code", "").strip() for _, r in table.rows}
            )
        }
        existing = set(
            ResponsibilityClaim.objects.values_list(
                "organisation_id", "theme_id", "county_id", "responsibility"
            )
        )
        prepared: list[ResponsibilityClaim] = []
        errors: list[RowError] = []
        for number, row in table.rows:
            check = _Rows(number, errors)
            county = counties.get(row.get("county_code", "").strip().zfill(2))
            if county is None:
                check.fail("county_code", _("okänd länskod ”%s”") % row.get("county_code", ""))
            organisation = organisations.get(row.get("organisation_code", "").strip())
            if organisation is None:
                check.fail(
                    "organisation_code",
                    _("okänd organisation ”%s”") % row.get("organisation_code", ""),
                )
            elif not tenancy.can_write(user, organisation):
                check.fail("organisation_code", _("du får inte ange ansvar för %s") % organisation)
            theme = themes.get(row.get("theme", "").strip())
            if theme is None:
                check.fail(
                    "theme",
                    _("okänt tema ”%(v)s” (tillåtna: %(a)s)")
                    % {"v": row.get("theme", ""), "a": ", ".join(themes)},
                )
            responsibility = responsibilities.get(row.get("responsibility", "").strip().lower())
            if responsibility is None:
                check.fail(
                    "responsibility",
                    _("okänt ansvar ”%(v)s” (tillåtna: %(a)s)")
                    % {"v": row.get("responsibility", ""), "a": ", ".join(Responsibility.values)},
                )
            if check.failed:
                continue
            assert organisation and theme and county and responsibility  # checked  # nosec B101
            key = (organisation.pk, theme.pk, county.pk, responsibility)
            if key in existing:
                check.fail("responsibility", _("ansvaret är redan angivet"))
                continue
            existing.add(key)
            owner = organisation
            if not tenancy.can_act_for(user, organisation.pk) and organisation.steward:
                owner = organisation.steward
            prepared.append(
                ResponsibilityClaim(
                    owner=owner,
                    organisation=organisation,
                    theme=theme,
                    county=county,
                    responsibility=responsibility,
                    note=row.get("note", "").strip()[:300],
                    source=row.get("source", "").strip() or _("Import från %s") % table.filename,
                )
            )
        return prepared, errors

    def write(self, prepared: list[Any], *, user: Any, acting_for: Any) -> tuple[int, int]:
        for claim in prepared:
            claim.save()
        return len(prepared), 0


@register_exporter
class ResponsibilityExporter(Exporter):
    kind = "responsibilities"
    label = "Ansvar per tema"
    columns = (
        "county_code",
        "organisation_code",
        "organisation_name",
        "theme",
        "responsibility",
        "note",
        "source",
    )

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        claims = tenancy.readable(
            ResponsibilityClaim.objects.select_related("county", "organisation", "theme"), user
        )
        if options.get("county"):
            claims = claims.filter(county__code=options["county"])
        for claim in claims.order_by("county__code", "theme__position", "organisation__name"):
            yield {
                "county_code": claim.county.code,
                "organisation_code": claim.organisation.code,
                "organisation_name": claim.organisation.name,
                "theme": claim.theme.code,
                "responsibility": claim.responsibility,
                "note": claim.note,
                "source": claim.source,
            }


ROLE_COLUMNS = ("code", "name", "name_en", "description", "source")


@register_exporter
class RoleExporter(Exporter):
    """The role catalogue: Reglab's roles and the county boards' answers, with definitions."""

    kind = "roles"
    label = "Rollkatalog"
    columns = ROLE_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        for role in NetworkRole.objects.order_by("position", "name"):
            yield {c: getattr(role, c) for c in ROLE_COLUMNS}


MANDATE_COLUMNS = ("kind", "name", "county_code", "holder", "covers", "side_a", "side_b", "source")


@register_exporter
class MandateExporter(Exporter):
    """Mandates, and the interfaces and gaps between them (`samverkan export mandates`)."""

    kind = "mandates"
    label = "Mandat och gränsytor"
    columns = MANDATE_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        from samverkan.actors.models import Interface, Mandate

        county = str(options.get("county") or "").zfill(2) if options.get("county") else ""
        mandates = tenancy.readable(Mandate.objects.select_related("organisation", "county"), user)
        interfaces = tenancy.readable(
            Interface.objects.select_related("county", "side_a", "side_b"), user
        )
        if county:
            mandates = mandates.filter(Q(county__isnull=True) | Q(county__code=county))
            interfaces = interfaces.filter(Q(county__isnull=True) | Q(county__code=county))
        for m in mandates:
            yield {
                "kind": "mandate",
                "name": m.title,
                "county_code": m.county.code if m.county else "",
                "holder": m.organisation.code if m.organisation else m.holder_kind,
                "covers": m.covers,
                "side_a": "",
                "side_b": "",
                "source": m.source,
            }
        for i in interfaces:
            yield {
                "kind": i.kind,
                "name": i.name,
                "county_code": i.county.code if i.county else "",
                "holder": "",
                "covers": i.description,
                "side_a": i.side_a.title,
                "side_b": i.side_b.title,
                "source": i.source,
            }
