"""`samverkan survey import-xlsform|campaign|import-responses|compile|send` for administrators.

import-xlsform prints a questionnaire id; campaign creates a campaign (utskick) of that
questionnaire to a set of organisations and prints the campaign id, which import-responses,
compile and send take."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.geo.models import County
from samverkan.surveys import selectors, services
from samverkan.surveys.models import Campaign, Questionnaire
from samverkan.surveys.xlsform import XLSFormError

# --to names for the respondent rules of the campaign form (surveys/forms.py RULES)
TO_RULES = {
    "county-boards": "county_boards",
    "county-boards-outside-metropolitan": "county_boards_outside_metropolitan",
    "municipalities": "municipalities",
    "regions": "regions",
}
TO_HELP = (
    "Who answers: county-boards (all 21), county-boards-outside-metropolitan (the 18 outside "
    "Stockholm, Västra Götaland and Skåne), regions, municipalities (all 290), "
    "municipalities:CC (those of county CC, e.g. municipalities:12), or organisation codes "
    "separated by commas (lst-10,kommun-1214)."
)


def _file(path: Path) -> bytes:
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    return path.read_bytes()


def _campaign_by_id(value: str) -> Campaign:
    campaign = Campaign.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if campaign is None:
        hint = ""
        if value.isdigit() and Questionnaire.objects.filter(pk=int(value)).exists():
            hint = (
                f" ({value} is a questionnaire: create a campaign of it with "
                f"`samverkan survey campaign {value} --to … --deadline …`, which prints its id)"
            )
        raise CommandError(f"CAMPAIGN_ID: no campaign with id {value!r}{hint}.")
    return campaign


def _questionnaire(value: str) -> Questionnaire:
    found = Questionnaire.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if found is None:
        raise CommandError(
            f"QUESTIONNAIRE_ID: no questionnaire with id {value!r} "
            "(`samverkan survey import-xlsform` prints the id of the one it creates)."
        )
    return found


def _deadline(value: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        deadline = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--deadline: {value!r} is not a date in the form YYYY-MM-DD.") from None
    today = timezone.localdate()
    if deadline < today:
        raise CommandError(
            f"--deadline: {value} is in the past (today is {today.isoformat()}); "
            "the personal links would not work."
        )
    return deadline


def _recipients(value: str) -> tuple[list[Organisation], str]:
    """The organisations ``--to`` names, and the rule as the campaign page shows it."""
    from samverkan.surveys.forms import RULES

    labels = {key: str(label) for key, label in RULES}
    to = value.strip()
    if to in TO_RULES:
        rule = TO_RULES[to]
        found = selectors.organisations_by_rule(rule=rule)
        text = labels[rule] if rule != "municipalities" else "Alla kommuner"
    elif to.startswith("municipalities:"):
        code = to.partition(":")[2].strip()
        county = County.objects.filter(code=code).first()
        if county is None:
            raise CommandError(
                f"--to: no county with code {code!r} (two digits, e.g. municipalities:12)."
            )
        found = selectors.organisations_by_rule(rule="municipalities", county_code=code)
        text = f"Alla kommuner i {county.name}"
    elif "," in to or re.fullmatch(r"[\w.\-]+", to):
        codes = list(dict.fromkeys(c.strip() for c in to.split(",") if c.strip()))
        by_code = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in by_code]
        if unknown:
            raise CommandError(
                f"--to: no organisation with the code(s) {', '.join(unknown)} "
                f"(rules are {', '.join(TO_RULES)} and municipalities:CC)."
            )
        found = sorted(by_code.values(), key=lambda o: selectors.swedish_key(o.name))
        text = labels["manual"]
    else:
        raise CommandError(f"--to: {value!r} is neither a rule nor a list of codes. {TO_HELP}")
    if not found:
        raise CommandError(
            f"--to: {to} matches no verified organisation (are the reference organisations "
            "loaded? `samverkan setup` loads them)."
        )
    return found, text


class Command(BaseCommand):
    help = "Surveys: import an XLSForm, import responses from CSV, compile a campaign."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-xlsform", help="Create a questionnaire; prints its id.")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--owner", default="integrationsverket", help="Code of the owning organisation."
        )
        camp = sub.add_parser(
            "campaign",
            help="Create a campaign (utskick) of a questionnaire; prints the campaign id.",
        )
        camp.add_argument("questionnaire", metavar="QUESTIONNAIRE_ID")
        camp.add_argument("--to", required=True, help=TO_HELP)
        camp.add_argument("--deadline", required=True, help="Last day to answer, YYYY-MM-DD.")
        camp.add_argument("--title", help="Default: the questionnaire's title.")
        camp.add_argument(
            "--owner", help="Code of the owning organisation. Default: the questionnaire's owner."
        )
        camp.add_argument("--message", default="", help="Text of the invitation e-mail.")
        camp.add_argument(
            "--grace-days",
            type=int,
            default=0,
            help="Days after the deadline the links keep working (0-365).",
        )
        resp = sub.add_parser(
            "import-responses", help="Store responses: column respondent, then one per question."
        )
        resp.add_argument("survey", metavar="CAMPAIGN_ID", help="Printed by `survey campaign`.")
        resp.add_argument("file", type=Path)
        comp = sub.add_parser("compile", help="Print the compilation of a campaign.")
        comp.add_argument("survey", metavar="CAMPAIGN_ID", help="Printed by `survey campaign`.")
        comp.add_argument("--format", choices=["json", "md", "xlsx"], default="json")
        comp.add_argument("--output", type=Path, help="File to write (required for xlsx).")
        send = sub.add_parser("send", help="Queue invitations (or --reminder) for a campaign.")
        send.add_argument("survey", metavar="CAMPAIGN_ID")
        send.add_argument("--reminder", action="store_true")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _import_xlsform(self, *, file: Path, owner: str, **_: Any) -> None:
        organisation = Organisation.objects.filter(code=owner).first()
        if organisation is None:
            raise CommandError(f"--owner: no organisation with code {owner!r}")
        try:
            imported = services.xlsform_import(
                data=_file(file), owner=organisation, user=tenancy.SYSTEM
            )
        except XLSFormError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file.name}: {error}")
            raise CommandError(f"Nothing imported: {len(exc.errors)} error(s).") from exc
        # the id alone on stdout (scripts read it); what was ignored goes to stderr
        for warning in imported.warnings:
            self.stderr.write(f"{file.name}: warning: {warning}")
        self.stdout.write(str(imported.questionnaire.pk))

    def _campaign(
        self,
        *,
        questionnaire: str,
        to: str,
        deadline: str,
        title: str | None,
        owner: str | None,
        message: str,
        grace_days: int,
        **_: Any,
    ) -> None:
        found = _questionnaire(questionnaire)
        day = _deadline(deadline)
        organisation = found.owner
        if owner is not None:
            chosen = Organisation.objects.filter(code=owner).first()
            if chosen is None:
                raise CommandError(f"--owner: no organisation with code {owner!r}.")
            organisation = chosen
        organisations, rule = _recipients(to)
        arguments = {"title": "--title", "message": "--message", "grace_days": "--grace-days"}
        try:
            campaign = services.campaign_create(
                user=tenancy.SYSTEM,
                questionnaire=found,
                owner=organisation,
                title=found.title if title is None else title,
                deadline=day,
                organisations=organisations,
                rule=rule,
                message=message,
                grace_days=grace_days,
            )
        except ValidationError as exc:
            problems = (
                [f"{arguments.get(k, k)}: {' '.join(v)}" for k, v in exc.message_dict.items()]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise CommandError("No campaign created: " + " ".join(problems)) from exc
        self.stderr.write(
            f"Campaign {campaign.pk} “{campaign.title}”: {len(organisations)} recipients "
            f"({rule}), deadline {day.isoformat()}."
        )
        self.stdout.write(str(campaign.pk))

    def _import_responses(self, *, survey: str, file: Path, **_: Any) -> None:
        campaign = _campaign_by_id(survey)
        try:
            result = services.responses_import_csv(
                campaign=campaign, data=_file(file), filename=file.name, user=tenancy.SYSTEM
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(f"{file.name}: {message}")
            raise CommandError(f"Nothing imported: {len(exc.messages)} error(s).") from exc
        for warning in result.warnings:
            self.stderr.write(f"warning: {file.name}: {warning}")
        self.stdout.write(
            f"Stored {result.stored} responses to {campaign} ({len(result.warnings)} warning(s))."
        )

    def _compile(self, *, survey: str, format: str, output: Path | None, **_: Any) -> None:
        campaign = _campaign_by_id(survey)
        # JSON names each respondent {"code", "name"}; Markdown and XLSX use the short names
        compilation = selectors.campaign_compile(campaign=campaign, named=format == "json")
        if format == "xlsx":
            data = selectors.compilation_xlsx(campaign=campaign, compilation=compilation)
            if output is None:
                sys.stdout.buffer.write(data)
                return
            output.write_bytes(data)
            self.stdout.write(f"Wrote {output}")
            return
        if format == "md":
            text = selectors.compilation_markdown(compilation)
        else:
            for question in compilation["questions"]:
                question.pop("labels", None)
            text = json.dumps(compilation, ensure_ascii=False, indent=2) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _send(self, *, survey: str, reminder: bool, **_: Any) -> None:
        result = services.campaign_send(
            campaign=_campaign_by_id(survey), user=tenancy.SYSTEM, reminder=reminder
        )
        kind = "reminders" if reminder else "invitations"
        self.stdout.write(f"Queued {result.queued} {kind}.")
        if result.missing_email:
            self.stdout.write(
                f"{len(result.missing_email)} recipients have no e-mail address: "
                + ", ".join(result.missing_email)
            )
