from datetime import date

import pytest
from django.core.management import call_command

from pilar.activities.models import ReportReminder
from pilar.activities.services import reports_remind_missing
from pilar.notifications.models import Notification
from tests.activities.makers import SEPT, report_for, submitted
from tests.conftest import KEL_A
from tests.factories import psm_user

pytestmark = pytest.mark.django_db


def test_psm_without_a_submitted_report_are_reminded_once(psm_a, psm_b):
    submitted(psm_a)
    drafting = psm_user("psm.a.draf", KEL_A)
    report_for(drafting)  # a draft is not a report yet

    assert reports_remind_missing(period=SEPT) == 2
    reminded = set(Notification.objects.filter(kind="activities.report_missing").values_list("recipient", flat=True))
    assert reminded == {psm_b.pk, drafting.pk}
    assert ReportReminder.objects.count() == 2

    assert reports_remind_missing(period=SEPT) == 0  # never twice for the same month
    assert Notification.objects.filter(kind="activities.report_missing").count() == 2


def test_psm_who_joined_after_the_month_are_not_reminded(psm_a):
    type(psm_a.worker).objects.filter(pk=psm_a.worker.pk).update(joined_on=date(2026, 10, 3))
    assert reports_remind_missing(period=SEPT) == 0


def test_command_reminds_for_the_month_given(psm_a, capsys):
    call_command("remind_activity_reports", period="2026-09")
    assert "1 PSM diingatkan tentang laporan bulan 2026-09" in capsys.readouterr().out
    with pytest.raises(Exception, match="TTTT-BB"):
        call_command("remind_activity_reports", period="September")
