import os
import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Serve the application with gunicorn (production web process). "
        "Arguments after -- go to gunicorn."
    )
    requires_system_checks: list[str] = []  # gunicorn loads the application itself

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("gunicorn_args", nargs="*", help="Extra gunicorn arguments.")

    def handle(self, *args: Any, **options: Any) -> None:
        if shutil.which("gunicorn", path=os.path.dirname(sys.executable)) is None:
            raise CommandError("gunicorn is not installed in this environment")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:samverkan.gunicorn_conf",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            *options["gunicorn_args"],
            "samverkan.wsgi:application",
        ]
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 (replaces this process with gunicorn) # nosec B606
