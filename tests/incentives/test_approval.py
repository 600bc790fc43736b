"""Maker-checker, the lock on approved runs, never paying a month twice, corrections in a later run."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from pilar.incentives import services
from pilar.incentives.models import LineKind, PayrollLine, PayrollRun
from pilar.notifications.models import Notification
from pilar.workers.models import WorkerRole
from pilar.workers.services import worker_transfer
from tests.conftest import KEC_A, KEC_B, KEL_A
from tests.factories import region

pytestmark = pytest.mark.django_db
MAY, JUNE, JULY = date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)


@pytest.fixture
def approved_june(operator, admin_user, make_psm):
    make_psm()
    run = services.payroll_generate(period=JUNE, actor=operator)
    return services.payroll_approve(run=run, actor=admin_user)


def test_generator_cannot_approve_own_run(operator, make_psm):
    make_psm()
    run = services.payroll_generate(period=JUNE, actor=operator)
    with pytest.raises(DomainError) as refused:
        services.payroll_approve(run=run, actor=operator)
    assert refused.value.code == "own_run"
    run.refresh_from_db()
    assert run.status == PayrollRun.Status.DRAFT and run.approved_by is None


def test_second_user_approves_and_the_maker_is_notified(approved_june, operator, admin_user):
    assert approved_june.status == PayrollRun.Status.APPROVED
    assert approved_june.approved_by == admin_user
    assert AuditEntry.objects.filter(action="incentives.run.approved", object_id=str(approved_june.pk)).exists()
    assert Notification.objects.filter(recipient=operator, kind="incentives.approved").exists()


def test_approving_twice_is_refused(approved_june, pimpinan):
    with pytest.raises(DomainError, match="sudah disetujui"):
        services.payroll_approve(run=approved_june, actor=pimpinan)


def test_database_refuses_an_approval_by_the_generator(operator, make_psm):
    make_psm()
    run = services.payroll_generate(period=JUNE, actor=operator)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollRun.objects.filter(pk=run.pk).update(status="disetujui", approved_by=operator)


def test_database_refuses_a_second_line_for_the_same_worker_and_month(approved_june, operator):
    line = approved_june.lines.get()
    july = PayrollRun.objects.create(
        period=JULY, rule="full", generated_by=operator, generated_at=approved_june.generated_at
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollLine.objects.create(
            run=july,
            worker=line.worker,
            kind=LineKind.ARREARS,
            paid_month=JUNE,
            kecamatan=line.kecamatan,
            kelurahan=line.kelurahan,
            name=line.name,
            bank_name="x",
            account_number="1",
            account_holder="x",
            rate=line.rate,
            active_days=0,
            days_in_month=30,
            amount=line.amount,
        )


def test_database_refuses_editing_an_approved_run_or_its_lines(approved_june):
    with pytest.raises(DatabaseError), transaction.atomic():
        PayrollLine.objects.filter(run=approved_june).update(amount=Decimal(1))
    with pytest.raises(DatabaseError), transaction.atomic():
        PayrollRun.objects.filter(pk=approved_june.pk).update(total=Decimal(1))
    line = approved_june.lines.get()
    line.pk = None
    with pytest.raises(DatabaseError), transaction.atomic():
        line.save()  # a new line in an approved run
    assert approved_june.lines.get().amount == Decimal(500000)


def test_approved_run_cannot_be_discarded(approved_june, operator):
    with pytest.raises(DomainError):
        services.payroll_discard(run=approved_june, actor=operator)
    assert PayrollRun.objects.filter(pk=approved_june.pk).exists()


def test_discarding_a_draft_removes_it_and_its_lines(operator, make_psm):
    make_psm()
    run = services.payroll_generate(period=JUNE, actor=operator)
    services.payroll_discard(run=run, actor=operator)
    assert not PayrollRun.objects.exists() and not PayrollLine.objects.exists()


def test_correction_is_paid_beside_the_regular_line_of_the_later_month(approved_june, operator):
    worker = approved_june.lines.get().worker
    services.adjustment_add(
        worker=worker, paid_month=JUNE, amount=Decimal(50000), reason="kurang bayar", actor=operator
    )
    july = services.payroll_generate(period=JULY, actor=operator)
    kinds = set(july.lines.filter(worker=worker).values_list("kind", "paid_month"))
    assert kinds == {(LineKind.REGULAR, JULY), (LineKind.CORRECTION, JUNE)}
    assert july.total == Decimal(550000)


def test_correction_goes_into_the_next_run_referencing_the_original_month(approved_june, operator, admin_user):
    worker = approved_june.lines.get().worker
    adjustment = services.adjustment_add(
        worker=worker, paid_month=JUNE, amount=Decimal(100000), reason="salah hitung hari", actor=operator
    )
    july = services.payroll_generate(period=JULY, actor=operator)
    adjustment.refresh_from_db()
    assert adjustment.line.run == july and adjustment.line.paid_month == JUNE
    assert adjustment.line.kind == LineKind.CORRECTION and adjustment.line.note == "salah hitung hari"
    # Regenerating the July draft keeps the correction, exactly once.
    july = services.payroll_generate(period=JULY, actor=operator)
    assert july.lines.filter(kind=LineKind.CORRECTION).count() == 1
    # June itself is untouched.
    assert approved_june.lines.count() == 1 and approved_june.lines.get().amount == Decimal(500000)


def test_month_missed_for_lack_of_an_account_is_paid_later_as_arrears_and_only_once(operator, admin_user, make_psm):
    make_psm()
    late = make_psm(account="")
    june = services.payroll_generate(period=JUNE, actor=operator)
    assert june.exclusions.get(worker=late).reason == "tanpa_rekening"
    services.payroll_approve(run=june, actor=admin_user)
    late.account_number = "0099887766"
    late.save()
    for reason in ("rekening baru", "dicatat dua kali"):
        services.adjustment_add(worker=late, paid_month=JUNE, amount=Decimal(500000), reason=reason, actor=operator)
    july = services.payroll_generate(period=JULY, actor=operator)
    june_lines = list(july.lines.filter(worker=late, paid_month=JUNE).order_by("id").values_list("kind", flat=True))
    # The first pays the month; the second can only be a correction, never a second payment of June.
    assert june_lines == [LineKind.ARREARS, LineKind.CORRECTION]


def test_correction_for_a_month_without_an_approved_run_is_refused(operator, make_psm):
    worker = make_psm()
    with pytest.raises(DomainError, match="Belum ada penggajian"):
        services.adjustment_add(worker=worker, paid_month=MAY, amount=Decimal(1000), reason="x", actor=operator)


def test_rate_cannot_start_before_an_approved_run(approved_june, operator):
    with pytest.raises(DomainError, match="berlaku surut"):
        services.rate_add(effective_from=JUNE, amount=Decimal(600000), actor=operator)
    rate = services.rate_add(effective_from=date(2027, 1, 1), amount=Decimal(600000), actor=operator)
    assert rate.amount == Decimal(600000)
    # The approved run keeps its own rate.
    assert approved_june.lines.get().rate == Decimal(500000)


def test_rate_must_be_whole_rupiah(operator):
    with pytest.raises(DomainError, match="rupiah bulat"):
        services.rate_add(effective_from=date(2027, 1, 1), amount=Decimal("600000.50"), actor=operator)


def test_correction_for_a_psm_without_bank_account_waits_for_a_later_run(approved_june, operator):
    worker = approved_june.lines.get().worker
    adjustment = services.adjustment_add(
        worker=worker, paid_month=JUNE, amount=Decimal(10000), reason="kurang", actor=operator
    )
    worker.account_number = ""
    worker.save()
    july = services.payroll_generate(period=JULY, actor=operator)
    adjustment.refresh_from_db()
    assert adjustment.line is None and not july.lines.filter(kind=LineKind.CORRECTION).exists()


def test_correction_for_a_psm_since_moved_to_tksk_is_paid_in_the_kelurahan_of_the_psm_posting(approved_june, operator):
    worker = approved_june.lines.get().worker
    services.adjustment_add(worker=worker, paid_month=JUNE, amount=Decimal(20000), reason="kurang", actor=operator)
    # A TKSK has no kelurahan; the line still names the one the corrected month was served in.
    worker_transfer(
        worker=worker, actor=operator, region=region(KEC_B), start_date=JULY, role=WorkerRole.TKSK, confirm_address=True
    )
    july = services.payroll_generate(period=JULY, actor=operator)
    line = july.lines.get(kind=LineKind.CORRECTION)
    assert (line.kecamatan.code, line.kelurahan.code, line.amount) == (KEC_A, KEL_A, Decimal(20000))


def test_a_generated_run_tells_the_other_approvers_not_its_maker(operator, admin_user, pimpinan, make_psm):
    make_psm()
    services.payroll_generate(period=JUNE, actor=operator)
    waiting = Notification.objects.filter(kind="incentives.generated")
    assert set(waiting.values_list("recipient__username", flat=True)) == {"admin"}
    assert "menunggu persetujuan" in waiting.get().title
