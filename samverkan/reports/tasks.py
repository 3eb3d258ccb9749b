"""Background generation of report files: the task wraps the service of the same name."""

from __future__ import annotations

from typing import Any

from samverkan.core.jobs import JobContext, task


@task("reports.generate", max_attempts=2, retry_base_seconds=10)
def generate(ctx: JobContext, *, report_id: int) -> dict[str, Any]:
    from samverkan.reports.services import generated_report_run

    report = generated_report_run(report_id=report_id, progress=ctx.progress)
    return {"report_id": report.pk, "content_hash": report.content_hash, "size": report.size}
