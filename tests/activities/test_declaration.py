"""The activity report's workflow is declared once (``pilar.activities.workflow``): its page URLs, API endpoints,
the buttons a page offers, the services' guard and the timeline's labels all follow from it; so do the
roadshow stop's steps, taken from the roadshow list."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from pilar.activities import services
from pilar.activities.models import ActivityReport, RoadshowVisit
from pilar.activities.workflow import REPORT, ROADSHOW
from pilar.api.api import api
from pilar.core.workflow import Forbidden, Refused
from tests.activities.makers import report_for, submitted
from tests.conftest import KEL_A
from tests.factories import WorkerFactory, region

pytestmark = pytest.mark.django_db
S = ActivityReport.Status


@pytest.fixture(autouse=True)
def october(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 5))


def offered_on_page(client, user, report) -> list[str]:
    client.force_login(user)
    page = client.get(report.get_absolute_url())
    names = [item.step.name for item in page.context["steps"]]
    for name in names:
        assert f'id="aksi-{name}"' in page.content.decode()
    return names


def test_every_declared_step_has_its_page_url_and_its_api_endpoint():
    paths = api.get_openapi_schema()["paths"]
    for step in REPORT.steps:
        assert reverse(f"activities:{step.name}", args=[1]).endswith(f"/{step.path}/")
        assert f"/api/v1/activity-reports/{{report_id}}/{step.name}" in paths


def test_the_author_is_offered_submit_and_the_tksk_the_check_as_the_declaration_says(client, psm_a, tksk_a):
    draft = report_for(psm_a)
    assert offered_on_page(client, psm_a, draft) == ["submit"] == [s.name for s in REPORT.offered(psm_a, draft)]
    assert offered_on_page(client, tksk_a, draft) == []  # nothing to check before it is submitted
    services.report_submit(actor=psm_a, report=draft)
    assert offered_on_page(client, psm_a, draft) == []
    assert offered_on_page(client, tksk_a, draft) == ["accept", "return"]


def test_a_checker_is_not_offered_the_check_of_their_own_report_and_the_guard_refuses_it(client, operator, city):
    WorkerFactory(region=region(KEL_A), user=operator)  # an operator who also writes reports as a PSM
    report = submitted(operator)
    assert offered_on_page(client, operator, report) == []
    answer = client.post(reverse("activities:accept", args=[report.pk]))
    assert answer.status_code == 403 and "Laporan sendiri tidak dapat diperiksa sendiri." in answer.text
    with pytest.raises(Forbidden):
        services.report_accept(actor=operator, report=report)
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_a_report_already_checked_is_refused_on_the_page_with_409_and_its_message(client, psm_a, tksk_a):
    report = services.report_accept(actor=tksk_a, report=submitted(psm_a))
    client.force_login(tksk_a)
    answer = client.post(reverse("activities:return", args=[report.pk]), {"reason": "Belum lengkap"})
    assert answer.status_code == 409 and "Hanya laporan berstatus diajukan" in answer.text
    with pytest.raises(Refused):
        services.report_submit(actor=psm_a, report=report)
    report.refresh_from_db()
    assert report.status == S.ACCEPTED


def test_the_timeline_labels_its_steps_from_the_declaration(client, psm_a, tksk_a):
    report = submitted(psm_a)
    services.report_return(actor=tksk_a, report=report, reason="Foto belum ada")
    client.force_login(psm_a)
    timeline = client.get(report.get_absolute_url()).context["timeline"]
    assert [item["label"] for item in timeline] == ["Dibuat", "Diajukan", "Dikembalikan"]
    assert timeline[-1]["reason"] == "Foto belum ada"


def roadshow_stop(operator) -> RoadshowVisit:
    return services.roadshow_plan(actor=operator, region=region(KEL_A), planned_date=date(2026, 9, 10))


def test_a_roadshow_stop_already_held_cannot_be_cancelled_from_the_list_and_keeps_its_state(client, operator):
    visit = services.roadshow_complete(actor=operator, visit=roadshow_stop(operator), done_date=date(2026, 9, 10))
    client.force_login(operator)
    answer = client.post(reverse("activities:roadshow_cancel", args=[visit.pk]), {"reason": "salah input"}, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("activities:roadshow")
    assert "Hanya kunjungan yang masih direncanakan" in answer.text
    visit.refresh_from_db()
    assert visit.status == RoadshowVisit.Status.DONE


def test_a_roadshow_step_with_bad_input_says_so_on_the_list_and_changes_nothing(client, operator):
    visit = roadshow_stop(operator)
    client.force_login(operator)
    future = client.post(reverse("activities:roadshow_done", args=[visit.pk]), {"done_date": "2026-12-01"}, follow=True)
    assert "Tanggal pelaksanaan tidak boleh di masa depan." in future.text
    empty = client.post(reverse("activities:roadshow_cancel", args=[visit.pk]), {"reason": ""}, follow=True)
    assert (
        empty.redirect_chain[-1][0] == reverse("activities:roadshow") and "Bidang ini tidak boleh kosong." in empty.text
    )
    visit.refresh_from_db()
    assert visit.status == RoadshowVisit.Status.PLANNED
    assert [s.name for s in ROADSHOW.offered(operator, visit)] == ["done", "cancel"]
