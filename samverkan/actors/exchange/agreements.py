"""Export of agreements and of meetings (`samverkan export agreements|meetings`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from samverkan.actors import selectors
from samverkan.core.exchange import Exporter, register_exporter

AGREEMENT_COLUMNS = (
    "slug",
    "name",
    "kind",
    "county_code",
    "municipality_code",
    "responsible",
    "responsible_note",
    "start",
    "end",
    "period_note",
    "parties",
    "principles",
    "network_slug",
    "meetings",
    "attendance_counted",
    "illustrative",
    "source",
)
MEETING_COLUMNS = (
    "network_slug",
    "agreement_slug",
    "date",
    "place",
    "topic",
    "arrangers",
    "attendance_public",
    "attendance_civil_society",
    "attendance_private",
    "attendance_academia",
    "attendance_total",
    "attendance_approximate",
    "attendance_note",
    "source",
)
PARTY_COLUMNS = ("agreement_slug", "organisation_code", "name", "role", "note", "source")


def _agreements(user: Any, options: dict[str, Any]) -> Iterable[Any]:
    county = str(options.get("county") or "")
    agreements = selectors.agreement_list(user=user, county_code=county.zfill(2) if county else "")
    return agreements.prefetch_related("parties__organisation", "principles").select_related(
        "network"
    )


@register_exporter
class AgreementExporter(Exporter):
    """Agreements with their parties, principles and the meetings held under them."""

    kind = "agreements"
    label = "Överenskommelser"
    columns = AGREEMENT_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        for agreement in _agreements(user, options):
            meetings = selectors.agreement_meetings(user=user, agreement=agreement)
            yield selectors.agreement_record(agreement, meetings=meetings)

    def sheets(self, *, user: Any, options: dict[str, Any]) -> list[Any]:
        agreements = list(_agreements(user, options))
        parties = [
            {
                "agreement_slug": a.slug,
                "organisation_code": p.organisation.code if p.organisation else "",
                "name": p.display_name,
                "role": p.role,
                "note": p.note,
                "source": p.source,
            }
            for a in agreements
            for p in a.parties.all()
        ]
        return [
            ("Överenskommelser", AGREEMENT_COLUMNS, self.rows(user=user, options=options)),
            ("Parter", PARTY_COLUMNS, parties),
        ]

    def json_records(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        for agreement in _agreements(user, options):
            yield self.record(agreement, user=user)

    def record(self, agreement: Any, *, user: Any) -> dict[str, Any]:
        """One agreement with its parties, principles and meetings (JSON and the API)."""
        meetings = selectors.agreement_meetings(user=user, agreement=agreement)
        record = selectors.agreement_record(agreement, meetings=meetings)
        record["parties"] = [
            {
                "organisation_code": p.organisation.code if p.organisation else "",
                "name": p.display_name,
                "role": p.role,
                "note": p.note,
                "source": p.source,
            }
            for p in agreement.parties.all()
        ]
        record["principles"] = [p.name for p in agreement.principles.all()]
        record["meetings"] = [selectors.meeting_record(m) for m in meetings]
        return record


@register_exporter
class MeetingExporter(Exporter):
    """Meetings and conferences with attendance by sector; unknown counts are empty."""

    kind = "meetings"
    label = "Möten och konferenser"
    columns = MEETING_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        county = str(options.get("county") or "")
        meetings = selectors.meeting_list(user=user, county_code=county.zfill(2) if county else "")
        readable = set(selectors.agreement_list(user=user).values_list("pk", flat=True))
        for meeting in meetings.select_related("network__agreement"):
            record = selectors.meeting_record(meeting)
            agreement = getattr(meeting.network, "agreement", None)
            if agreement is not None and agreement.pk not in readable:
                record["agreement_slug"] = ""  # an agreement the user may not read stays unnamed
            yield record
