import signal
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
        stop = {"requested": False}

        def request_stop(signum: int, frame: Any) -> None:
            # finish the job in hand, then exit (systemd/docker stop sends SIGTERM)
            stop["requested"] = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        ran = worker_loop(once=once, should_stop=lambda: stop["requested"])
        self.stdout.write(f"Ran {ran} job(s).")
