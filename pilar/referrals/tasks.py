"""Background work of referrals (Django Tasks API)."""

from django_tasks import task

from pilar.referrals.services import referrals_remind_overdue


@task()
def remind_overdue_referrals() -> int:
    """The daily reminder of overdue referrals; enqueue it from a scheduler, or run the command."""
    return referrals_remind_overdue()
