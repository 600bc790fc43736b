"""``pilar remind-overdue-referrals``: remind agencies of referrals unanswered past their answer date.

Safe to run as often as wanted (cron, or the ``remind_overdue_referrals`` task): each referral is
reminded at most once a day.
"""

from django.core.management.base import BaseCommand

from pilar.referrals.services import referrals_remind_overdue


class Command(BaseCommand):
    help = "Kirim pengingat ke OPD untuk rujukan yang belum dijawab melewati batas waktunya (sekali sehari)."

    def handle(self, *args, **options) -> None:
        reminded = referrals_remind_overdue()
        self.stdout.write(f"{reminded} rujukan terlambat diingatkan.")
