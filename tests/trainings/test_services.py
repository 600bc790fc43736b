"""Invitations, attendance, the completion rule and certificates, through the services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from pilar.notifications.models import Notification
from pilar.regions.models import Region
from pilar.trainings import attendance, services
from pilar.trainings.models import Attendance, Certificate, Participant, Response
from pilar.trainings.services import Target
from pilar.workers.models import Worker
from tests.conftest import KEC_B, KEL_A
from tests.trainings.conftest import make_event

pytestmark = pytest.mark.django_db


def invite_batuceper(event, operator):
    return services.participants_invite(
        event=event, actor=operator, target=Target.PSM_KECAMATAN, region=Region.objects.get(code=KEC_B)
    )


def test_inviting_a_kecamatan_takes_its_active_psm_only(event, operator, batuceper_psm, psm_a):
    result = invite_batuceper(event, operator)
    assert result.invited == 5 and result.already == 0
    invited = set(event.participants.values_list("worker_id", flat=True))
    assert invited == {w.pk for w in batuceper_psm}
    assert not event.participants.filter(worker__user=psm_a).exists()
    assert set(event.participants.values_list("kecamatan__code", flat=True)) == {KEC_B}
    assert AuditEntry.objects.filter(action="trainings.participants.invited", object_id=str(event.pk)).count() == 1


def test_reinviting_the_same_kecamatan_adds_nobody(event, operator, batuceper_psm):
    invite_batuceper(event, operator)
    again = invite_batuceper(event, operator)
    assert (again.invited, again.already) == (0, 5)
    assert event.participants.count() == 5


def test_over_capacity_is_refused_with_the_numbers_and_saves_nothing(operator, batuceper_psm):
    event = make_event(operator, capacity=3)
    with pytest.raises(DomainError) as refused:
        invite_batuceper(event, operator)
    assert "Kapasitas pelatihan 3 orang" in refused.value.message
    assert "Sisa tempat: 3" in refused.value.message
    assert event.participants.count() == 0


def test_invited_workers_with_a_login_are_notified(event, operator, psm_a, psm_a2):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    notes = Notification.objects.filter(kind="trainings.invited")
    assert set(notes.values_list("recipient__username", flat=True)) == {"psm.a", "psm.a2"}


def test_tksk_target_invites_only_tksk(event, operator, tksk_workers, batuceper_psm):
    services.participants_invite(event=event, actor=operator, target=Target.TKSK_ALL)
    assert list(event.participants.values_list("role", flat=True)) == ["tksk"]


def test_kelurahan_target_needs_a_kelurahan(event, operator):
    with pytest.raises(DomainError) as refused:
        services.participants_invite(event=event, actor=operator, target=Target.PSM_KELURAHAN)
    assert refused.value.field == "kelurahan"


def test_only_the_invited_worker_answers_the_invitation(event, operator, psm_a, psm_a2):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    mine = event.participants.get(worker__user=psm_a)
    services.participant_respond(participant=mine, actor=psm_a, response=Response.YES)
    mine.refresh_from_db()
    assert mine.response == Response.YES and mine.responded_at is not None
    with pytest.raises(DomainError):
        services.participant_respond(participant=mine, actor=psm_a2, response=Response.NO)


def test_marking_a_thousand_participants_takes_a_few_queries(operator, city, django_assert_max_num_queries):
    from tests.factories import WorkerFactory, region

    kel = region(KEL_A)
    for _i in range(60):
        WorkerFactory(region=kel)
    event = make_event(operator)
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    session = event.sessions.get()
    ids = list(event.participants.values_list("pk", flat=True))
    with django_assert_max_num_queries(20):
        result = attendance.attendance_mark(session=session, actor=operator, present=ids)
    assert result.added == 60
    assert event.participants.filter(completed=True).count() == 60
    assert Certificate.objects.filter(participant__event=event).count() == 60


def test_completion_follows_the_percentage_of_sessions(operator, psm_a):
    event = make_event(operator, days=4, start=timezone.localdate() - timedelta(days=3), completion_percent=75)
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    participant = event.participants.get()
    sessions = list(event.sessions.all())
    assert len(sessions) == 4
    for session in sessions[:2]:
        attendance.attendance_mark(session=session, actor=operator, present=[participant.pk])
    participant.refresh_from_db()
    assert participant.attended_sessions == 2 and not participant.completed
    attendance.attendance_mark(session=sessions[2], actor=operator, present=[participant.pk])
    participant.refresh_from_db()
    assert participant.completed
    assert participant.certificate.is_valid


def test_unmarking_attendance_revokes_the_certificate_and_remarking_restores_it(event, operator, psm_a):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    participant, session = event.participants.get(), event.sessions.get()
    attendance.attendance_mark(session=session, actor=operator, present=[participant.pk])
    code = Certificate.objects.get(participant=participant).code
    attendance.attendance_mark(session=session, actor=operator, absent=[participant.pk])
    cert = Certificate.objects.get(participant=participant)
    assert not cert.is_valid
    attendance.attendance_mark(session=session, actor=operator, present=[participant.pk])
    cert.refresh_from_db()
    assert cert.is_valid and cert.code == code


def test_adding_a_session_reopens_completion(event, operator, psm_a):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    participant = event.participants.get()
    attendance.attendance_mark(session=event.sessions.get(), actor=operator, present=[participant.pk])
    services.session_add(event=event, actor=operator, name="Sesi sore", day=event.start_date)
    participant.refresh_from_db()
    assert not participant.completed


def test_marking_a_participant_of_another_event_is_refused(event, operator, psm_a):
    other = make_event(operator, title="Sosialisasi DTSEN")
    services.participants_invite(event=other, actor=operator, target=Target.PSM_ALL)
    stranger = other.participants.get()
    with pytest.raises(DomainError):
        attendance.attendance_mark(session=event.sessions.get(), actor=operator, present=[stranger.pk])
    assert not Attendance.objects.exists()


def test_worker_checks_in_with_the_code_on_the_day(event, operator, psm_a):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    row, created = attendance.check_in_by_code(code=event.checkin_code.lower(), user=psm_a)
    assert created and row.method == Attendance.Method.CODE
    again, created_again = attendance.check_in_by_code(code=event.checkin_code, user=psm_a)
    assert not created_again and again.pk == row.pk
    assert Participant.objects.get(worker__user=psm_a).completed


def test_check_in_is_refused_outside_the_event_dates(operator, psm_a):
    event = make_event(operator, start=timezone.localdate() + timedelta(days=2))
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    with pytest.raises(DomainError) as refused:
        attendance.check_in_by_code(code=event.checkin_code, user=psm_a)
    assert "hanya dibuka pada tanggal pelatihan" in refused.value.message
    assert not Attendance.objects.exists()


def test_check_in_of_a_worker_not_invited_is_refused(event, operator, psm_a, psm_b):
    services.participants_invite(
        event=event, actor=operator, target=Target.PSM_KELURAHAN, region=Region.objects.get(code=KEL_A)
    )
    with pytest.raises(DomainError) as refused:
        attendance.check_in_by_code(code=event.checkin_code, user=psm_b)
    assert "tidak terdaftar" in refused.value.message


def test_unknown_code_is_refused(psm_a, event):
    with pytest.raises(DomainError) as refused:
        attendance.check_in_by_code(code="ZZZZZZ", user=psm_a)
    assert refused.value.field == "code"


def test_two_sessions_today_need_a_choice(event, operator, psm_a):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    second = services.session_add(event=event, actor=operator, name="Sesi sore", day=event.start_date)
    with pytest.raises(DomainError) as refused:
        attendance.check_in_by_code(code=event.checkin_code, user=psm_a)
    assert refused.value.field == "session"
    row, _created = attendance.check_in_by_code(code=event.checkin_code, user=psm_a, session_id=second.pk)
    assert row.session == second


def test_qr_token_names_its_session_and_cannot_be_forged(event):
    session = event.sessions.get()
    assert attendance.session_from_token(attendance.qr_token(session)) == session
    forged = attendance.qr_token(session).replace(":", ":x", 1)
    with pytest.raises(DomainError):
        attendance.session_from_token(forged)


def test_certificate_codes_are_unique_and_long():
    codes = {attendance.certificate_code() for _i in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 19 and c.count("-") == 3 for c in codes)


def test_event_dates_must_be_ordered(operator):
    with pytest.raises(DomainError):
        make_event(operator, start=timezone.localdate(), end_date=timezone.localdate() - timedelta(days=1))


def test_invitation_email_goes_after_commit(event, operator, psm_a, django_capture_on_commit_callbacks):
    psm_a.email = "psm.a@example.org"
    psm_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    assert [m.to for m in mail.outbox] == [["psm.a@example.org"]]
    assert Worker.objects.filter(user=psm_a).exists()


def test_completing_participants_are_told_their_certificate_is_ready(event, operator, psm_a, psm_a2):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    mine = event.participants.get(worker__user=psm_a)
    attendance.attendance_mark(session=event.sessions.get(), actor=operator, present=[mine.pk])
    notes = Notification.objects.filter(kind="trainings.certificate_issued")
    assert list(notes.values_list("recipient__username", flat=True)) == ["psm.a"]
