"""The enrollment workflow: eligibility with every reason, once per period, quota, delivery, exit, audit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pilar.audit.models import AuditEntry
from pilar.core.workflow import Refused
from pilar.notifications.models import Notification
from pilar.programs import periods, services
from pilar.programs.models import Enrollment, ProgramPeriod
from pilar.registry.models import PpksStatus
from tests.programs.makers import CHILD, ELDERLY, approved, person_in, program, proposed, record

pytestmark = pytest.mark.django_db
THIS_YEAR = str(date.today().year)


def test_psm_proposes_an_eligible_family_with_event_and_audit(psm_a):
    enrollment = proposed("bpnt", record(), psm_a)
    assert enrollment.status == "diusulkan"
    assert enrollment.household_id and enrollment.person_id is None
    assert enrollment.period.key == f"{date.today():%Y-%m}"  # BPNT is monthly
    assert [e.action for e in enrollment.events.all()] == ["proposed"]
    assert AuditEntry.objects.filter(action="programs.enrollment.proposed", object_id=str(enrollment.pk)).exists()


def test_ineligible_proposal_lists_every_failed_criterion_and_saves_nothing(psm_a):
    old = person_in(birth_date=date(1950, 5, 1))
    elderly = record(ELDERLY, person=old, status=PpksStatus.VERIFIED)
    with pytest.raises(ValidationError) as exc:
        proposed("tangerang-cerdas", elderly, psm_a)
    messages = exc.value.message_dict["record"]
    assert any("Kategori Lanjut Usia Telantar bukan sasaran" in m for m in messages)
    assert any("harus sudah ditetapkan" in m for m in messages)
    assert any("Usia" in m and "6–18 tahun" in m for m in messages)
    assert Enrollment.objects.count() == 0


def test_person_without_nik_cannot_enter_a_program_that_needs_one(psm_a):
    no_nik = record(ELDERLY, person=person_in(nik=None))
    with pytest.raises(ValidationError) as exc:
        proposed("pbi-jk", no_nik, psm_a)
    assert "Wajib memiliki NIK" in exc.value.message_dict["record"][0]


def test_same_family_twice_in_one_period_is_refused_with_a_clear_message(psm_a, tksk_a):
    rec = record()
    proposed("pkh", rec, psm_a)
    with pytest.raises(ValidationError) as exc:
        proposed("pkh", rec, tksk_a)
    assert "Sudah terdaftar di program Program Keluarga Harapan (PKH) periode" in exc.value.message_dict["record"][0]
    # Another period is another enrollment.
    assert proposed("pkh", rec, psm_a, period=str(date.today().year + 1)).period.key == str(date.today().year + 1)


def test_database_refuses_a_second_enrollment_even_past_the_service(psm_a):
    first = proposed("pkh", record(), psm_a)
    duplicate = Enrollment(
        **{
            f: getattr(first, f)
            for f in ("program", "period", "record", "household", "kecamatan", "kelurahan", "proposed_at")
        }
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_rejected_proposal_may_be_proposed_again(psm_a, operator):
    rec = record()
    services.enrollment_reject(enrollment=proposed("pkh", rec, psm_a), actor=operator, reason="KK belum diperbarui")
    assert proposed("pkh", rec, psm_a).status == "diusulkan"


def test_reject_needs_a_reason(psm_a, operator):
    enrollment = proposed("pkh", record(), psm_a)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_reject(enrollment=enrollment, actor=operator, reason="  ")
    assert exc.value.message_dict["reason"] == ["Alasan wajib diisi."]


def test_proposer_cannot_approve_own_proposal(operator):
    enrollment = proposed("pkh", record(), operator)
    with pytest.raises(Refused) as exc:  # the workflow's refusal (403), as every step's guard gives it
        services.enrollment_approve(enrollment=enrollment, actor=operator)
    assert "usulan Anda sendiri" in exc.value.message and exc.value.code == "own_proposal"


def test_quota_holds_sequentially_and_an_exit_frees_the_place(psm_a, operator, admin_user):
    ProgramPeriod.objects.filter(program__code="pkh").delete()
    period = periods.period_for(program("pkh"), THIS_YEAR)
    period.quota = 1
    period.save()
    first = approved("pkh", record(), psm_a, operator)
    waiting = proposed("pkh", record(), psm_a)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_approve(enrollment=waiting, actor=operator)
    assert "sudah penuh (1 penerima)" in exc.value.messages[0]
    services.enrollment_exit(enrollment=first, actor=admin_user, on=date.today(), reason="pindah")
    assert services.enrollment_approve(enrollment=waiting, actor=operator).status == "disetujui"


def test_approval_rechecks_eligibility(psm_a, operator):
    rec = record()
    enrollment = proposed("pkh", rec, psm_a)
    rec.__class__.objects.filter(pk=rec.pk).update(status=PpksStatus.EXITED)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_approve(enrollment=enrollment, actor=operator)
    assert "harus sudah ditetapkan" in exc.value.message_dict["record"][0]


def test_approval_tells_the_proposer(psm_a, operator):
    approved("pkh", record(), psm_a, operator)
    assert Notification.objects.filter(recipient=psm_a, kind="programs.enrollment.approved").count() == 1


def test_cash_delivery_takes_the_program_amount_and_goods_the_item(psm_a, operator):
    child = record(CHILD, person=person_in(birth_date=date(date.today().year - 10, 1, 1)))
    cash = approved("tangerang-cerdas", child, psm_a, operator)
    cash = services.enrollment_deliver(enrollment=cash, actor=operator, on=date.today())
    assert cash.amount == Decimal("1500000") and cash.status == "disalurkan"
    goods = approved("bpnt", record(), psm_a, operator)
    goods = services.enrollment_deliver(enrollment=goods, actor=operator, on=date.today(), item="Beras 10 kg")
    assert goods.item == "Beras 10 kg"
    assert services.enrollment_complete(enrollment=goods, actor=operator).status == "selesai"


def test_delivery_refuses_a_future_date_a_fraction_and_an_unapproved_enrollment(psm_a, operator):
    enrollment = proposed("pkh", record(), psm_a)
    with pytest.raises(Refused) as refused:  # the step's source state: the workflow's 409
        services.enrollment_deliver(enrollment=enrollment, actor=operator, on=date.today(), amount=Decimal(600000))
    assert "sudah disetujui" in refused.value.message and refused.value.status == 409
    enrollment = services.enrollment_approve(enrollment=enrollment, actor=operator)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_deliver(enrollment=enrollment, actor=operator, on=date(2999, 1, 1), amount=Decimal(1))
    assert exc.value.message_dict["on"] == ["Tanggal tidak boleh di masa depan."]
    with pytest.raises(ValidationError) as exc:
        services.enrollment_deliver(enrollment=enrollment, actor=operator, on=date.today(), amount=Decimal("10.5"))
    assert "rupiah utuh" in exc.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as exc:
        services.enrollment_deliver(enrollment=enrollment, actor=operator, on=date.today())
    assert exc.value.message_dict["amount"] == ["Nilai bantuan tunai wajib diisi."]  # PKH has no fixed amount


def test_period_must_match_the_program_kind(psm_a):
    with pytest.raises(ValidationError) as exc:
        proposed("bpnt", record(), psm_a, period="2026")
    assert "tahun-bulan" in exc.value.message_dict["period"][0]
    with pytest.raises(ValidationError) as exc:
        proposed("pkh", record(), psm_a, period="2026-13")
    assert "tahun, mis. 2026" in exc.value.message_dict["period"][0]


def test_exit_needs_a_known_reason_and_an_active_beneficiary(psm_a, operator):
    enrollment = proposed("pkh", record(), psm_a)
    with pytest.raises(ValidationError):
        services.enrollment_exit(enrollment=enrollment, actor=operator, on=date.today(), reason="bosan")
    with pytest.raises(Refused) as refused:
        services.enrollment_exit(enrollment=enrollment, actor=operator, on=date.today(), reason="pindah")
    assert "aktif" in refused.value.message and refused.value.status == 409


def test_area_and_sex_limits_are_criteria_with_their_own_reasons(psm_b):
    from pilar.regions.models import Region
    from tests.conftest import KEC_A, KEL_B

    pbi = program("pbi-jk")
    pbi.kecamatan_limits.set([Region.objects.get(code=KEC_A)])
    pbi.sex = "P"
    pbi.save()
    man = record(ELDERLY, kelurahan=KEL_B, person=person_in(KEL_B, sex="L"))
    with pytest.raises(ValidationError) as exc:
        proposed("pbi-jk", man, psm_b)
    assert exc.value.message_dict["record"] == [
        "Hanya untuk warga Kecamatan Tangerang.",
        "Program ini hanya untuk perempuan.",
    ]
