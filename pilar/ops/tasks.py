"""The one background task behind every periodic job: run it and record the outcome for the admin."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from pilar.audit import services as audit
from pilar.ops.jobs import BY_NAME
from pilar.ops.models import JobRun

log = logging.getLogger(__name__)


@task()
def run_job(name: str) -> str:
    job = BY_NAME[name]
    JobRun.objects.filter(job=name).update(started_at=timezone.now(), outcome=JobRun.Outcome.QUEUED)
    try:
        result = job.run()
    except Exception as exc:
        log.exception("periodic job %s failed", name)
        _finish(name, JobRun.Outcome.FAILED, f"{type(exc).__name__}: {exc}"[:2000])
        raise
    _finish(name, JobRun.Outcome.OK, str(result)[:2000])
    return str(result)


@transaction.atomic
def _finish(name: str, outcome: str, message: str) -> None:
    run, _ = JobRun.objects.update_or_create(
        job=name,
        defaults={"finished_at": timezone.now(), "outcome": outcome, "message": message},
        create_defaults={"slot": timezone.now(), "finished_at": timezone.now(), "outcome": outcome, "message": message},
    )
    if name != "heartbeat":  # once a minute: the row itself is the record
        audit.record(None, f"ops.job.{outcome}", run, data={"job": name, "message": message[:200]})
