"""Survey benchmarks: invitations through a local SMTP server, compilation, tracking page.

Run once on a scratch database (it creates its own data):
    DEBUG=1 DATABASE_URL=sqlite:////tmp/b.sqlite3 .venv/bin/python bench/surveys_bench.py
Targets (issue 5): 290 invitations < 20 s; compile 10,000 responses × 40 questions < 3 s;
tracking page with 2,000 recipients < 200 ms. Each figure is printed with a baseline measured in
the same run (the raw work without the platform around it).
"""

from __future__ import annotations

import os
import random
import smtplib
import sys
import time
from datetime import date
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["JOBS_MODE"] = "inline"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from samverkan.accounts.models import Membership, User  # noqa: E402
from samverkan.actors.models import Organisation, organisation_name_key  # noqa: E402
from samverkan.actors.reference import organisations_load_reference  # noqa: E402
from samverkan.core import tenancy  # noqa: E402
from samverkan.geo.services import geography_load_reference  # noqa: E402
from samverkan.surveys import selectors, services  # noqa: E402
from samverkan.surveys.models import Campaign, Recipient, Response  # noqa: E402
from samverkan.surveys.tests.smtp import LocalSMTPServer  # noqa: E402
from samverkan.surveys.xlsform import ChoiceSpec, FormSpec, QuestionSpec  # noqa: E402


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed * 1000:,.0f} ms")
    return result, elapsed


def setup() -> Organisation:
    call_command("migrate", verbosity=0)
    geography_load_reference()
    organisations_load_reference()
    return Organisation.objects.get(code="integrationsverket")


def bench_invitations(owner: Organisation) -> None:
    print("\n== 290 invitations through a local SMTP server (target < 20 s) ==")
    spec = FormSpec("Bench", "bench", [QuestionSpec(1, "text", "a", "A")], [])
    questionnaire = services.questionnaire_create_from_spec(
        spec=spec, owner=owner, user=tenancy.SYSTEM
    )
    municipalities = selectors.organisations_by_rule(rule="municipalities")
    campaign = services.campaign_create(
        user=tenancy.SYSTEM,
        questionnaire=questionnaire,
        owner=owner,
        title="Alla kommuner",
        deadline=date(2030, 1, 1),
        organisations=municipalities,
    )
    for recipient in campaign.recipients.all():
        recipient.email = f"registrator@{recipient.organisation.code}.example.se"
        recipient.save(update_fields=["email"])
    with LocalSMTPServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)

        def raw_send() -> None:
            with smtplib.SMTP("127.0.0.1", server.port) as smtp:
                for number in range(290):
                    message = EmailMessage()
                    message["From"], message["To"] = "a@example.se", f"r{number}@example.se"
                    message["Subject"] = "Baseline"
                    message.set_content("x")
                    smtp.send_message(message)

        timed("baseline: 290 messages over one raw SMTP connection", raw_send)
        count, elapsed = timed(
            "290 invitations as background jobs (one job and connection "
            "per recipient, status stored)",
            services.campaign_send,
            campaign=campaign,
            user=tenancy.SYSTEM,
        )
        sent = Recipient.objects.filter(campaign=campaign, delivery="sent").count()
        print(
            f"  queued {count}, marked sent {sent}, received by server "
            f"{len(server.handler.messages) - 290}; target met: {elapsed < 20}"
        )


def bench_compile_and_tracking(owner: Organisation) -> None:
    print("\n== compile 10,000 responses × 40 questions (target < 3 s) ==")
    questions, choices = [], []
    kinds = ["select_one", "select_multiple", "integer", "text"]
    for number in range(40):
        kind = kinds[number % 4]
        list_name = f"l{number}" if kind.startswith("select") else ""
        questions.append(
            QuestionSpec(number, kind, f"q{number}", f"Fråga {number}", list_name=list_name)
        )
        if list_name:
            choices += [ChoiceSpec(0, list_name, f"c{i}", f"Val {i}") for i in range(5)]
    questionnaire = services.questionnaire_create_from_spec(
        spec=FormSpec("Bench 40", "bench40", questions, choices), owner=owner, user=tenancy.SYSTEM
    )
    start = time.perf_counter()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Benchorganisation {n}",
            name_key=organisation_name_key(f"Benchorganisation {n}"),
            code=f"bench-{n}",
            kind="other",
            sector="public",
        )
        for n in range(10_000)
    )
    campaign = Campaign.objects.create(
        owner=owner, questionnaire=questionnaire, title="Bench", deadline=date(2030, 1, 1)
    )
    recipients = Recipient.objects.bulk_create(
        Recipient(campaign=campaign, organisation=org, token=f"bench-token-{org.pk:08d}" * 2)
        for org in organisations
    )
    rng = random.Random(1999)

    def answers() -> dict:
        values = {}
        for question in questions:
            if question.type == "select_one":
                values[question.name] = f"c{rng.randrange(5)}"
            elif question.type == "select_multiple":
                values[question.name] = sorted(rng.sample([f"c{i}" for i in range(5)], 2))
            elif question.type == "integer":
                values[question.name] = rng.randrange(100)
            else:
                values[question.name] = "Ett fritextsvar om samverkan."
        return values

    Response.objects.bulk_create(
        (
            Response(recipient=r, answers=answers(), status="submitted", version=1)
            for r in recipients
        ),
        batch_size=1000,
    )
    print(f"  (generated data in {time.perf_counter() - start:.1f} s)")
    timed(
        "baseline: load the 10,000 answer documents",
        lambda: list(
            Response.objects.filter(recipient__campaign=campaign).values_list("answers", flat=True)
        ),
    )
    compilation, elapsed = timed(
        "compile 10,000 × 40", selectors.campaign_compile, campaign=campaign
    )
    print(f"  responded {compilation['responded']}; target met: {elapsed < 3}")

    print("\n== tracking page with 2,000 recipients (target < 200 ms) ==")
    tracked = Campaign.objects.create(
        owner=owner, questionnaire=questionnaire, title="Bench 2000", deadline=date(2030, 1, 1)
    )
    tracked_recipients = Recipient.objects.bulk_create(
        Recipient(campaign=tracked, organisation=org, token=f"track-token-{org.pk:08d}" * 2)
        for org in organisations[:2000]
    )
    Response.objects.bulk_create(
        Response(recipient=r, status="submitted", version=1) for r in tracked_recipients[:1500]
    )
    user = User.objects.create_user(email="bench@example.se", password="bench-password-1")
    Membership.objects.create(user=user, organisation=owner, role="admin")
    client = Client()
    client.force_login(user)
    url = f"/enkater/utskick/{tracked.pk}/"
    client.get(url)  # warm up templates
    timed("baseline: tracking selector alone", selectors.campaign_tracking, campaign=tracked)
    best = min(timed(f"tracking page GET #{n}", client.get, url)[1] for n in range(3))
    print(f"  best {best * 1000:.0f} ms; target met: {best < 0.2}")


if __name__ == "__main__":
    if (
        "sqlite" in settings.DATABASES["default"]["ENGINE"]
        and Path(settings.DATABASES["default"]["NAME"]).exists()
    ):
        Path(settings.DATABASES["default"]["NAME"]).unlink()
    settings.ALLOWED_HOSTS = ["*"]
    owner = setup()
    bench_invitations(owner)
    bench_compile_and_tracking(owner)
