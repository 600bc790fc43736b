"""Reminders for cases that stayed in a stage longer than its target: once per case per stay in a stage."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.cases import access
from pilar.cases.models import Case, OverdueReminder
from pilar.notifications.services import notify


def case_remind_overdue(*, now: datetime | None = None) -> int:
    """Notify the workers of each overdue case not reminded yet for its current stage; returns how many cases.

    Safe to run any number of times and from two processes at once: the reminder row is unique per
    (case, stage, entry into the stage), and a case whose row already exists is skipped.
    """
    reminded = OverdueReminder.objects.filter(
        case=OuterRef("pk"), stage=OuterRef("stage"), stage_started_at=OuterRef("stage_started_at")
    )
    due = Case.objects.open().overdue(now or timezone.now()).exclude(Exists(reminded))
    return sum(_remind(case) for case in due.select_related("kelurahan").prefetch_related("assigned").iterator(500))


@transaction.atomic
def _remind(case: Case) -> int:
    try:
        with transaction.atomic():
            OverdueReminder.objects.create(case=case, stage=case.stage, stage_started_at=case.stage_started_at)
    except IntegrityError:
        return 0  # another run got there first
    workers = list(case.assigned.all()) or access.area_workers(case)
    notify(
        recipients=[*workers, *access.supervisors_of(case)],
        kind="cases.overdue",
        url=case.get_absolute_url(),
        title=_("Kasus %(ref)s melewati batas waktu tahap %(stage)s")
        % {"ref": case.reference, "stage": case.get_stage_display()},
    )
    return 1
