from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pilar.activities import services
from pilar.activities.models import RoadshowVisit
from pilar.activities.recap import coverage
from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from tests.conftest import KEC_A, KEC_B, KEL_A, KEL_A2, KEL_B
from tests.factories import region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def october(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 5))


def plan(actor, code: str, day: date = date(2026, 9, 10)) -> RoadshowVisit:
    return services.roadshow_plan(actor=actor, region=region(code), planned_date=day, topic="Sosialisasi PKH")


def test_coverage_of_all_104_kelurahan_counts_visited_planned_and_not_yet(operator):
    services.roadshow_complete(actor=operator, visit=plan(operator, KEL_A), done_date=date(2026, 9, 10))
    plan(operator, KEL_A2, date(2026, 11, 2))
    cancelled = plan(operator, KEL_B)
    services.roadshow_cancel(actor=operator, visit=cancelled, reason="Hujan deras")
    plan(operator, KEC_B)  # a stop at the kecamatan office reaches no kelurahan by itself

    rows = coverage()
    assert sum(len(row.villages) for row in rows) == 104 and len(rows) == 13
    assert (sum(r.visited for r in rows), sum(r.planned for r in rows), sum(r.not_yet for r in rows)) == (1, 1, 102)
    tangerang = next(row for row in rows if row.kecamatan.code == KEC_A)
    states = {village.code: (state, day) for village, state, day in tangerang.villages}
    assert states[KEL_A] == ("selesai", date(2026, 9, 10))
    assert states[KEL_A2] == ("rencana", date(2026, 11, 2))
    assert next(row for row in rows if row.kecamatan.code == KEC_B).kecamatan_visits == 1


def test_only_dinsos_plans_the_roadshow(tksk_a):
    with pytest.raises(PermissionDenied):
        plan(tksk_a, KEL_A)
    assert not RoadshowVisit.objects.exists()


def test_a_held_visit_cannot_be_dated_in_the_future_nor_cancelled_afterwards(operator):
    visit = plan(operator, KEL_A)
    with pytest.raises(ValidationError):
        services.roadshow_complete(actor=operator, visit=visit, done_date=date(2026, 12, 1))
    services.roadshow_complete(actor=operator, visit=visit, done_date=date(2026, 9, 11))
    with pytest.raises(DomainError):
        services.roadshow_cancel(actor=operator, visit=visit, reason="salah input")
    assert AuditEntry.objects.filter(action="activities.roadshow.done").count() == 1


def test_operator_plans_from_the_page_and_a_bad_region_is_refused(client, operator):
    client.force_login(operator)
    bad = client.post(reverse("activities:roadshow_plan"), {"region": "99.99", "planned_date": "2026-11-01"})
    assert bad.status_code == 400 and "Kode wilayah tidak dikenal" in bad.text
    assert not RoadshowVisit.objects.exists()
    ok = client.post(reverse("activities:roadshow_plan"), {"region": KEL_A, "planned_date": "2026-11-01"})
    assert ok.status_code == 302
    visit = RoadshowVisit.objects.get()
    assert (visit.kecamatan.code, visit.status) == (KEC_A, "rencana")
    client.post(reverse("activities:roadshow_done", args=[visit.pk]), {"done_date": "2026-10-01"})
    visit.refresh_from_db()
    assert visit.status == "selesai"


def test_tksk_sees_the_coverage_of_their_kecamatan_only(client, operator, tksk_a):
    plan(operator, KEL_B)
    inside = plan(operator, KEL_A)
    client.force_login(tksk_a)
    page = client.get(reverse("activities:roadshow"))
    assert [row.kecamatan.code for row in page.context["rows"]] == [KEC_A]
    assert list(page.context["page"]) == [inside]


def test_roadshow_action_outside_the_area_answers_404(client, operator, tksk_a):
    visit = plan(operator, KEL_B)
    client.force_login(tksk_a)
    assert (
        client.post(reverse("activities:roadshow_done", args=[visit.pk]), {"done_date": "2026-10-01"}).status_code
        == 404
    )


def test_the_same_area_is_not_planned_twice_on_one_day_unless_cancelled(operator):
    first = plan(operator, KEL_A)
    with pytest.raises(ValidationError) as refused:
        plan(operator, KEL_A)
    assert "sudah direncanakan" in refused.value.message_dict["planned_date"][0]
    services.roadshow_cancel(actor=operator, visit=first, reason="Bentrok jadwal")
    plan(operator, KEL_A)
    assert RoadshowVisit.objects.count() == 2


def test_tksk_may_see_a_stop_in_the_kecamatan_but_not_mark_it_held(client, operator, tksk_a):
    visit = plan(operator, KEL_A)
    client.force_login(tksk_a)
    answer = client.post(reverse("activities:roadshow_done", args=[visit.pk]), {"done_date": "2026-10-01"})
    assert answer.status_code == 403
    visit.refresh_from_db()
    assert visit.status == "rencana"
