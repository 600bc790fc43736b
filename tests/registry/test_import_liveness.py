"""An import whose process is gone is failed and shown with its reason; a failed import runs again with one
action; a stop signal ends a running import cleanly; the validator helper holds none of its parent's sockets."""

import os
import signal
import socket
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.core.processes import end_child, fork_child, process_alive
from pilar.registry.importer import import_file, liveness
from pilar.registry.importer.services import import_jobs_fail_gone
from pilar.registry.models import ImportJob, PpksRecord
from tests.registry.test_import import FAMILY, HEADER, VALID

CSV = ("\n".join(",".join(row) for row in [HEADER, *FAMILY]) + "\n").encode()


def running_job(operator, *, runner: str, beat_ago: int = 0) -> ImportJob:
    now = timezone.now()
    job = ImportJob(
        user=operator,
        file_name="data.csv",
        mode=VALID,
        status="berjalan",
        started_at=now,
        runner=runner,
        heartbeat_at=now - timedelta(seconds=beat_ago),
    )
    job.file.save("data.csv", ContentFile(CSV), save=False)
    job.save()
    return job


def dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_a_job_whose_process_is_gone_is_failed_with_the_reason_on_its_page(client, operator):
    job = running_job(operator, runner=f"{socket.gethostname()}:{dead_pid()}:1")
    client.force_login(operator)
    page = client.get(reverse("registry:import_detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "gagal" and job.finished_at
    assert "proses yang menjalankannya berhenti" in page and "Coba lagi" in page
    assert AuditEntry.objects.filter(action="registry.import.process_gone", object_id=str(job.pk)).exists()


def test_a_job_whose_process_runs_stays_running(operator):
    me = liveness.this_runner()
    job = running_job(operator, runner=me, beat_ago=3600)  # on this machine the process decides, not the beat
    assert import_jobs_fail_gone() == 0
    job.refresh_from_db()
    assert job.status == "berjalan"


def test_a_job_on_another_machine_is_failed_once_its_heartbeat_is_stale(operator):
    fresh = running_job(operator, runner="server-lain:123:9", beat_ago=10)
    stale = running_job(operator, runner="server-lain:124:9", beat_ago=int(liveness.STALE.total_seconds()) + 5)
    assert import_jobs_fail_gone() == 1
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert (fresh.status, stale.status) == ("berjalan", "gagal")


def test_retry_runs_a_failed_import_again_from_its_stored_file_once(
    client, operator, city, django_capture_on_commit_callbacks
):
    job = running_job(operator, runner=f"{socket.gethostname()}:{dead_pid()}:1")
    import_jobs_fail_gone()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("registry:import_retry", args=[job.pk]))
    retry = ImportJob.objects.get(retry_of=job)
    assert answer.url == reverse("registry:import_detail", args=[retry.pk])
    assert (retry.status, retry.created_count, retry.checksum) == ("selesai", 3, job.checksum)
    assert PpksRecord.objects.count() == 3
    again = client.post(reverse("registry:import_retry", args=[job.pk]), follow=True)
    assert "belum dicoba lagi" in again.content.decode() and PpksRecord.objects.count() == 3


def test_the_api_retries_a_failed_import_once_answering_202_then_409_with_its_detail(
    operator, city, api_as, django_capture_on_commit_callbacks
):
    job = running_job(operator, runner=f"{socket.gethostname()}:{dead_pid()}:1")
    import_jobs_fail_gone()
    api = api_as(operator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"/api/v1/imports/{job.pk}/retry")
    retry = ImportJob.objects.get(retry_of=job)
    assert answer.status_code == 202 and (answer.json()["id"], answer.json()["retry_of"]) == (retry.pk, job.pk)
    again = api.post(f"/api/v1/imports/{job.pk}/retry")
    message = "Hanya impor yang gagal, berkasnya tersimpan dan belum dicoba lagi yang dapat dicoba lagi."
    assert (again.status_code, again.json()) == (409, {"detail": message})  # the body as it has always been


def test_retry_needs_the_import_permission_and_a_login(client, psm_a, operator):
    job = running_job(operator, runner=f"{socket.gethostname()}:{dead_pid()}:1")
    url = reverse("registry:import_retry", args=[job.pk])
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(psm_a)
    assert client.post(url).status_code == 404
    assert not ImportJob.objects.filter(retry_of=job).exists()


def test_a_stop_signal_ends_a_running_import_cleanly(operator, city, tmp_path, monkeypatch):
    monkeypatch.setattr("pilar.registry.importer.stream.BATCH", 1)
    path = tmp_path / "data.csv"
    path.write_bytes(CSV)

    def on_progress(done: int, total: int) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # as the task worker's shutdown

    job = import_file(path, user=operator, mode=VALID, progress=on_progress)
    assert job.status == "gagal" and "SIGTERM" in job.message
    assert PpksRecord.objects.count() == 0
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the handler that was there is back


def test_the_forked_helper_holds_no_socket_of_its_parent_and_default_signal_handlers():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    previous = signal.signal(signal.SIGTERM, lambda *args: None)

    def report(send) -> None:
        try:
            os.fstat(listener.fileno())
            open_socket = True
        except OSError:
            open_socket = False
        send.send((open_socket, signal.getsignal(signal.SIGTERM) == signal.SIG_DFL))

    try:
        pid, receive = fork_child(report)
        assert receive.recv() == (False, True)
        end_child(pid)
        assert not process_alive(pid)
        os.fstat(listener.fileno())  # the parent's own socket is untouched
    finally:
        signal.signal(signal.SIGTERM, previous)
        listener.close()


@pytest.mark.parametrize("started", ["", "wrong-start"])
def test_process_alive_tells_a_reused_pid_from_the_original(started):
    assert process_alive(os.getpid()) and process_alive(os.getpid(), started) == (started == "")
