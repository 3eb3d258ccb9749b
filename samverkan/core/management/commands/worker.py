from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samverkan.core.jobs import worker_loop


class Command(BaseCommand):
    help = "Run background jobs (imports, e-mail, reports) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run the jobs that are due, then exit."
        )

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        ran = worker_loop(once=once)
        self.stdout.write(f"Ran {ran} job(s).")
