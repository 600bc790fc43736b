"""Bedah Rumah: the checklist, the RTLH verdict, approval only for RTLH houses, renovation and the registry exit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pilar.programs import house, services
from pilar.programs.models import HouseAssessment, Program
from pilar.registry.models import PpksRecord
from tests.programs.makers import BAD_HOUSE, GOOD_HOUSE, RTLH, assessed, proposed, record

pytestmark = pytest.mark.django_db


def test_a_house_with_a_badly_damaged_roof_is_uninhabitable_and_says_why():
    verdict = house.judge(GOOD_HOUSE | {"roof": "rusak_berat"}, floor_area=Decimal(40), occupants=3)
    assert verdict.is_rtlh and verdict.reasons == ["Atap rusak berat."]


def test_a_crowded_house_is_uninhabitable_even_in_good_repair():
    verdict = house.judge(GOOD_HOUSE, floor_area=Decimal(21), occupants=4)
    assert verdict.is_rtlh and "5.2 m² per penghuni" in verdict.reasons[0].replace(",", ".")


def test_a_sound_roomy_house_is_not_uninhabitable():
    assert not house.judge(GOOD_HOUSE, floor_area=Decimal(60), occupants=4).is_rtlh


def test_checklist_with_a_missing_or_unknown_component_is_refused_naming_each(psm_a, tksk_a):
    enrollment = proposed("bedah-rumah", record(RTLH), psm_a)
    partial = {k: v for k, v in GOOD_HOUSE.items() if k != "roof"} | {"garasi": "baik", "walls": "hancur"}
    with pytest.raises(ValidationError) as exc:
        assessed(enrollment, tksk_a, checklist=partial)
    messages = exc.value.message_dict["checklist"]
    assert any("garasi" in m for m in messages)
    assert any("Kondisi Atap wajib dipilih" in m for m in messages)
    assert any("Kondisi Dinding wajib dipilih" in m for m in messages)
    assert not HouseAssessment.objects.exists()


def test_only_bedah_rumah_enrollments_get_a_house_assessment(psm_a, tksk_a):
    with pytest.raises(ValidationError) as exc:
        assessed(proposed("pkh", record(), psm_a), tksk_a)
    assert "hanya untuk program Bedah Rumah" in exc.value.messages[0]


def test_bedah_rumah_cannot_be_approved_before_or_without_an_rtlh_assessment(psm_a, tksk_a, operator):
    enrollment = proposed("bedah-rumah", record(RTLH), psm_a)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_approve(enrollment=enrollment, actor=operator)
    assert "Rumah belum dinilai" in exc.value.messages[0]
    assessed(enrollment, tksk_a, checklist=GOOD_HOUSE, floor_area=Decimal(80), occupants=3)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_approve(enrollment=enrollment, actor=operator)
    assert "layak huni" in exc.value.messages[0]


def test_a_house_is_assessed_once(psm_a, tksk_a):
    enrollment = proposed("bedah-rumah", record(RTLH), psm_a)
    assessed(enrollment, tksk_a)
    with pytest.raises(ValidationError):
        assessed(enrollment, tksk_a)
    assert HouseAssessment.objects.count() == 1


def test_rejection_closes_the_assessment_too(psm_a, tksk_a, operator):
    assessment = assessed(proposed("bedah-rumah", record(RTLH), psm_a), tksk_a)
    services.enrollment_reject(enrollment=assessment.enrollment, actor=operator, reason="Rumah bukan milik sendiri")
    assessment.refresh_from_db()
    assert assessment.status == "ditolak"


def test_renovation_delivers_completes_and_takes_the_rtlh_record_out_of_the_registry(psm_a, tksk_a, operator):
    assert Program.objects.get(code="bedah-rumah").exit_category.code == RTLH
    rec = record(RTLH)
    assessment = assessed(proposed("bedah-rumah", rec, psm_a), tksk_a, checklist=BAD_HOUSE)
    services.enrollment_approve(enrollment=assessment.enrollment, actor=operator)
    assessment.refresh_from_db()
    assert assessment.status == "disetujui"
    with pytest.raises(ValidationError) as exc:
        services.house_renovate(assessment=assessment, actor=operator, on=date.today(), cost=Decimal("-1"))
    assert "rupiah utuh" in exc.value.message_dict["cost"][0]
    services.house_renovate(assessment=assessment, actor=operator, on=date.today(), cost=Decimal(21_000_000))
    assessment.refresh_from_db()
    enrollment = assessment.enrollment
    assert assessment.status == "direnovasi" and assessment.cost == Decimal(21_000_000)
    assert enrollment.status == "selesai" and enrollment.amount == Decimal(21_000_000)
    rec = PpksRecord.objects.get(pk=rec.pk)
    assert rec.status == "keluar" and rec.exit_reason == "ditangani"
    assert "Bedah Rumah" in rec.events.last().reason


def test_bedah_rumah_is_not_delivered_outside_the_renovation(psm_a, tksk_a, operator):
    assessment = assessed(proposed("bedah-rumah", record(RTLH), psm_a), tksk_a)
    services.enrollment_approve(enrollment=assessment.enrollment, actor=operator)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_deliver(enrollment=assessment.enrollment, actor=operator, on=date.today())
    assert "saat renovasi selesai" in exc.value.messages[0]


def test_progress_counts_each_household_once_and_keeps_refused_rtlh_houses_among_those_left(
    psm_a, tksk_a, operator, pimpinan
):
    from pilar.programs.selectors import rtlh_progress
    from tests.conftest import KEC_A

    family = record(RTLH)
    first = assessed(proposed("bedah-rumah", family, psm_a), tksk_a)
    services.enrollment_reject(enrollment=first.enrollment, actor=operator, reason="Sertifikat tanah belum ada")
    again = assessed(proposed("bedah-rumah", family, psm_a), tksk_a)  # proposed again once the papers are in
    done = assessed(proposed("bedah-rumah", record(RTLH), psm_a), tksk_a)
    services.enrollment_approve(enrollment=done.enrollment, actor=operator)
    services.house_renovate(assessment=done, actor=operator, on=date.today(), cost=Decimal(15_000_000))
    row = next(r for r in rtlh_progress(pimpinan) if r["kecamatan"].code == KEC_A)
    assert (row["rtlh"], row["approved"], row["renovated"], row["left"], row["percent"]) == (2, 0, 1, 1, 50)
    assert again.status == "dinilai"
