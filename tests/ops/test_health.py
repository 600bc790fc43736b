"""/healthz and /readyz for monitoring, and the same checks with advice in `pilar doctor`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pilar.ops.models import Backup, JobRun


def test_healthz_answers_200_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_every_dependency_without_personal_data(client, operator):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert set(body["checks"]) == {"database", "task_queue", "worker", "media_disk", "backup"}
    assert body["checks"]["database"]["status"] == "ok"
    # No worker heartbeat and no backup yet: degraded, not down.
    assert body["status"] == "warn" and body["checks"]["backup"]["status"] == "warn"
    assert "advice" not in body["checks"]["worker"]
    assert "operator" not in response.content.decode()


def test_readyz_is_ok_with_a_fresh_heartbeat_and_backup(client, db):
    JobRun.objects.create(job="heartbeat", slot=timezone.now(), finished_at=timezone.now(), outcome="ok")
    Backup.objects.create(path="/srv/cadangan/pilar-backup-x.tar", size=1)
    checks = client.get("/readyz").json()["checks"]
    assert checks["worker"]["status"] == "ok" and checks["backup"]["status"] == "ok"


def test_a_stale_heartbeat_and_an_old_backup_are_warnings(client, db, settings):
    old = timezone.now() - timedelta(hours=30)
    JobRun.objects.create(job="heartbeat", slot=old, finished_at=old, outcome="ok")
    Backup.objects.filter(pk=Backup.objects.create(path="x", size=1).pk).update(created_at=old)
    checks = client.get("/readyz").json()["checks"]
    assert checks["worker"]["status"] == "warn" and checks["backup"]["status"] == "warn"


def test_readyz_answers_over_plain_http_when_https_is_enforced(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301


def test_doctor_prints_each_check_with_advice(db):
    out = StringIO()
    call_command("doctor", stdout=out)
    text = out.getvalue()
    assert "OK    database" in text and "AWAS  backup" in text and "pilar backup" in text
    assert "migrations   semua diterapkan" in text


def test_upgrade_check_refuses_without_a_recent_backup(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Belum ada cadangan"):
        call_command("upgrade_check", stdout=StringIO())
    Backup.objects.create(path="/srv/x.tar", size=1)
    out = StringIO()
    call_command("upgrade_check", stdout=out)
    assert "Tidak ada migrasi tertunda" in out.getvalue() and "Siap diperbarui" in out.getvalue()
