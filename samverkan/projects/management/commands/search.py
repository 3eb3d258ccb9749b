import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samverkan.core import tenancy
from samverkan.projects.selectors import SearchFilters, project_search


class Command(BaseCommand):
    help = 'Search projects: samverkan search "validering" --county 12 --format json'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", default="")
        for name in ("county", "municipality", "theme", "target_group", "status", "funder"):
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, default="")
        parser.add_argument("--year", type=int)
        parser.add_argument(
            "--good-example", dest="good_example", action="store_true", default=None
        )
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--format", default="text", choices=("text", "json"))

    def handle(self, *args: Any, query: str, format: str, limit: int, **options: Any) -> None:
        filters = SearchFilters(
            query=query,
            **{
                k: options[k]
                for k in (
                    "county",
                    "municipality",
                    "theme",
                    "target_group",
                    "status",
                    "funder",
                    "year",
                    "good_example",
                )
            },
        )
        result = project_search(user=tenancy.SYSTEM, filters=filters, limit=min(limit, 1000))
        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "count": result.total,
                        "words": result.words,
                        "results": [
                            {
                                "id": h.project.pk,
                                "title": h.project.title,
                                "owner": h.project.owner.name,
                                "county": h.project.county.code if h.project.county else None,
                                "score": round(h.score, 4),
                                "snippet": h.snippet,
                            }
                            for h in result.hits
                        ],
                        "facets": {
                            k: [{"code": c, "label": label, "count": n} for c, label, n in v]
                            for k, v in result.facets.items()
                        },
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{result.total} projekt")
        for hit in result.hits:
            county = hit.project.county.code if hit.project.county else "–"
            self.stdout.write(
                f"{hit.project.pk:>7}  {hit.score:6.3f}  [{county}] {hit.project.title}"
            )
