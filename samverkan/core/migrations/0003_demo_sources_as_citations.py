"""Source notes written as "Seed 003_….txt (…)" or with a code path become report citations.

Earlier demo loads (``samverkan setup``) stored the file names of the reports they were read
from; this rewrites them in existing databases the way the loaders now write them.
"""

import re

from django.db import migrations

from samverkan.core.citations import citation_from_legacy

FIELDS = [
    ("actors", "Organisation", ("source",)),
    ("actors", "Theme", ("source",)),
    ("actors", "TargetGroup", ("source",)),
    ("actors", "NetworkRole", ("source",)),
    ("actors", "Network", ("source",)),
    ("actors", "Meeting", ("source",)),
    ("actors", "NetworkMembership", ("source",)),
    ("actors", "ResponsibilityClaim", ("source",)),
    ("funding", "Call", ("source",)),
    ("funding", "Application", ("source",)),
    ("indicators", "Indicator", ("definition", "source_note")),
    ("indicators", "Observation", ("source",)),
    ("plans", "Strategy", ("source",)),
    ("plans", "Goal", ("measure",)),
    ("plans", "ActionPlan", ("note",)),
    ("plans", "Activity", ("status_reason", "impact_note")),
    ("plans", "Consultation", ("source",)),
    ("projects", "Project", ("source",)),
    ("surveys", "Questionnaire", ("source",)),
    ("surveys", "Campaign", ("source",)),
    ("core", "ImportRun", ("filename",)),
]
# The demo report templates were named "… (jfr seed 000, Bilagor)"; the loader finds them by
# the name without it.
TEMPLATE_NOTE = re.compile(r" \(jfr seeds? [^()]*\)")


def _rewritten(value: str, max_length: int | None) -> str:
    for short in (False, True):
        new = citation_from_legacy(value, short=short)
        if max_length is None or len(new) <= max_length:
            return new
    return value  # never cut a note short


def rewrite(apps, schema_editor):
    for app, name, fields in FIELDS:
        model = apps.get_model(app, name)
        for record in model.objects.only("pk", *fields).iterator():
            changed = {}
            for field in fields:
                value = getattr(record, field)
                new = _rewritten(value, model._meta.get_field(field).max_length)
                if new != value:
                    changed[field] = new
            if changed:
                model.objects.filter(pk=record.pk).update(**changed)
    template = apps.get_model("reports", "ReportTemplate")
    for record in template.objects.filter(title__contains="seed"):
        title = TEMPLATE_NOTE.sub("", record.title)
        if not template.objects.filter(owner_id=record.owner_id, title=title).exists():
            template.objects.filter(pk=record.pk).update(title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_import_runs"),
        ("actors", "0009_contact_addresses"),
        ("funding", "0004_illustrative_demo_records"),
        ("indicators", "0006_observation_own_source"),
        ("plans", "0006_illustrative_demo_records"),
        ("projects", "0010_project_date_precision"),
        ("surveys", "0002_campaign_grace_days"),
        ("reports", "0001_report_templates_and_generated_reports"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
