"""The workforce rules, through the services that pages, API and commands all call."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pilar.audit.models import AuditEntry
from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.workers import services
from pilar.workers.models import Assignment, BoardPosition, Worker, WorkerRole, WorkerStatus
from tests.conftest import KEC_A, KEL_A, KEL_A2, KEL_B
from tests.factories import WorkerFactory, region


def person(**overrides) -> services.PersonInput:
    born = overrides.pop("birth_date", date(1985, 3, 12))
    sex = overrides.pop("sex", "P")
    values = {
        "nik": make_nik(kecamatan_code=KEC_A, birth_date=born, sex=sex, serial=17),
        "name": "Siti Rahmawati",
        "sex": sex,
        "birth_date": born,
        "village": region(KEL_A),
    }
    return services.PersonInput(**(values | overrides))


def create(actor, **overrides):
    kwargs = {
        "person": person(),
        "role": WorkerRole.PSM,
        "region": region(KEL_A),
        "start_date": date(2023, 1, 2),
    }
    return services.worker_create(actor=actor, **(kwargs | overrides))


def errors_of(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def test_creating_a_psm_opens_a_posting_and_writes_the_audit_entry(operator):
    worker = create(operator, decree_number="400/12-Dinsos/2023", decree_issuer="Kepala Dinas Sosial")
    assert worker.kelurahan.code == KEL_A and worker.kecamatan.code == KEC_A
    assert worker.assignments.get().end_date is None
    assert worker.decrees.get().number == "400/12-Dinsos/2023"
    entry = AuditEntry.objects.get(action="workers.worker.created", object_id=str(worker.pk))
    assert entry.actor == operator
    assert entry.data["nik"].startswith("3671") and "*" in entry.data["nik"]


def test_nik_contradicting_the_birth_date_is_refused_and_nothing_is_saved(operator):
    wrong = person(birth_date=date(1990, 7, 1))
    wrong.nik = make_nik(kecamatan_code=KEC_A, birth_date=date(1985, 3, 12), sex="P", serial=3)
    with pytest.raises(ValidationError) as exc:
        create(operator, person=wrong)
    assert "Tanggal lahir tidak sesuai dengan NIK" in errors_of(exc)["birth_date"][0]
    assert not Person.objects.filter(name="Siti Rahmawati").exists()
    assert not AuditEntry.objects.exists()


def test_nik_contradicting_the_sex_is_refused(operator):
    with pytest.raises(ValidationError) as exc:
        create(
            operator,
            person=person(sex="L", nik=make_nik(kecamatan_code=KEC_A, birth_date=date(1985, 3, 12), sex="P", serial=4)),
        )
    assert "sex" in errors_of(exc)


def test_a_psm_must_be_at_least_eighteen_on_the_first_day(operator):
    young = date(2006, 6, 1)
    with pytest.raises(ValidationError) as exc:
        create(
            operator,
            person=person(birth_date=young, nik=make_nik(kecamatan_code=KEC_A, birth_date=young, sex="P", serial=5)),
        )
    assert "Usia minimal 18" in errors_of(exc)["birth_date"][0]


def test_an_rt_rw_head_cannot_become_a_psm(operator):
    with pytest.raises(ValidationError) as exc:
        create(operator, person=person(is_rt_rw_head=True))
    assert "Ketua RT/RW" in errors_of(exc)["is_rt_rw_head"][0]


def test_one_nik_is_one_person(operator):
    create(operator)
    with pytest.raises(ValidationError) as exc:
        create(operator, person=person(name="Orang Lain"))
    assert "sudah terdaftar" in errors_of(exc)["nik"][0]
    assert Person.objects.count() == 1


def test_psm_living_outside_the_kelurahan_needs_the_operators_confirmation(operator):
    elsewhere = person(village=region(KEL_A2))
    with pytest.raises(ValidationError) as exc:
        create(operator, person=elsewhere)
    assert "Permensos 10/2019" in errors_of(exc)["confirm_address"][0]
    worker = create(operator, person=elsewhere, confirm_address=True)
    assert worker.person.village.code == KEL_A2


def test_a_kecamatan_has_at_most_one_active_tksk(operator):
    create(operator, role=WorkerRole.TKSK, region=region(KEC_A), person=person(village=None))
    second = person(
        name="Budi",
        sex="L",
        nik=make_nik(kecamatan_code=KEC_A, birth_date=date(1980, 1, 1), sex="L", serial=9),
        birth_date=date(1980, 1, 1),
        village=None,
    )
    with pytest.raises(ValidationError) as exc:
        create(operator, role=WorkerRole.TKSK, region=region(KEC_A), person=second)
    assert "sudah memiliki TKSK aktif" in errors_of(exc)["region"][0]


def test_the_database_also_refuses_a_second_active_tksk(city):
    WorkerFactory(role=WorkerRole.TKSK, region=region(KEC_A))
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkerFactory(role=WorkerRole.TKSK, region=region(KEC_A))


def test_psm_is_posted_to_a_kelurahan_and_tksk_to_a_kecamatan(operator):
    with pytest.raises(ValidationError) as exc:
        create(operator, region=region(KEC_A))
    assert "kelurahan" in errors_of(exc)["region"][0]


def test_stopping_a_worker_closes_the_posting_and_keeps_the_history(operator, city):
    worker = WorkerFactory()
    services.worker_set_status(
        worker=worker,
        actor=operator,
        status=WorkerStatus.STOPPED,
        on=date(2024, 5, 10),
        reason="Pindah domisili",
    )
    worker.refresh_from_db()
    assert worker.status == WorkerStatus.STOPPED
    assert worker.assignments.get().end_date == date(2024, 5, 10)
    assert [c.status for c in worker.status_changes.all()] == ["berhenti"]
    entry = AuditEntry.objects.get(action="workers.worker.status_changed")
    assert entry.changes["status"] == ["aktif", "berhenti"]


def test_stopping_needs_a_reason(operator, city):
    worker = WorkerFactory()
    with pytest.raises(ValidationError) as exc:
        services.worker_set_status(worker=worker, actor=operator, status=WorkerStatus.STOPPED, on=date(2024, 5, 10))
    assert "reason" in errors_of(exc)
    worker.refresh_from_db()
    assert worker.status == WorkerStatus.ACTIVE


def test_transfer_ends_the_old_posting_the_day_before(operator, city):
    worker = WorkerFactory(person__village=region(KEL_B))
    services.worker_transfer(worker=worker, actor=operator, region=region(KEL_B), start_date=date(2024, 7, 1))
    worker.refresh_from_db()
    assert worker.kelurahan.code == KEL_B and worker.kecamatan.code == "36.71.03"
    old, new = worker.assignments.order_by("start_date")
    assert old.end_date == date(2024, 6, 30) and new.end_date is None
    assert Assignment.objects.filter(worker=worker, end_date__isnull=True).count() == 1


def test_update_records_old_and_new_values_with_identifiers_masked(operator, city):
    worker = WorkerFactory()
    old_account = worker.account_number
    services.worker_update(
        worker=worker, actor=operator, data={"phone": "+6281234567890", "account_number": "9988776655"}
    )
    entry = AuditEntry.objects.get(action="workers.worker.updated")
    assert entry.changes["phone"] == ["", "+6281234567890"]
    assert entry.changes["account_number"][1] == "******6655"
    assert old_account not in str(entry.changes)


def test_update_without_changes_writes_no_audit_entry(operator, city):
    worker = WorkerFactory()
    services.worker_update(worker=worker, actor=operator, data={"name": worker.person.name})
    assert not AuditEntry.objects.filter(action="workers.worker.updated").exists()


def test_board_positions_take_one_active_psm_each(operator, city):
    period = services.board_period_create(actor=operator, start_year=2021, end_year=2026)
    chair, other = WorkerFactory(), WorkerFactory()
    services.board_member_set(actor=operator, period=period, position=BoardPosition.CHAIR, worker=chair)
    with pytest.raises(ValidationError) as exc:
        services.board_member_set(actor=operator, period=period, position=BoardPosition.CHAIR, worker=other)
    assert "sudah dipegang" in errors_of(exc)["position"][0]
    services.board_member_set(actor=operator, period=period, position=BoardPosition.MEMBER, worker=other)
    assert period.memberships.count() == 2


def test_board_holders_must_be_active_psm(operator, city):
    period = services.board_period_create(actor=operator, start_year=2021, end_year=2026)
    tksk = WorkerFactory(role=WorkerRole.TKSK, region=region(KEC_A))
    stopped = WorkerFactory(status=WorkerStatus.STOPPED)
    for worker in (tksk, stopped):
        with pytest.raises(ValidationError):
            services.board_member_set(actor=operator, period=period, position=BoardPosition.SECRETARY, worker=worker)
    assert not period.memberships.exists()


def test_worker_queryset_scopes_a_psm_to_its_kelurahan(psm_a, city):
    WorkerFactory(region=region(KEL_A2))
    WorkerFactory(region=region(KEL_B))
    visible = Worker.objects.visible_to(psm_a)
    assert {w.kelurahan.code for w in visible} == {KEL_A}


def test_worker_queryset_scopes_a_tksk_to_its_kecamatan(tksk_a, city):
    WorkerFactory(region=region(KEL_A))
    WorkerFactory(region=region(KEL_A2))
    WorkerFactory(region=region(KEL_B))
    assert {w.kecamatan.code for w in Worker.objects.visible_to(tksk_a)} == {KEC_A}
    assert Worker.objects.visible_to(tksk_a).count() == 2


def test_a_person_already_in_the_registry_becomes_a_psm_on_the_same_record(operator):
    typed = person()
    registered = Person.objects.create(
        nik=typed.nik, name="Siti Rahmawati", sex=typed.sex, birth_date=typed.birth_date, village=region(KEL_A)
    )
    worker = create(operator)
    assert worker.person_id == registered.pk and Person.objects.count() == 1
    entry = AuditEntry.objects.get(action="workers.worker.created")
    assert entry.data["existing_person"] == registered.pk
