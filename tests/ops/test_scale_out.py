"""More than one machine: uploads on S3-compatible storage (moto in server mode), cache and sessions in Redis,
an opt-in read replica for dashboards and exports."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings

from pilar.core.dbrouter import ReplicaRouter, read_replica
from pilar.ops import backup
from pilar.ops import database as db

REDIS_TEST_URL = "redis://127.0.0.1:6379/6"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3-compatible server (moto in server mode) on a free loopback port, stopped after the module."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_storage(s3_endpoint, monkeypatch):
    import boto3
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "uji")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "uji")
    bucket = f"pilar-{os.getpid()}-{time.monotonic_ns()}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    return S3Storage(
        bucket_name=bucket,
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        location="media",
        default_acl="private",
        querystring_auth=True,
        file_overwrite=False,
    )


def test_settings_put_uploads_on_s3_when_a_bucket_is_configured(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env |= {
        "PILAR_S3_BUCKET": "pilar-media",
        "PILAR_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "DEBUG": "1",
        "PILAR_DATA_DIR": str(tmp_path),
        "REDIS_URL": REDIS_TEST_URL,
    }
    code = (
        "from django.conf import settings as s; print(s.STORAGES['default']['BACKEND']);"
        "print(s.STORAGES['default']['OPTIONS']['default_acl']); print(s.CACHES['default']['BACKEND']);"
        "print(s.SESSION_ENGINE)"
    )
    out = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("pilar")), "shell", "-v0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [
        "storages.backends.s3.S3Storage",
        "private",
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_uploads_on_s3_are_backed_up_and_restored(s3_storage, transactional_db, tmp_path, s3_endpoint):
    s3_storage.save("bukti/foto.jpg", ContentFile(b"\xff\xd8 foto"))
    s3_storage.save("kasus/2026/surat.pdf", ContentFile(b"%PDF surat"))
    assert backup.media_files(s3_storage) == ["bukti/foto.jpg", "kasus/2026/surat.pdf"]
    archive = Path(backup.create_backup(out_dir=tmp_path, storage=s3_storage).path)
    origin = db.Target.from_settings(settings.DATABASES["default"])
    target = db.create_scratch(
        origin, str(tmp_path / "r.sqlite3") if origin.engine == "sqlite" else f"pilar_s3_{os.getpid()}"
    )
    try:
        import boto3
        from storages.backends.s3 import S3Storage

        empty = f"{s3_storage.bucket_name}-restore"
        boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket=empty)
        restored = S3Storage(bucket_name=empty, endpoint_url=s3_endpoint, region_name="us-east-1", location="media")
        report = backup.restore(archive, target=target, storage=restored)
        assert report.ok and report.media_files == 2
        assert restored.open("kasus/2026/surat.pdf").read() == b"%PDF surat"
    finally:
        db.drop_scratch(target, origin)


def _redis_up() -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_sessions_and_cache_live_in_redis_shared_by_every_app_server(client, operator):
    import redis

    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": f"t{os.getpid()}",
        }
    }
    with override_settings(CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        from django.core.cache import caches as live

        live.close_all()
        client.force_login(operator)
        assert client.get("/").status_code == 200
        keys = redis.Redis.from_url(REDIS_TEST_URL).keys(f"t{os.getpid()}:*")
        assert any(b"django.contrib.sessions.cached_db" in key for key in keys)
        redis.Redis.from_url(REDIS_TEST_URL).delete(*keys)


def test_reads_go_to_the_replica_only_inside_read_replica():
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"
    with read_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate("replica", "registry") is False


def test_a_background_export_reads_its_rows_inside_read_replica_and_writes_its_job_on_the_primary(
    operator, psm_a, monkeypatch
):
    from pilar.core import dbrouter
    from pilar.registry import exports
    from pilar.registry.export_jobs import export_run
    from pilar.registry.export_models import ExportJob
    from pilar.registry.selectors import PpksFilter
    from tests.registry.makers import propose

    propose(psm_a)
    propose(psm_a)
    seen = []
    real_rows = exports.rows

    def rows(*args, **kwargs):
        for line in real_rows(*args, **kwargs):
            seen.append(dbrouter._use_replica.get())
            yield line

    monkeypatch.setattr(exports, "rows", rows)
    job = ExportJob.objects.create(
        user=operator, format="csv", layout="pilar", filters=PpksFilter().__dict__, total_rows=2
    )
    job = export_run(job)
    assert seen == [True, True] and dbrouter._use_replica.get() is False
    assert job.status == "selesai" and ExportJob.objects.get(pk=job.pk).done_rows == 2


def test_the_dashboard_brings_its_tables_up_to_date_on_the_primary_and_reads_its_figures_inside_read_replica(
    pimpinan, psm_a, monkeypatch
):
    from pilar.core import dbrouter
    from pilar.reports import figures
    from pilar.reports.filters import DashboardFilter
    from pilar.stats import tally
    from tests.registry.makers import propose

    propose(psm_a)
    seen = {}
    real_catch_up, real_where = tally.catch_up, figures._where

    def catch_up():
        seen["catch_up"] = dbrouter._use_replica.get()
        return real_catch_up()

    def where(*args):
        seen["figures"] = dbrouter._use_replica.get()
        return real_where(*args)

    monkeypatch.setattr(tally, "catch_up", catch_up)
    monkeypatch.setattr(figures, "_where", where)
    shown = figures.dashboard_figures(pimpinan, DashboardFilter())
    assert seen == {"catch_up": False, "figures": True} and dbrouter._use_replica.get() is False
    assert shown.totals["ppks_proposed"] == 1
