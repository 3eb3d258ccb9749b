"""`samverkan backup` and `samverkan restore`: a round trip loses nothing."""

import io
import json
import zipfile

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from samverkan.accounts.models import User
from samverkan.actors.models import Organisation
from samverkan.core.backup import _models
from samverkan.core.models import AuditEntry
from tests.factories import NetworkFactory


def _snapshot() -> dict[str, list]:
    return {
        m._meta.label_lower: json.loads(
            serializers.serialize("json", m._base_manager.order_by("pk"))
        )
        for m in _models()
    }


@pytest.mark.django_db
def test_backup_and_restore_round_trip(organisation, owner, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = settings.MEDIA_ROOT / "surveys" / "attachments" / "2026" / "bilaga.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 bilaga")
    organisation.name = "Länsstyrelsen Testlän (nytt namn)"
    organisation.save()  # a second history row
    NetworkFactory(owner=organisation)
    AuditEntry.objects.create(action="test.backup", data={"a": 1})
    before = _snapshot()
    history_rows = Organisation.history.filter(id=organisation.pk).count()
    assert history_rows >= 2

    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        assert "media/surveys/attachments/2026/bilaga.pdf" in zipped.namelist()
    assert manifest["counts"]["actors.historicalorganisation"] >= history_rows
    assert manifest["counts"]["geo.municipality"] == 290

    # Not into a database that has data …
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))

    upload.unlink()
    Organisation.objects.filter(pk=organisation.pk).update(name="ändrad efter backup")
    User.objects.filter(pk=owner.pk).update(email="annan@example.se")
    call_command("restore", str(archive), "--flush", stdout=io.StringIO())

    after = _snapshot()
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in before.items()}
    for label in before:
        assert after[label] == before[label], label
    assert Organisation.objects.get(pk=organisation.pk).name == "Länsstyrelsen Testlän (nytt namn)"
    assert Organisation.history.filter(id=organisation.pk).count() == history_rows
    assert User.objects.get(pk=owner.pk).email == owner.email
    assert AuditEntry.objects.filter(action="test.backup").exists()
    assert upload.read_bytes() == b"%PDF-1.4 bilaga"


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "x.zip"
    with zipfile.ZipFile(bogus, "w") as zipped:
        zipped.writestr("hello.txt", "hej")
    with pytest.raises(CommandError, match="not a Samverkan backup"):
        call_command("restore", str(bogus), "--flush")
    with zipfile.ZipFile(bogus, "w") as zipped:
        zipped.writestr("manifest.json", json.dumps({"format": "samverkan-backup/1"}))
        zipped.writestr("../evil.txt", "x")
    with pytest.raises(CommandError, match="unsafe path"):
        call_command("restore", str(bogus), "--flush")
