"""Overdue: a case in a stage longer than the stage's target; reminded once per case per stay in a stage."""

from io import StringIO

import pytest
from django.core.management import call_command

from pilar.cases import services
from pilar.cases.models import Case, StageTarget
from pilar.cases.tasks import remind_overdue_cases
from pilar.notifications.models import Notification
from tests.cases.conftest import age

pytestmark = pytest.mark.django_db


def test_case_is_overdue_after_its_stage_target(case_a):
    age(case_a, 2)
    assert not Case.objects.overdue().exists()  # intake allows 3 days
    age(case_a, 4)
    assert list(Case.objects.overdue()) == [case_a]


def test_target_edited_in_the_admin_applies_at_once(case_a):
    age(case_a, 2)
    StageTarget.objects.filter(stage="intake").update(days=1)
    assert list(Case.objects.overdue()) == [case_a]


def test_closed_case_is_never_overdue(case_a, psm_a):
    services.case_close(actor=psm_a, case=case_a, outcome="tertangani", reason="Selesai")
    age(case_a, 400)
    assert not Case.objects.overdue().exists()


def test_moving_on_restarts_the_clock(case_a, psm_a):
    age(case_a, 10)
    services.case_advance(actor=psm_a, case=case_a)
    assert not Case.objects.overdue().exists()


def test_reminder_goes_once_per_case_and_stage(case_a, psm_a, tksk_a):
    age(case_a, 10)
    out = StringIO()
    call_command("remind_overdue_cases", stdout=out)
    assert "1 kasus" in out.getvalue()
    reminded = Notification.objects.filter(kind="cases.overdue")
    assert set(reminded.values_list("recipient__username", flat=True)) == {"psm.a", "tksk.a"}
    call_command("remind_overdue_cases", stdout=StringIO())
    assert reminded.count() == 2  # nothing new on the second run
    # Late again in the next stage: a new reminder.
    services.case_advance(actor=psm_a, case=case_a)
    age(case_a, 30)
    assert services.case_remind_overdue() == 1


def test_reminder_task_runs_the_same_service(case_a):
    age(case_a, 10)
    assert remind_overdue_cases.call() == 1
    assert remind_overdue_cases.call() == 0


def test_unheld_overdue_case_reminds_the_area(city, tksk_a, psm_a):
    from tests.conftest import KEL_A
    from tests.factories import region

    case = services.case_open(
        actor=None, kelurahan=region(KEL_A), category=None, source="pengaduan", summary="Anak jalanan"
    )
    age(case, 10)
    services.case_remind_overdue()
    told = set(Notification.objects.filter(kind="cases.overdue").values_list("recipient__username", flat=True))
    assert told == {"psm.a", "tksk.a"}


def test_overdue_cases_of_one_worker_are_listed_from_the_overview(client, make_case, psm_a, tksk_a, city):
    from tests.factories import psm_user

    colleague = psm_user("psm.a.kedua", "36.71.01.1001")
    late = age(make_case(psm_a), 10)
    age(make_case(colleague), 10)
    client.force_login(tksk_a)
    page = client.get("/kasus/terlambat/").content.decode()
    assert "/kasus/?worker=psm.a&amp;overdue=1" in page
    rows = client.get("/kasus/", {"worker": "psm.a", "overdue": "1"}).context["rows"]
    assert [r["case"] for r in rows] == [late]


def test_overview_reads_the_stage_targets_once_and_no_more_queries_for_more_cases(client, make_case, psm_a, tksk_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(tksk_a)
    age(make_case(psm_a), 10)
    client.get("/kasus/terlambat/")  # the session's first request reads what later ones have cached
    with CaptureQueriesContext(connection) as few:
        assert client.get("/kasus/terlambat/").status_code == 200
    for _ in range(4):
        age(make_case(psm_a), 10)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/kasus/terlambat/").status_code == 200
    assert len(many) == len(few)
    assert sum("cases_stagetarget" in q["sql"] for q in many.captured_queries) == 1
