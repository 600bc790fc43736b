"""The task worker's own scheduler (APScheduler): fires each periodic job at its time, in Asia/Jakarta time.

Several workers may run a scheduler each (several machines): a job's slot is claimed with one conditional
UPDATE of its ``JobRun`` row, so exactly one of them enqueues it.
"""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from pilar.ops.jobs import JOBS, Job
from pilar.ops.models import JobRun

log = logging.getLogger(__name__)


def claim(name: str, slot: datetime) -> bool:
    """True for the one scheduler that gets to enqueue ``name`` for ``slot``."""
    won = JobRun.objects.filter(job=name, slot__lt=slot).update(
        slot=slot, outcome=JobRun.Outcome.QUEUED, started_at=None, finished_at=None, message=""
    )
    if won:
        return True
    try:
        with transaction.atomic():
            JobRun.objects.create(job=name, slot=slot)
        return True
    except IntegrityError:
        return False  # another scheduler created it first, or this slot was already claimed


def fire(job: Job, now: datetime | None = None) -> bool:
    from pilar.ops.tasks import run_job

    slot = (now or timezone.now()).replace(second=0, microsecond=0)
    if not claim(job.name, slot):
        return False
    run_job.enqueue(job.name)
    return True


def _fire_safely(job: Job) -> None:
    # The scheduler's thread keeps its own connection for days: drop it when stale, as a request would.
    close_old_connections()
    try:
        fire(job)
    except Exception:  # a failed enqueue must not stop the scheduler thread; it is logged and retried next slot
        log.exception("could not enqueue periodic job %s", job.name)


def build(scheduler: BaseScheduler | None = None) -> BaseScheduler:
    zone = ZoneInfo(settings.TIME_ZONE)
    scheduler = scheduler or BackgroundScheduler(timezone=zone)
    for job in JOBS:
        scheduler.add_job(
            _fire_safely,
            CronTrigger.from_crontab(job.cron, timezone=zone),
            args=[job],
            id=job.name,
            misfire_grace_time=300,
            coalesce=True,
            max_instances=1,
        )
    return scheduler
