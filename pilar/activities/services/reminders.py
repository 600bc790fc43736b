"""Reminding PSM whose monthly report has not been submitted: once per PSM per month."""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from pilar import audit
from pilar.activities.models import ActivityReport, ReportReminder
from pilar.activities.selectors import month_start, next_month
from pilar.notifications.services import notify
from pilar.workers.models import Worker

REPORTED = (ActivityReport.Status.SUBMITTED, ActivityReport.Status.ACCEPTED)


@transaction.atomic
def reports_remind_missing(*, period: date) -> int:
    """Notify each active PSM (with an account, serving by then) who has not submitted ``period``'s report and
    was not reminded of it yet; returns how many were reminded. Safe to run daily from cron."""
    period = month_start(period)
    reported = ActivityReport.objects.filter(period=period, status__in=REPORTED).values("worker_id")
    reminded = ReportReminder.objects.filter(period=period).values("worker_id")
    workers = list(
        Worker.objects.psm()
        .active()
        .filter(user__isnull=False, joined_on__lt=next_month(period))
        .exclude(id__in=reported)
        .exclude(id__in=reminded)
        .select_related("user")
    )
    try:
        with transaction.atomic():
            ReportReminder.objects.bulk_create([ReportReminder(worker=w, period=period) for w in workers])
    except IntegrityError:  # another run is reminding the same PSM right now: leave it to that one
        return 0
    title = _("Laporan kegiatan bulan %(period)s belum diajukan") % {"period": f"{period:%Y-%m}"}
    notify(
        recipients=[w.user for w in workers],
        kind="activities.report_missing",
        title=title,
        url=reverse("activities:list"),
    )
    reminders = ReportReminder.objects.filter(period=period, worker__in=workers)
    audit.record_many(None, "activities.report.reminded", reminders, data={"period": period})
    return len(workers)
