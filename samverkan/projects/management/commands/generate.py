from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.projects.generate import projects_generate


class Command(BaseCommand):
    help = (
        "Generate synthetic records for benchmarks and demos: generate projects --count N --seed S"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["projects"])
        parser.add_argument("--count", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--county", default="", help="Only this county, e.g. 12")

    def handle(
        self, *args: Any, kind: str, count: int, seed: int, county: str, **options: Any
    ) -> None:
        if count < 1:
            raise CommandError("--count must be at least 1.")
        try:
            created = projects_generate(count=count, seed=seed, county_code=county)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created {created} projects (seed {seed}).")
