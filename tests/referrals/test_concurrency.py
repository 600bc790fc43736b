"""Two users acting on one referral at the same moment: one wins, the other is told, nothing is doubled."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pilar.accounts.models import Role
from pilar.core.errors import DomainError
from pilar.notifications.models import Notification
from pilar.referrals import services
from pilar.referrals.models import Referral, ReferralEvent
from tests.concurrency import at_once
from tests.factories import user_with_role

pytestmark = [
    pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def race(*actions: Callable[[], object]) -> list[str]:
    refused = (DomainError, ValidationError)
    return [type(o).__name__ if isinstance(o, refused) else "ok" for o in at_once(*actions, catch=refused)]


def test_an_accept_and_a_decline_at_the_same_moment_leave_one_answer(referral_a, opd_user, dinkes):
    colleague = user_with_role("opd.dinkes.2", Role.OPD, agency=dinkes)
    outcomes = race(
        lambda: services.referral_accept(referral=Referral.objects.get(pk=referral_a.pk), actor=opd_user),
        lambda: services.referral_decline(
            referral=Referral.objects.get(pk=referral_a.pk), actor=colleague, reason="Bukan wewenang"
        ),
    )
    assert sorted(outcomes) == ["Refused", "ok"]  # the workflow guard's refusal (a DomainError, 409)
    answers = ReferralEvent.objects.filter(referral=referral_a).exclude(action="sent")
    assert answers.count() == 1
    assert Referral.objects.get(pk=referral_a.pk).status == answers.get().to_status


def test_the_same_referral_sent_twice_at_once_is_saved_once(case_a, psm_a, tksk_a, dinkes):
    def send(actor):
        return lambda: services.referral_send(case=case_a, agency=dinkes, actor=actor, reason="Cek kesehatan")

    assert sorted(race(send(psm_a), send(tksk_a))) == ["ValidationError", "ok"]
    assert Referral.objects.filter(case=case_a, agency=dinkes).count() == 1


def test_two_reminder_runs_at_once_remind_once(referral_a, opd_user):
    late = referral_a.answer_due + timedelta(days=1)
    race(lambda: services.referrals_remind_overdue(today=late), lambda: services.referrals_remind_overdue(today=late))
    assert Notification.objects.filter(recipient=opd_user, kind="referrals.overdue").count() == 1
