"""Background work of cases (Django Tasks API: the database backend by default)."""

from django_tasks import task

from pilar.cases.services import case_remind_overdue


@task()
def remind_overdue_cases() -> int:
    """The daily overdue reminder; enqueue it from a scheduler (cron, systemd timer) or run the command."""
    return case_remind_overdue()
