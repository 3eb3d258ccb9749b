"""Background jobs of the knowledge bank."""

from __future__ import annotations

from typing import Any

from samverkan.core.jobs import JobContext, task


@task("projects.duplicate_report", max_attempts=2, retry_base_seconds=30)
def duplicate_report(ctx: JobContext, *, report_id: int) -> dict[str, Any]:
    """A county's full duplicate report, computed as the user who asked (permissions re-read)."""
    from samverkan.projects.duplicates import duplicate_report_run

    report = duplicate_report_run(report_id=report_id, progress=ctx.progress)
    if report is None:
        return {"report_id": None}
    return {"report_id": report.pk, "pairs": report.pairs, "duplicates": report.duplicates}
