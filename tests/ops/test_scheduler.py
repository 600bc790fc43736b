"""Periodic jobs run from the worker's own scheduler, once per slot however many schedulers, in office time."""

import contextlib
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from django.core import mail

from pilar.audit.models import AuditEntry
from pilar.notifications.models import Notification, OutgoingMail
from pilar.notifications.services import notify
from pilar.ops import scheduler
from pilar.ops.jobs import BY_NAME, JOBS, Job
from pilar.ops.models import JobRun

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_every_job_is_scheduled_in_jakarta_time(db):
    built = scheduler.build(BackgroundScheduler(timezone=JAKARTA))
    assert {job.id for job in built.get_jobs()} == {job.name for job in JOBS}
    trigger = built.get_job("remind-overdue-cases").trigger
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 22, 6, 0, tzinfo=JAKARTA))
    assert (fire.hour, fire.tzinfo.key) == (7, "Asia/Jakarta")


def test_a_slot_is_claimed_by_exactly_one_scheduler(db):
    slot = datetime(2026, 11, 22, 7, 0, tzinfo=JAKARTA)
    assert scheduler.claim("remind-overdue-cases", slot) is True
    assert scheduler.claim("remind-overdue-cases", slot) is False  # a second machine, same minute
    later = datetime(2026, 11, 23, 7, 0, tzinfo=JAKARTA)
    assert scheduler.claim("remind-overdue-cases", later) is True


def test_firing_runs_the_job_and_records_its_last_run_and_audit(db, django_capture_on_commit_callbacks):
    assert scheduler.fire(BY_NAME["clear-sessions"]) is True
    run = JobRun.objects.get(job="clear-sessions")
    assert run.outcome == JobRun.Outcome.OK and run.finished_at is not None
    assert AuditEntry.objects.filter(action="ops.job.ok", object_id=str(run.pk)).exists()


def test_a_failing_job_is_recorded_as_failed(db, monkeypatch):
    def boom() -> None:
        raise RuntimeError("disk penuh")

    job = BY_NAME["prune-task-results"]
    monkeypatch.setitem(BY_NAME, job.name, Job(job.name, job.cron, job.label, boom))
    with contextlib.suppress(RuntimeError):  # the task re-raises, after recording the failure
        scheduler.fire(BY_NAME["prune-task-results"])
    run = JobRun.objects.get(job="prune-task-results")
    assert run.outcome == JobRun.Outcome.FAILED and "disk penuh" in run.message


def test_a_failed_send_is_kept_and_retried_by_the_mail_job(
    psm_a, settings, monkeypatch, django_capture_on_commit_callbacks
):
    psm_a.email = "psm.a@contoh.id"
    psm_a.save()

    def refuse(self, *args, **kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[psm_a], kind="uji", title="Kasus baru", url="/kasus/1/")
    queued = OutgoingMail.objects.get()
    assert queued.state == "pending" and queued.attempts == 1 and "Connection refused" in queued.last_error
    assert not Notification.objects.get().emailed
    monkeypatch.undo()
    OutgoingMail.objects.update(next_attempt_at=queued.created_at)  # its retry time has come
    scheduler.fire(BY_NAME["retry-mail"])
    queued.refresh_from_db()
    assert queued.state == "sent" and [m.to for m in mail.outbox] == [["psm.a@contoh.id"]]
    assert Notification.objects.get().emailed


def test_the_minute_job_fails_an_import_whose_process_died_without_anyone_looking(operator):
    import socket

    from pilar.registry.importer import liveness
    from tests.registry.test_import_liveness import dead_pid, running_job

    gone = running_job(operator, runner=f"{socket.gethostname()}:{dead_pid()}:1")
    alive = running_job(operator, runner=liveness.this_runner())
    assert scheduler.fire(BY_NAME["fail-gone-jobs"]) is True
    gone.refresh_from_db()
    alive.refresh_from_db()
    assert (gone.status, alive.status) == ("gagal", "berjalan")
    assert BY_NAME["fail-gone-jobs"].cron == "* * * * *"
