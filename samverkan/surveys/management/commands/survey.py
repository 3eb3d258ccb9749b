"""`samverkan survey import-xlsform|import-responses|compile|send` for administrators."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.surveys import selectors, services
from samverkan.surveys.models import Campaign
from samverkan.surveys.xlsform import XLSFormError


def _file(path: Path) -> bytes:
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    return path.read_bytes()


def _campaign(value: str) -> Campaign:
    campaign = Campaign.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if campaign is None:
        raise CommandError(f"No campaign (survey) with id {value!r}.")
    return campaign


class Command(BaseCommand):
    help = "Surveys: import an XLSForm, import responses from CSV, compile a campaign."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-xlsform", help="Create a questionnaire; prints its id.")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--owner", default="integrationsverket", help="Code of the owning organisation."
        )
        resp = sub.add_parser(
            "import-responses", help="Store responses: column respondent, then one per question."
        )
        resp.add_argument("survey", help="Campaign id.")
        resp.add_argument("file", type=Path)
        comp = sub.add_parser("compile", help="Print the compilation of a campaign.")
        comp.add_argument("survey", help="Campaign id.")
        comp.add_argument("--format", choices=["json", "md", "xlsx"], default="json")
        comp.add_argument("--output", type=Path, help="File to write (required for xlsx).")
        send = sub.add_parser("send", help="Queue invitations (or --reminder) for a campaign.")
        send.add_argument("survey")
        send.add_argument("--reminder", action="store_true")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _import_xlsform(self, *, file: Path, owner: str, **_: Any) -> None:
        organisation = Organisation.objects.filter(code=owner).first()
        if organisation is None:
            raise CommandError(f"--owner: no organisation with code {owner!r}")
        try:
            questionnaire = services.questionnaire_import_xlsform(
                data=_file(file), owner=organisation, user=tenancy.SYSTEM
            )
        except XLSFormError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file.name}: {error}")
            raise CommandError(f"Nothing imported: {len(exc.errors)} error(s).") from exc
        self.stdout.write(str(questionnaire.pk))

    def _import_responses(self, *, survey: str, file: Path, **_: Any) -> None:
        campaign = _campaign(survey)
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
        campaign = _campaign(survey)
        compilation = selectors.campaign_compile(campaign=campaign)
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
        count = services.campaign_send(
            campaign=_campaign(survey), user=tenancy.SYSTEM, reminder=reminder
        )
        self.stdout.write(f"Queued {count} {'reminders' if reminder else 'invitations'}.")
