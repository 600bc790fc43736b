from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from pilar.cases.models import Case
from pilar.notifications.models import Notification
from pilar.referrals.demo import PLANS, referral_totals, seed_referrals
from pilar.referrals.models import Referral, ReferralStatus
from pilar.referrals.tasks import remind_overdue_referrals
from tests.conftest import KEL_A2, KEL_B
from tests.referrals.conftest import agency


def test_the_demo_refers_cases_to_several_agencies_in_every_state_and_only_once(
    make_case, psm_a, psm_b, tksk_a, operator, opd_user
):
    for code in {p.agency for p in PLANS}:
        agency(code)
    for i in range(len(PLANS)):
        actor, kel = [(psm_a, "36.71.01.1001"), (psm_b, KEL_B), (tksk_a, KEL_A2)][i % 3]
        case = make_case(actor, kel, subject_name=f"Warga demo {i}")
        # As the cases demo does: cases opened over the past weeks.
        Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=5 * i + 1))
    assert seed_referrals(operator=operator)["rujukan"] == len(PLANS)
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert Referral.objects.values("agency").distinct().count() >= 6
    assert referral_totals()["Rujukan terlambat dijawab"] >= 1
    for referral in Referral.objects.select_related("case"):
        assert referral.case.created_at < referral.sent_at <= timezone.now()
        times = [e.at for e in referral.events.all()]
        assert times == sorted(times) and times[0] == referral.sent_at
    completed = Referral.objects.filter(status="selesai")
    assert all(r.events.count() == 4 and r.completed_on <= timezone.localdate() for r in completed)
    assert Notification.objects.filter(recipient=opd_user, kind="referrals.received").exists()
    assert seed_referrals(operator=operator)["rujukan"] == 0  # idempotent
    assert Referral.objects.count() == len(PLANS)


def test_the_demo_without_cases_creates_nothing(operator):
    assert not seed_referrals(operator=operator)


def test_the_reminder_command_and_task_remind_each_overdue_referral_once_a_day(referral_a, opd_user):
    Referral.objects.filter(pk=referral_a.pk).update(answer_due=timezone.localdate() - timedelta(days=2))
    out = StringIO()
    call_command("remind_overdue_referrals", stdout=out)
    assert out.getvalue().strip() == "1 rujukan terlambat diingatkan."
    assert remind_overdue_referrals.call() == 0  # the task, the same day: nothing more
    assert Notification.objects.filter(recipient=opd_user, kind="referrals.overdue").count() == 1
