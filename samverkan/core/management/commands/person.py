import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.core.privacy import person_erase, person_export


class Command(BaseCommand):
    help = "Personal data of one person (GDPR): `person export EMAIL`, `person erase EMAIL`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Print everything held about the person as JSON.")
        export.add_argument("email")
        export.add_argument("--output", "-o", help="Write to this file instead of stdout.")
        erase = sub.add_parser(
            "erase", help="Replace the person's identity with a pseudonym everywhere."
        )
        erase.add_argument("email")
        erase.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, action: str, email: str, **options: Any) -> None:
        try:
            if action == "export":
                text = json.dumps(person_export(email=email), indent=2, ensure_ascii=False)
                if options.get("output"):
                    with open(options["output"], "w", encoding="utf-8") as handle:
                        handle.write(text + "\n")
                    self.stdout.write(f"Wrote {options['output']}.")
                else:
                    self.stdout.write(text)
                return
            if not options.get("yes") and options.get("interactive", True):
                answer = input(f"Erase {email} (cannot be undone)? Type 'yes': ")
                if answer.strip() != "yes":
                    raise CommandError("Not erased.")
            result = person_erase(email=email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Erased: user {result['user_id']} is now {result['pseudonym']}; "
            f"changed {sum(result['changed'].values())} rows."
        )
