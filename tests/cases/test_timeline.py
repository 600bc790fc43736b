"""Confidential notes, transfers between workers, assignment, visits and the timeline."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.cases import selectors, services
from pilar.cases.models import Transfer
from pilar.core.errors import DomainError
from pilar.notifications.models import Notification
from tests.conftest import KEL_A, KEL_A2
from tests.factories import psm_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def psm_a2(city):
    # A PSM of Sukaasih: the same kecamatan as A, another kelurahan.
    return psm_user("psm.a2", KEL_A2)


@pytest.fixture
def psm_a_colleague(city):
    # A second PSM of kelurahan A, not assigned to the case.
    return psm_user("psm.a.kedua", KEL_A)


def _texts(user, case):
    items, _shown = selectors.timeline(user, case)
    return [i["obj"].text for i in items if i["kind"] == "note"]


def test_confidential_note_is_shown_to_assigned_worker_and_supervisors_only(
    client, case_a, psm_a, tksk_a, operator, pimpinan, psm_a_colleague
):
    services.case_note_add(actor=psm_a, case=case_a, text="Biasa")
    services.case_note_add(actor=psm_a, case=case_a, text="Korban KDRT oleh suami", confidential=True)
    for reader in (psm_a, tksk_a, operator):
        assert "Korban KDRT oleh suami" in _texts(reader, case_a)
    for reader in (pimpinan, psm_a_colleague):
        assert _texts(reader, case_a) == ["Biasa"]


def test_every_view_of_confidential_notes_is_logged(client, case_a, psm_a, tksk_a, pimpinan):
    services.case_note_add(actor=psm_a, case=case_a, text="Rahasia", confidential=True)
    client.force_login(tksk_a)
    client.get(case_a.get_absolute_url())
    client.get(case_a.get_absolute_url())
    viewed = AuditEntry.objects.filter(action="cases.confidential.viewed", object_id=str(case_a.pk))
    assert viewed.filter(actor=tksk_a).count() == 2
    client.force_login(pimpinan)
    body = client.get(case_a.get_absolute_url()).content.decode()
    assert "Rahasia" not in body and not viewed.filter(actor=pimpinan).exists()


def test_audit_trail_keeps_no_confidential_words(case_a, psm_a):
    services.case_note_add(actor=psm_a, case=case_a, text="Korban KDRT", confidential=True)
    entry = AuditEntry.objects.get(action="cases.note.added")
    assert "KDRT" not in str(entry.data) and entry.data["confidential"] is True


def test_transfer_waits_for_the_receiver(case_a, psm_a, psm_a2):
    transfer = services.case_transfer(actor=psm_a, case=case_a, to_user=psm_a2, reason="Pindah tugas")
    assert list(case_a.assigned.all()) == [psm_a]
    assert Notification.objects.filter(recipient=psm_a2, kind="cases.transfer_pending").exists()
    # The receiver, from the neighbouring kelurahan, can already see the case to decide.
    assert selectors.case_list(psm_a2).filter(pk=case_a.pk).exists()
    with pytest.raises(PermissionDenied):
        services.case_transfer_accept(actor=psm_a, transfer=transfer)
    services.case_transfer_accept(actor=psm_a2, transfer=transfer)
    assert list(case_a.assigned.all()) == [psm_a2]
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.ACCEPTED
    with pytest.raises(DomainError):
        services.case_transfer_accept(actor=psm_a2, transfer=transfer)


def test_declined_transfer_leaves_the_case_with_the_giver(case_a, psm_a, psm_a2):
    transfer = services.case_transfer(actor=psm_a, case=case_a, to_user=psm_a2, reason="Cuti")
    with pytest.raises(ValidationError):
        services.case_transfer_decline(actor=psm_a2, transfer=transfer, note="")
    services.case_transfer_decline(actor=psm_a2, transfer=transfer, note="Kasus saya sudah banyak")
    assert list(case_a.assigned.all()) == [psm_a]
    assert not selectors.case_list(psm_a2).filter(pk=case_a.pk).exists()


def test_only_one_pending_transfer_at_a_time(case_a, psm_a, psm_a2, tksk_a):
    services.case_transfer(actor=psm_a, case=case_a, to_user=psm_a2, reason="Cuti")
    with pytest.raises(DomainError):
        services.case_transfer(actor=psm_a, case=case_a, to_user=tksk_a, reason="Cuti")


def test_transfer_to_a_worker_of_another_kecamatan_is_refused(case_a, psm_a, psm_b):
    with pytest.raises(ValidationError) as exc:
        services.case_transfer(actor=psm_a, case=case_a, to_user=psm_b, reason="x")
    assert "to_user" in exc.value.message_dict
    assert not Transfer.objects.exists()


def test_transfer_accepted_on_the_page(client, case_a, psm_a, psm_a2):
    client.force_login(psm_a)
    response = client.post(f"/kasus/{case_a.pk}/serahkan/", {"to_user": "psm.a2", "reason": "Pindah"})
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    client.force_login(psm_a2)
    assert client.get(case_a.get_absolute_url()).context["transfer"] == transfer
    assert client.post(f"/kasus/serah-terima/{transfer.pk}/terima/").status_code == 302
    assert list(case_a.assigned.all()) == [psm_a2]


def test_supervisor_assigns_a_worker_who_is_told(case_a, tksk_a, psm_a2):
    services.case_assign(actor=tksk_a, case=case_a, user=psm_a2)
    assert set(case_a.assigned.values_list("username", flat=True)) == {"psm.a", "psm.a2"}
    assert Notification.objects.filter(recipient=psm_a2, kind="cases.assigned").exists()


def test_psm_may_take_an_unheld_case_but_not_assign_others(city, psm_a, psm_a_colleague):
    from pilar.cases.models import Case
    from tests.factories import region

    case = services.case_open(
        actor=None, kelurahan=region(KEL_A), category=None, source=Case.Source.COMPLAINT, summary="Lansia sendirian"
    )
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=psm_a, case=case, user=psm_a_colleague)
    services.case_assign(actor=psm_a, case=case, user=psm_a)
    assert list(case.assigned.all()) == [psm_a]


def test_visit_in_the_future_is_refused(case_a, psm_a):
    with pytest.raises(ValidationError) as exc:
        services.case_visit_add(
            actor=psm_a, case=case_a, visit_date=timezone.localdate() + timedelta(days=1), visitors="PSM", findings="x"
        )
    assert "visit_date" in exc.value.message_dict
    assert not case_a.visits.exists()


def test_timeline_shows_visits_notes_and_stage_changes_in_order(case_a, psm_a):
    services.case_visit_add(
        actor=psm_a,
        case=case_a,
        visit_date=timezone.localdate(),
        visitors="PSM dan ketua RT",
        findings="Rumah kosong, tetangga merawat",
    )
    services.case_note_add(actor=psm_a, case=case_a, text="Hubungi anaknya")
    services.case_advance(actor=psm_a, case=case_a)
    items, _shown = selectors.timeline(psm_a, case_a)
    assert [i["kind"] for i in items] == ["event", "visit", "note", "event"]
    assert items[-1]["from"] and items[-1]["to"] == "Asesmen"


def test_psm_taking_a_case_is_offered_only_themself(client, city, psm_a, psm_a_colleague):
    from pilar.cases.models import Case
    from tests.factories import region

    case = services.case_open(
        actor=None, kelurahan=region(KEL_A), category=None, source=Case.Source.COMPLAINT, summary="Lansia sendirian"
    )
    client.force_login(psm_a)
    form = client.get(case.get_absolute_url()).context["forms"]["assign"]
    assert list(form.fields["user"].queryset) == [psm_a]
    response = client.post(f"/kasus/{case.pk}/tugaskan/", {"user": psm_a_colleague.username})
    assert response.status_code == 400 and not case.assigned.exists()
    assert client.post(f"/kasus/{case.pk}/tugaskan/", {"user": psm_a.username}).status_code == 302
    assert list(case.assigned.all()) == [psm_a]
