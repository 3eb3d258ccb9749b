from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from samverkan.core.setup import setup_steps


class Command(BaseCommand):
    help = "Migrate the database and load reference and demo data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Load reference data only.")

    def handle(self, *args: Any, no_demo: bool = False, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        for step in setup_steps():
            if step.demo and no_demo:
                continue
            result = step.load()()
            self.stdout.write(f"{step.label}: {result}")
