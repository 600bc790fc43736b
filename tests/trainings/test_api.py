"""``/api/v1/trainings``: login, scope, counts, attendance per session, invite, marking, check-in."""

import pytest

from pilar.audit.models import PersonalDataAccess
from pilar.regions.models import Region
from pilar.trainings import attendance, services
from pilar.trainings.models import Event, Participant
from pilar.trainings.services import Target
from tests.conftest import KEC_B, KEL_A

pytestmark = pytest.mark.django_db
BASE = "/api/v1/trainings/"


def invite_all(event, operator):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)


def test_every_training_endpoint_needs_a_token(api_as, event):
    client = api_as(None)
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}{event.pk}/").status_code == 401
    assert client.get(f"{BASE}{event.pk}/attendance/").status_code == 401
    assert client.post(f"{BASE}check-in", {"code": "X"}, content_type="application/json").status_code == 401


def test_list_carries_title_dates_and_counts(api_as, operator, psm_a, psm_b, event):
    invite_all(event, operator)
    mine = Participant.objects.get(worker__user=psm_a)
    attendance.attendance_mark(session=event.sessions.get(), actor=operator, present=[mine.pk])
    body = api_as(operator).get(BASE).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["title"] == event.title and item["start_date"] == event.start_date.isoformat()
    assert (item["participant_count"], item["attended_count"], item["completed_count"]) == (2, 1, 1)


def test_tksk_counts_only_their_kecamatan(api_as, operator, tksk_a, psm_a, psm_b, event):
    invite_all(event, operator)
    item = api_as(tksk_a).get(BASE).json()["results"][0]
    assert item["participant_count"] == 1


def test_psm_not_invited_gets_404_for_the_event(api_as, operator, psm_a, psm_b, event):
    services.participants_invite(
        event=event, actor=operator, target=Target.PSM_KELURAHAN, region=Region.objects.get(code=KEL_A)
    )
    client = api_as(psm_b)
    assert client.get(BASE).json()["count"] == 0
    assert client.get(f"{BASE}{event.pk}/").status_code == 404
    assert client.get(f"{BASE}{event.pk}/attendance/").status_code == 404


def test_attendance_lists_sessions_per_participant_and_is_logged(api_as, operator, psm_a, event):
    invite_all(event, operator)
    session = event.sessions.get()
    participant = Participant.objects.get()
    attendance.attendance_mark(session=session, actor=operator, present=[participant.pk])
    body = api_as(operator).get(f"{BASE}{event.pk}/attendance/").json()
    row = body["results"][0]
    assert row["sessions"] == [{"session_id": session.pk, "present": True}]
    assert row["completed"] and row["certificate_code"]
    assert PersonalDataAccess.objects.filter(user=operator, channel="api").exists()


def test_psm_sees_only_their_own_attendance(api_as, operator, psm_a, psm_a2, event):
    invite_all(event, operator)
    rows = api_as(psm_a).get(f"{BASE}{event.pk}/attendance/").json()["results"]
    assert [r["name"] for r in rows] == [psm_a.worker.person.name]


def test_operator_creates_invites_and_marks(api_as, operator, psm_a, psm_b):
    client = api_as(operator)
    created = client.post(
        BASE,
        {
            "kind": "bimtek",
            "title": "Bimtek Batuceper",
            "start_date": "2026-11-23",
            "end_date": "2026-11-23",
            "venue": "Aula Kecamatan Batuceper",
            "organiser": "Dinas Sosial",
            "completion_percent": 100,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    assert created.json()["checkin_code"]
    invited = client.post(
        f"{BASE}{event_id}/invite", {"target": "psm_kecamatan", "kecamatan": KEC_B}, content_type="application/json"
    )
    assert invited.json() == {"invited": 1, "already": 0}
    participant = Participant.objects.get(event_id=event_id)
    session_id = created.json()["sessions"][0]["id"]
    marked = client.post(
        f"{BASE}{event_id}/attendance/",
        {"session": session_id, "present": [participant.pk]},
        content_type="application/json",
    )
    assert marked.json() == {"added": 1, "removed": 0}


def test_bad_event_body_answers_400_and_saves_nothing(api_as, operator):
    response = api_as(operator).post(BASE, {"kind": "rapat", "title": ""}, content_type="application/json")
    assert response.status_code == 400
    assert {"kind", "title", "start_date"} <= set(response.json()["errors"])
    assert not Event.objects.exists()


def test_invite_over_capacity_answers_409(api_as, operator, psm_a, psm_b):
    from tests.trainings.conftest import make_event

    event = make_event(operator, capacity=1)
    response = api_as(operator).post(
        f"{BASE}{event.pk}/invite", {"target": "psm_semua"}, content_type="application/json"
    )
    assert response.status_code == 409 and "Kapasitas" in response.json()["detail"]


def test_psm_cannot_mark_or_invite(api_as, operator, psm_a, event):
    invite_all(event, operator)
    client = api_as(psm_a)
    body = {"session": event.sessions.get().pk, "present": [Participant.objects.get().pk]}
    assert client.post(f"{BASE}{event.pk}/attendance/", body, content_type="application/json").status_code == 403
    assert (
        client.post(f"{BASE}{event.pk}/invite", {"target": "semua"}, content_type="application/json").status_code == 403
    )


def test_worker_checks_in_and_answers_through_the_api(api_as, operator, psm_a, event):
    invite_all(event, operator)
    client = api_as(psm_a)
    ok = client.post(f"{BASE}check-in", {"code": event.checkin_code}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["created"] is True
    bad = client.post(f"{BASE}check-in", {"code": "QQQQQQ"}, content_type="application/json")
    assert bad.status_code == 409
    participant = Participant.objects.get()
    answer = client.post(
        f"{BASE}participants/{participant.pk}/respond", {"response": "hadir"}, content_type="application/json"
    )
    assert answer.status_code == 200


def test_another_psm_cannot_answer_for_a_participant(api_as, operator, psm_a, psm_a2, tksk_a, event):
    invite_all(event, operator)
    theirs = Participant.objects.get(worker__user=psm_a)
    url = f"{BASE}participants/{theirs.pk}/respond"
    assert api_as(psm_a2).post(url, {"response": "hadir"}, content_type="application/json").status_code == 404
    # The TKSK sees the kecamatan's participants but answers for nobody.
    assert api_as(tksk_a).post(url, {"response": "hadir"}, content_type="application/json").status_code == 403


def test_training_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/trainings/", "/api/v1/trainings/{event_id}/", "/api/v1/trainings/{event_id}/attendance/"} <= set(
        paths
    )
