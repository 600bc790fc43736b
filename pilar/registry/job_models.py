"""What the task worker's jobs over the registry (an import, an export) keep alike: progress and liveness."""

from django.db import models

from pilar.core.models import TimeStampedModel


class WorkerJob(TimeStampedModel):
    """A job the task worker runs: how many rows of how many are done, when it started and finished, its last
    message, and which process runs it ("host:pid:start") with that process's last sign of life, read by
    ``pilar.registry.importer.liveness``."""

    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    runner = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
