"""The registry rules and the verval workflow, through the services that pages, API and commands all call."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.core.workflow import Refused
from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.registry import services
from pilar.registry.models import Category, Household, HouseholdMember, PpksRecord, Relationship
from tests.conftest import KEC_A, KEL_A
from tests.factories import region
from tests.registry.makers import POOR_FAMILY, household_in, next_kk, person_in, propose


def errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


@pytest.fixture
def proposed(psm_a):
    return propose(psm_a)


@pytest.fixture
def verified(proposed, tksk_a):
    return services.ppks_verify(record=proposed, actor=tksk_a, result="ditemukan")


@pytest.fixture
def validated(verified, operator):
    return services.ppks_validate(record=verified, actor=operator)


# --- persons ------------------------------------------------------------------------------------


def person_data(**overrides) -> services.PersonData:
    born = date(1979, 8, 17)
    values = {
        "nik": make_nik(kecamatan_code=KEC_A, birth_date=born, sex="L", serial=77),
        "name": "Bambang Sutrisno",
        "sex": "L",
        "birth_date": born,
        "village": region(KEL_A),
    }
    return services.PersonData(**(values | overrides))


def test_person_is_created_with_its_audit_entry(operator):
    person = services.person_create(actor=operator, data=person_data())
    assert person.nik and person.dukcapil_status == "belum"
    assert AuditEntry.objects.filter(action="registry.person.created", object_id=str(person.pk)).exists()


def test_person_without_nik_is_accepted_and_stored_as_null(operator):
    first = services.person_create(actor=operator, data=person_data(nik=None, name="Tanpa Identitas"))
    second = services.person_create(actor=operator, data=person_data(nik="", name="Bayi Terlantar"))
    # Two persons without NIK do not collide on the unique NIK column.
    assert first.nik is None and second.nik is None


def test_nik_contradicting_birth_date_and_sex_is_refused_and_nothing_saved(operator):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=operator, data=person_data(birth_date=date(1980, 1, 1), sex="P"))
    assert "Tanggal lahir tidak sesuai dengan NIK" in errors(exc)["birth_date"][0]
    assert "Jenis kelamin tidak sesuai dengan NIK" in errors(exc)["sex"][0]
    assert not Person.objects.filter(name="Bambang Sutrisno").exists()


def test_same_nik_twice_is_refused(operator):
    services.person_create(actor=operator, data=person_data())
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=operator, data=person_data(name="Orang Lain"))
    assert "sudah terdaftar" in errors(exc)["nik"][0]


def test_birth_date_in_the_future_is_refused(operator):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=operator, data=person_data(nik=None, birth_date=tomorrow))
    assert "masa depan" in errors(exc)["birth_date"][0]


# --- households ---------------------------------------------------------------------------------


def test_household_gets_its_head_members_and_first_kk_history_row(operator):
    household = household_in(actor=operator, size=3)
    assert household.head is not None and household.kecamatan.code == KEC_A
    assert household.members.count() == 3
    assert list(household.kk_history.values_list("kk_number", flat=True)) == [household.kk_number]


def test_household_with_two_heads_is_refused(operator, city):
    members = [(person_in(), Relationship.HEAD), (person_in(), Relationship.HEAD)]
    with pytest.raises(ValidationError) as exc:
        services.household_create(actor=operator, kk_number=next_kk(), kelurahan=region(KEL_A), members=members)
    assert "tepat satu kepala keluarga" in errors(exc)["members"][0]
    assert not Household.objects.exists()


def test_household_without_a_head_is_refused(operator, city):
    members = [(person_in(), Relationship.WIFE)]
    with pytest.raises(ValidationError):
        services.household_create(actor=operator, kk_number=next_kk(), kelurahan=region(KEL_A), members=members)


def test_person_already_on_another_kk_is_refused(operator):
    first = household_in(actor=operator)
    member = first.members.first().person
    with pytest.raises(ValidationError) as exc:
        services.household_create(
            actor=operator, kk_number=next_kk(), kelurahan=region(KEL_A), members=[(member, Relationship.HEAD)]
        )
    assert "masih tercatat di KK lain" in errors(exc)["members"][0]


def test_kk_number_used_by_another_family_is_refused(operator):
    first = household_in(actor=operator)
    with pytest.raises(ValidationError) as exc:
        services.household_create(
            actor=operator, kk_number=first.kk_number, kelurahan=region(KEL_A), members=[(person_in(), "kepala")]
        )
    assert "sudah terdaftar" in errors(exc)["kk_number"][0]


def test_kk_change_keeps_the_old_number_in_the_history(operator):
    household = household_in(actor=operator)
    old = household.kk_number
    new = next_kk()
    services.household_change_kk(
        actor=operator, household=household, kk_number=new, on=date(2026, 3, 1), reason="Pisah KK"
    )
    household.refresh_from_db()
    assert household.kk_number == new
    history = {h.kk_number: h for h in household.kk_history.all()}
    assert history[old].valid_until == date(2026, 3, 1)
    assert history[new].valid_from == date(2026, 3, 1) and history[new].valid_until is None
    assert AuditEntry.objects.filter(action="registry.household.kk_changed").count() == 1


def test_kk_change_needs_a_reason_and_a_different_number(operator):
    household = household_in(actor=operator)
    with pytest.raises(ValidationError) as exc:
        services.household_change_kk(
            actor=operator, household=household, kk_number=next_kk(), on=date(2026, 3, 1), reason=" "
        )
    assert "reason" in errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.household_change_kk(
            actor=operator, household=household, kk_number=household.kk_number, on=date(2026, 3, 1), reason="x"
        )
    assert "kk_number" in errors(exc)


# --- proposals ----------------------------------------------------------------------------------


def test_proposal_starts_the_timeline_and_the_audit(proposed, psm_a):
    assert proposed.status == "diusulkan" and proposed.reported_by == psm_a
    assert proposed.kecamatan.code == KEC_A
    assert list(proposed.events.values_list("action", "to_status")) == [("proposed", "diusulkan")]
    assert AuditEntry.objects.filter(action="registry.ppks.proposed", object_id=str(proposed.pk)).exists()


def test_second_proposal_of_the_same_person_and_category_is_flagged_not_refused(proposed, tksk_a):
    again = propose(tksk_a, person=proposed.person)
    other_category = propose(tksk_a, person=proposed.person, category="PPKS-12")
    assert again.duplicate_of == proposed
    assert other_category.duplicate_of is None


def test_a_closed_record_does_not_flag_a_new_proposal(proposed, tksk_a, operator):
    services.ppks_reject(record=proposed, actor=operator, reason="Bukan gelandangan")
    assert propose(tksk_a, person=proposed.person).duplicate_of is None


def test_family_category_needs_a_household(psm_a, city):
    with pytest.raises(ValidationError) as exc:
        propose(psm_a, category=POOR_FAMILY)
    assert "household" in errors(exc)
    record = propose(psm_a, household=household_in(), category=POOR_FAMILY)
    assert record.household is not None and record.person is None


def test_psks_category_cannot_be_proposed_as_ppks(psm_a, city):
    with pytest.raises(ValidationError) as exc:
        propose(psm_a, category="PSKS-02")
    assert "category" in errors(exc)


def test_latitude_without_longitude_is_refused(psm_a, city):
    with pytest.raises(ValidationError) as exc:
        propose(psm_a, latitude="-6.178306")
    assert "latitude" in errors(exc)
    assert not PpksRecord.objects.exists()


# --- workflow -----------------------------------------------------------------------------------


def test_verification_found_then_validation(validated, tksk_a, operator):
    validated.refresh_from_db()
    assert validated.status == "ditetapkan"
    assert validated.verified_by == tksk_a and validated.field_result == "ditemukan"
    assert validated.validated_by == operator and validated.validated_at is not None
    steps = list(validated.events.values_list("action", "from_status", "to_status", "actor__username"))
    assert steps == [
        ("proposed", "", "diusulkan", "psm.a"),
        ("verified", "diusulkan", "diverifikasi", "tksk.a"),
        ("validated", "diverifikasi", "ditetapkan", "operator"),
    ]


@pytest.mark.parametrize("result", ["tidak_ditemukan", "pindah", "meninggal"])
def test_field_check_not_finding_the_subject_rejects_it(proposed, tksk_a, result):
    record = services.ppks_verify(record=proposed, actor=tksk_a, result=result, note="Sudah tidak di lokasi")
    assert record.status == "ditolak" and record.field_result == result
    assert record.events.last().reason == "Sudah tidak di lokasi"


def test_verification_needs_a_known_result(proposed, tksk_a):
    with pytest.raises(ValidationError) as exc:
        services.ppks_verify(record=proposed, actor=tksk_a, result="")
    assert "result" in errors(exc)


def test_return_and_resubmit_send_the_record_back_through_verification(verified, operator, psm_a):
    services.ppks_return(record=verified, actor=operator, reason="RT/RW belum diisi")
    returned = PpksRecord.objects.get(pk=verified.pk)
    assert returned.status == "perlu_perbaikan"
    record = services.ppks_resubmit(record=returned, actor=psm_a, note="RT/RW dilengkapi", rt="004", rw="007")
    assert record.status == "diusulkan" and (record.rt, record.rw) == ("004", "007")
    assert record.verified_by is None and record.field_result == ""
    assert list(record.events.values_list("action", flat=True))[-2:] == ["returned", "resubmitted"]


def test_reject_with_reason(proposed, tksk_a):
    record = services.ppks_reject(record=proposed, actor=tksk_a, reason="Bukan warga kota")
    assert record.status == "ditolak" and record.events.last().reason == "Bukan warga kota"


@pytest.mark.parametrize("service", [services.ppks_return, services.ppks_reject])
def test_return_and_reject_need_a_reason(proposed, tksk_a, service):
    with pytest.raises(ValidationError) as exc:
        service(record=proposed, actor=tksk_a, reason="   ")
    assert "Alasan wajib diisi" in errors(exc)["reason"][0]
    assert PpksRecord.objects.get(pk=proposed.pk).status == "diusulkan"


def test_exit_of_a_validated_record(validated, tksk_a):
    record = services.ppks_exit(record=validated, actor=tksk_a, on=date(2026, 6, 1), reason="graduasi")
    assert record.status == "keluar" and record.exit_date == date(2026, 6, 1)
    assert record.events.last().reason == "Graduasi (sudah mandiri)"


def test_exit_refuses_an_unknown_reason_and_a_future_date(validated, tksk_a):
    with pytest.raises(ValidationError) as exc:
        services.ppks_exit(record=validated, actor=tksk_a, on=date(2026, 6, 1), reason="bosan")
    assert "reason" in errors(exc)
    future = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.ppks_exit(record=validated, actor=tksk_a, on=future, reason="graduasi")
    assert "on" in errors(exc)


# --- refusals: own proposal, wrong status (the workflow's guard: Refused, 403 or 409) -------------------


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.ppks_verify, {"result": "ditemukan"}),
        (services.ppks_return, {"reason": "Periksa lagi"}),
        (services.ppks_reject, {"reason": "Tidak layak"}),
    ],
)
def test_nobody_reviews_their_own_proposal(operator, city, service, kwargs):
    record = propose(operator, source="operator")
    with pytest.raises(Refused) as exc:
        service(record=record, actor=operator, **kwargs)
    assert (exc.value.code, exc.value.status) == ("own_proposal", 403)
    assert PpksRecord.objects.get(pk=record.pk).status == "diusulkan"


def test_nobody_validates_their_own_proposal(operator, admin_user, city):
    record = propose(operator, source="operator")
    services.ppks_verify(record=record, actor=admin_user, result="ditemukan")
    with pytest.raises(Refused) as exc:
        services.ppks_validate(record=record, actor=operator)
    assert (exc.value.code, exc.value.status) == ("own_proposal", 403)
    assert "sendiri" in exc.value.message


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.ppks_validate, {}),
        (services.ppks_resubmit, {"note": "x"}),
        (services.ppks_exit, {"on": date(2026, 1, 1), "reason": "graduasi"}),
    ],
)
def test_steps_the_status_does_not_allow_are_conflicts(proposed, operator, service, kwargs):
    with pytest.raises(Refused) as exc:
        service(record=proposed, actor=operator, **kwargs)
    assert (exc.value.code, exc.value.status, exc.value.field) == ("conflict", 409, "status")


def test_a_record_is_verified_once(verified, operator):
    with pytest.raises(Refused) as exc:
        services.ppks_verify(record=verified, actor=operator, result="ditemukan")
    assert exc.value.status == 409


def test_a_rejected_record_cannot_be_rejected_or_returned_again(proposed, tksk_a, operator):
    services.ppks_reject(record=proposed, actor=tksk_a, reason="Tidak layak")
    for service in (services.ppks_reject, services.ppks_return):
        with pytest.raises(Refused) as exc:
            service(record=proposed, actor=operator, reason="Lagi")
        assert exc.value.status == 409


def test_a_step_is_refused_to_an_actor_without_its_permission(proposed, psm_b):
    # The service's guard checks the permission on the record, not only the page: a PSM does not verify.
    with pytest.raises(Refused) as exc:
        services.ppks_verify(record=proposed, actor=psm_b, result="ditemukan")
    assert exc.value.status == 403
    assert PpksRecord.objects.get(pk=proposed.pk).status == "diusulkan"


def test_categories_are_the_26_ppks_and_12_psks_of_the_regulation(city):
    assert Category.objects.filter(kind="ppks").count() == 26
    assert Category.objects.filter(kind="psks").count() == 12


def test_one_current_household_per_person_is_also_a_database_rule(operator):
    household = household_in(actor=operator)
    assert HouseholdMember.objects.filter(household=household, until__isnull=True).count() == 2
