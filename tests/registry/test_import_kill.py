"""Killing an import midway (kill -9 of the CLI or of the task worker, or the worker's shutdown) on PostgreSQL:
the registry answers at once, nothing of the file is kept, no process is left behind, the job says it failed
and why, and one action runs it again from its stored file.

Real processes: the CLI and ``pilar db_worker`` run as subprocesses against the test database with the
production settings (database task queue, files on disk); a 100,000-row file keeps them busy long enough.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from pilar.accounts.models import ApiToken
from pilar.core.processes import process_alive
from pilar.identity.models import Person
from pilar.registry.importer import import_file
from pilar.registry.models import ImportJob, PpksRecord
from pilar.registry.synth import Village, write_csv
from tests.registry.test_import import FAMILY, VALID

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the kill tests are about PostgreSQL's locks"),
]
ROWS = 100_000
KILL_AFTER = 15_000  # rows validated and being written: the import transaction holds its locks
PILAR = str(Path(sys.executable).with_name("pilar"))
_files: dict[str, Path] = {}


@pytest.fixture
def big_file(city, tmp_path_factory) -> Path:
    """One synthetic file for the module (2 s to write), in kelurahan of the city."""
    if "csv" not in _files:
        villages = [Village(code, code[:8].replace(".", "")) for code in ("36.71.01.1001", "36.71.01.1002")]
        path = tmp_path_factory.mktemp("kill") / "besar.csv"
        write_csv(path, persons=ROWS, dup_rate=0.0, seed=11, villages=villages)
        _files["csv"] = path
    return _files["csv"]


@pytest.fixture
def media(tmp_path, settings) -> Path:
    """Files on disk, shared by this process and the subprocesses."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return root


@pytest.fixture
def seeded(operator, tmp_path) -> int:
    """A registry that is not empty: the office's case, where the import must not stop the others."""
    path = tmp_path / "awal.csv"
    from tests.registry.test_import import HEADER

    path.write_text("\n".join(",".join(row) for row in [HEADER, *FAMILY]) + "\n", encoding="utf-8")
    assert import_file(path, user=operator, mode=VALID, accept_warnings=True).status == "selesai"
    return PpksRecord.objects.count()


def pilar_env(media: Path) -> dict[str, str]:
    db = connection.settings_dict
    login = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    url = f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTEST_CURRENT_TEST")}
    env.update(
        DATABASE_URL=url,
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="pilar.settings",
        MEDIA_ROOT=str(media),
        PILAR_TASK_BACKEND="django_tasks_db.DatabaseBackend",
    )
    return env


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def busy_job(process: subprocess.Popen) -> ImportJob:
    """The import once it is writing; fails fast if the process ended first."""

    def writing() -> ImportJob | None:
        assert process.poll() is None, process.communicate()[1][-2000:]
        return ImportJob.objects.filter(status="berjalan", done_rows__gte=KILL_AFTER).first()

    return wait_for(writing, 120, "the import to be writing")  # type: ignore[return-value]


def end_all(process: subprocess.Popen, helpers: list[int]) -> None:
    """Whatever a failed assertion left running (a helper that outlived its parent would hold the test
    database's locks and hang the teardown)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    for pid in helpers:
        if process_alive(pid):
            os.kill(pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def registry_answers_within_two_seconds(seeded: int, *, import_running: bool = False) -> None:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 2000")  # a read that waits on a lock fails instead of hanging
        try:
            assert PpksRecord.objects.count() == seeded  # nothing of the killed import is kept
            assert Person.objects.filter(name__icontains="warga").count() == 3
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
            )
            assert import_running or cursor.fetchone()[0] == 0  # no orphan keeps a transaction open
        finally:
            cursor.execute("RESET statement_timeout")
    assert time.monotonic() - started < 2


def kill_9_midway(process: subprocess.Popen, seeded: int) -> ImportJob:
    """Kill -9 the importing process (only it: its validator helper must go by itself) once it writes;
    the registry answers within 2 s and the helper is gone within 2 s."""
    helpers: list[int] = []
    try:
        job = busy_job(process)
        helpers = children(process.pid)
        assert helpers, "a file this big is validated in a forked helper"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        registry_answers_within_two_seconds(seeded)
        wait_for(lambda: not any(process_alive(pid) for pid in helpers), 2, "the validator to die with its parent")
    finally:
        end_all(process, helpers)
    return job


def api_client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def assert_failed_and_shown(client, operator, job: ImportJob, words: str) -> None:
    answer = api_client(operator).get(f"/api/v1/imports/{job.pk}").json()
    assert answer["status"] == "gagal" and words in answer["message"], answer
    client.force_login(operator)
    page = client.get(reverse("registry:import_detail", args=[job.pk])).content.decode()
    assert "Gagal" in page and words in page and "Coba lagi" in page


def test_kill_9_of_the_cli_import_frees_the_registry_at_once_and_fails_the_job(
    big_file, media, seeded, operator, client
):
    process = subprocess.Popen(  # noqa: S603 - our own command, arguments from this test
        [PILAR, "import-registry", str(big_file), "--mode", VALID, "--user", operator.username, "--accept-warnings"],
        env=pilar_env(media),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    job = kill_9_midway(process, seeded)
    assert_failed_and_shown(client, operator, job, "proses yang menjalankannya berhenti")
    # The CLI kept a copy of its file: one action runs it again, to the end.
    api = api_client(operator)
    answer = api.post(f"/api/v1/imports/{job.pk}/retry")
    assert answer.status_code == 202, answer.content
    retry = ImportJob.objects.get(retry_of=job)
    assert (retry.status, retry.total_rows, retry.error_count) == ("selesai", ROWS, 0)
    # A row whose NIK is already known with another name or birth date is held as a conflict, not attached.
    assert retry.created_count + retry.unchanged_count + retry.conflict_count == ROWS
    assert PpksRecord.objects.count() == seeded + retry.created_count
    assert api.post(f"/api/v1/imports/{job.pk}/retry").status_code == 409  # not twice


def start_worker(media: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own command
        [PILAR, "db_worker", "--batch", "--interval", "0.1", "--no-startup-delay"],
        env=pilar_env(media),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def queue_import(big_file: Path, media: Path, operator) -> ImportJob:
    (media / "imports").mkdir(exist_ok=True)
    shutil.copy(big_file, media / "imports" / "besar.csv")
    job = ImportJob.objects.create(
        user=operator, file="imports/besar.csv", file_name="besar.csv", mode=VALID, accept_warnings=True
    )  # synthetic rows: some categories do not fit the age
    code = f"from pilar.registry.tasks import run_import; run_import.enqueue({job.pk})"
    subprocess.run([PILAR, "shell", "-c", code], env=pilar_env(media), check=True, capture_output=True)  # noqa: S603
    return job


def test_kill_9_of_the_task_worker_frees_the_registry_at_once_and_fails_the_job(
    big_file, media, seeded, operator, client
):
    queue_import(big_file, media, operator)
    job = kill_9_midway(start_worker(media), seeded)
    assert_failed_and_shown(client, operator, job, "proses yang menjalankannya berhenti")


def test_worker_shutdown_stops_a_running_import_cleanly(big_file, media, seeded, operator, client):
    queue_import(big_file, media, operator)
    worker = start_worker(media)
    helpers: list[int] = []
    try:
        job = busy_job(worker)
        helpers = children(worker.pid)
        worker.send_signal(signal.SIGTERM)  # as systemd stops the service
        assert worker.wait(30) == 0, worker.communicate()[1][-2000:]
        wait_for(lambda: not any(process_alive(pid) for pid in helpers), 2, "the validator to end")
    finally:
        end_all(worker, helpers)
    registry_answers_within_two_seconds(seeded)
    job.refresh_from_db()
    assert job.status == "gagal" and "SIGTERM" in job.message and job.finished_at
    assert_failed_and_shown(client, operator, job, "dimatikan (SIGTERM)")


REGISTRY_TABLES = (
    "identity_person",
    "registry_household",
    "registry_householdkk",
    "registry_householdmember",
    "registry_ppksrecord",
    "registry_ppksevent",
)


def exclusive_locks() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.mode = 'AccessExclusiveLock' AND c.relname = ANY(%s)",
            [list(REGISTRY_TABLES)],
        )
        return [row[0] for row in cursor.fetchall()]


def test_an_import_into_a_live_registry_locks_out_no_reader(big_file, media, seeded, operator, client):
    client.force_login(operator)
    assert client.get(reverse("registry:ppks_list")).status_code == 200
    process = subprocess.Popen(  # noqa: S603 - our own command, arguments from this test
        [PILAR, "import-registry", str(big_file), "--mode", VALID, "--accept-warnings"],
        env=pilar_env(media),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        busy_job(process)
        samples = 0
        while process.poll() is None and samples < 20:
            assert exclusive_locks() == []
            registry_answers_within_two_seconds(seeded, import_running=True)  # its rows stay invisible until commit
            with connection.cursor() as cursor:  # a query of the page that waited on a lock would fail
                cursor.execute("SET statement_timeout = 2000")
            try:
                assert client.get(reverse("registry:ppks_list")).status_code == 200
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
            samples += 1
        assert samples >= 3, "the import ended before the readers could try"
        assert process.wait(180) == 0, process.communicate()[1][-2000:]
    finally:
        end_all(process, [])
    assert PpksRecord.objects.count() > seeded + ROWS // 2
