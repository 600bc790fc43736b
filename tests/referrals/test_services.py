from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from pilar.notifications.models import Notification
from pilar.referrals import services
from pilar.referrals.models import Referral, ReferralEvent, ReferralStatus
from pilar.referrals.selectors import referrals_for_case

S = ReferralStatus


def test_sending_records_the_event_the_audit_entry_and_tells_the_agency(referral_a, case_a, psm_a, opd_user):
    assert referral_a.status == S.SENT
    assert (referral_a.kelurahan_id, referral_a.kecamatan_id) == (case_a.kelurahan_id, case_a.kecamatan_id)
    assert referral_a.answer_due == timezone.localdate() + timedelta(days=3)
    assert referral_a.contact_name == str(psm_a)
    event = referral_a.events.get()
    assert (event.action, event.to_status, event.actor) == ("sent", S.SENT, psm_a)
    assert AuditEntry.objects.filter(action="referrals.referral.sent", object_id=str(referral_a.pk)).exists()
    note = Notification.objects.get(recipient=opd_user, kind="referrals.received")
    assert note.url == referral_a.get_absolute_url()


def test_answer_days_come_from_the_setting(settings, case_a, psm_a, send):
    settings.PILAR_REFERRAL_ANSWER_DAYS = 5
    assert send(case_a, psm_a).answer_due == timezone.localdate() + timedelta(days=5)


def test_a_referral_needs_a_reason_and_nothing_is_saved_without_it(case_a, psm_a, send):
    with pytest.raises(ValidationError) as exc:
        send(case_a, psm_a, reason="   ")
    assert "reason" in exc.value.message_dict
    assert not Referral.objects.exists()


def test_a_case_has_one_open_referral_per_agency(referral_a, case_a, psm_a, send, opd_user):
    with pytest.raises(ValidationError) as exc:
        send(case_a, psm_a)
    assert "masih punya rujukan terbuka" in exc.value.message_dict["agency"][0]
    services.referral_decline(referral=referral_a, actor=opd_user, reason="Bukan wewenang puskesmas")
    assert send(case_a, psm_a).status == S.SENT  # after a refusal the case may be sent again


def test_the_database_refuses_a_second_open_referral_to_the_same_agency(referral_a):
    copy = Referral.objects.get(pk=referral_a.pk)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_the_database_refuses_a_decline_without_reason(referral_a, opd_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral_a.pk).update(status=S.DECLINED, decided_at=timezone.now())


def test_a_closed_case_cannot_be_referred(case_a, psm_a, send):
    from pilar.cases.models import Case

    Case.objects.filter(pk=case_a.pk).update(stage="ditutup", outcome="tertangani", closed_at=timezone.now())
    case_a.refresh_from_db()
    with pytest.raises(DomainError):
        send(case_a, psm_a)


def test_the_full_journey_leaves_every_state_in_the_case_timeline(referral_a, case_a, opd_user, psm_a):
    services.referral_accept(referral=referral_a, actor=opd_user, note="Dijadwalkan ke puskesmas")
    services.referral_process(referral=referral_a, actor=opd_user)
    done = services.referral_complete(
        referral=referral_a, actor=opd_user, outcome="Sudah diperiksa, dirawat jalan", completed_on=timezone.localdate()
    )
    assert (done.status, done.completed_by, done.outcome) == (S.COMPLETED, opd_user, "Sudah diperiksa, dirawat jalan")
    [shown] = referrals_for_case(case_a)
    assert [e.action for e in shown.events.all()] == ["sent", "accepted", "processing", "completed"]
    assert [e.to_status for e in shown.events.all()] == [S.SENT, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED]
    kinds = set(Notification.objects.filter(recipient=psm_a).values_list("kind", flat=True))
    assert {"referrals.accepted", "referrals.completed"} <= kinds


def test_a_decline_tells_the_case_worker_without_mailing_the_reason(referral_a, opd_user, psm_a):
    services.referral_decline(referral=referral_a, actor=opd_user, reason="Di luar layanan Dinkes")
    note = Notification.objects.get(recipient=psm_a, kind="referrals.declined")
    assert note.url == referral_a.get_absolute_url() and "ditolak oleh Dinas Kesehatan" in note.title
    assert "Di luar layanan" not in note.body  # the reason is read in Pilar, not in an email


def test_a_decline_needs_a_reason(referral_a, opd_user):
    with pytest.raises(ValidationError):
        services.referral_decline(referral=referral_a, actor=opd_user, reason="")
    referral_a.refresh_from_db()
    assert referral_a.status == S.SENT


def test_an_answered_referral_cannot_be_answered_again(referral_a, opd_user):
    services.referral_accept(referral=referral_a, actor=opd_user)
    stale = Referral.objects.get(pk=referral_a.pk)
    stale.status = S.SENT  # what a second, slower user still had on screen
    with pytest.raises(DomainError):
        services.referral_decline(referral=stale, actor=opd_user, reason="terlambat")
    assert Referral.objects.get(pk=referral_a.pk).status == S.ACCEPTED


def test_completion_needs_an_accepted_referral_an_outcome_and_a_real_date(referral_a, opd_user):
    with pytest.raises(DomainError):
        services.referral_complete(referral=referral_a, actor=opd_user, outcome="x", completed_on=timezone.localdate())
    services.referral_accept(referral=referral_a, actor=opd_user)
    with pytest.raises(ValidationError):
        services.referral_complete(referral=referral_a, actor=opd_user, outcome=" ", completed_on=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        services.referral_complete(
            referral=referral_a, actor=opd_user, outcome="ok", completed_on=timezone.localdate() + timedelta(days=1)
        )
    assert "completed_on" in exc.value.message_dict
    assert Referral.objects.get(pk=referral_a.pk).status == S.ACCEPTED


def test_overdue_means_still_sent_after_the_answer_date(referral_a, opd_user):
    due = referral_a.answer_due
    assert not Referral.objects.overdue(due).exists()
    assert Referral.objects.overdue(due + timedelta(days=1)).get() == referral_a
    services.referral_accept(referral=referral_a, actor=opd_user)
    assert not Referral.objects.overdue(due + timedelta(days=1)).exists()


def test_overdue_referrals_are_reminded_once_a_day(referral_a, opd_user):
    late = referral_a.answer_due + timedelta(days=1)
    assert services.referrals_remind_overdue(today=referral_a.answer_due) == 0
    assert services.referrals_remind_overdue(today=late) == 1
    assert services.referrals_remind_overdue(today=late) == 0  # the same day again: nothing
    assert services.referrals_remind_overdue(today=late + timedelta(days=1)) == 1
    reminders = Notification.objects.filter(recipient=opd_user, kind="referrals.overdue")
    assert reminders.count() == 2
    assert ReferralEvent.objects.filter(referral=referral_a, action="reminded").count() == 2


def test_answered_referrals_are_not_reminded(referral_a, opd_user):
    services.referral_decline(referral=referral_a, actor=opd_user, reason="Bukan wewenang")
    assert services.referrals_remind_overdue(today=referral_a.answer_due + timedelta(days=9)) == 0


def test_an_agency_without_users_gets_its_reminder_through_the_sender(case_a, psm_a, send, disnaker):
    referral = send(case_a, psm_a, to=disnaker)
    assert services.referrals_remind_overdue(today=referral.answer_due + timedelta(days=1)) == 1
    note = Notification.objects.get(kind="referrals.overdue")
    assert note.recipient == psm_a and "belum punya pengguna Pilar" in note.body
