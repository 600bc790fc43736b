"""Who is paid how much for a month: rates, joiners and leavers under each rule, exclusions with reasons."""

from datetime import date
from decimal import Decimal

import pytest

from pilar.core.errors import DomainError
from pilar.incentives import services
from pilar.incentives.calculation import prorate
from pilar.incentives.models import PayrollExclusion, PayrollRun, ProrationRule
from pilar.workers.models import Assignment, StatusChange, Worker, WorkerStatus

pytestmark = pytest.mark.django_db
JUNE = date(2026, 6, 1)  # 30 days


def line_of(run: PayrollRun, worker: Worker):
    return run.lines.filter(worker=worker).first()


def test_rate_change_gives_350000_for_december_2019_and_500000_for_january_2020(operator, make_psm):
    worker = make_psm(joined_on=date(2019, 3, 1))
    december = services.payroll_generate(period=date(2019, 12, 1), actor=operator)
    january = services.payroll_generate(period=date(2020, 1, 1), actor=operator)
    assert line_of(december, worker).amount == Decimal(350000)
    assert line_of(december, worker).rate == Decimal(350000)
    assert line_of(january, worker).amount == Decimal(500000)
    assert (december.total, january.total) == (Decimal(350000), Decimal(500000))


def test_psm_who_left_on_the_10th_is_paid_in_full_under_the_full_rule(operator, make_psm):
    leaver = make_psm(left_on=date(2026, 6, 10))
    run = services.payroll_generate(period=JUNE, actor=operator, rule=ProrationRule.FULL)
    line = line_of(run, leaver)
    assert (line.amount, line.active_days, line.days_in_month) == (Decimal(500000), 10, 30)


def test_psm_who_left_on_the_10th_is_paid_ten_thirtieths_under_the_prorated_rule(operator, make_psm):
    leaver = make_psm(left_on=date(2026, 6, 10))
    stayer = make_psm()
    run = services.payroll_generate(period=JUNE, actor=operator, rule=ProrationRule.PRORATED)
    # 500.000 × 10 / 30 = 166.666,67 → rounded half up to whole rupiah
    assert line_of(run, leaver).amount == Decimal(166667)
    assert "10 Juni 2026" in line_of(run, leaver).note
    assert line_of(run, stayer).amount == Decimal(500000)
    assert run.total == Decimal(666667)


def test_psm_who_left_on_the_10th_is_excluded_with_the_reason_under_the_none_rule(operator, make_psm):
    leaver = make_psm(left_on=date(2026, 6, 10))
    run = services.payroll_generate(period=JUNE, actor=operator, rule=ProrationRule.NONE)
    assert line_of(run, leaver) is None
    exclusion = run.exclusions.get(worker=leaver)
    assert exclusion.reason == PayrollExclusion.Reason.LEFT
    assert "10 Juni 2026" in exclusion.detail and "sebulan penuh" in exclusion.detail


def test_psm_who_left_before_the_month_is_not_listed_at_all(operator, make_psm):
    make_psm(left_on=date(2026, 5, 31))
    run = services.payroll_generate(period=JUNE, actor=operator)
    assert (run.line_count, run.exclusion_count) == (0, 0)


def test_joiner_on_the_21st_is_prorated_from_that_day(operator, make_psm):
    joiner = make_psm(joined_on=date(2026, 6, 21))
    run = services.payroll_generate(period=JUNE, actor=operator, rule=ProrationRule.PRORATED)
    line = line_of(run, joiner)
    assert (line.active_days, line.amount) == (10, Decimal(166667))
    none_rule = services.payroll_generate(period=JUNE, actor=operator, rule=ProrationRule.NONE)
    assert none_rule.exclusions.get(worker=joiner).reason == PayrollExclusion.Reason.JOINED


def test_suspension_for_the_whole_month_excludes_as_not_active(operator, make_psm):
    worker = make_psm()
    StatusChange.objects.create(worker=worker, status=WorkerStatus.INACTIVE, date=date(2026, 5, 20), reason="cuti")
    Worker.objects.filter(pk=worker.pk).update(status=WorkerStatus.INACTIVE, status_date=date(2026, 5, 20))
    run = services.payroll_generate(period=JUNE, actor=operator)
    assert run.exclusions.get(worker=worker).reason == PayrollExclusion.Reason.NOT_ACTIVE


def test_transfer_within_the_month_pays_once_in_the_new_kelurahan(operator, make_psm):
    worker = make_psm()
    posting = Assignment.objects.get(worker=worker)
    posting.end_date = date(2026, 6, 14)
    posting.save()
    from tests.conftest import KEL_B
    from tests.factories import region

    Assignment.objects.create(worker=worker, role="psm", region=region(KEL_B), start_date=date(2026, 6, 15))
    run = services.payroll_generate(period=JUNE, actor=operator, rule=ProrationRule.PRORATED)
    line = line_of(run, worker)
    assert (line.amount, line.active_days, line.kelurahan.code) == (Decimal(500000), 30, KEL_B)


def test_psm_without_bank_account_is_excluded_with_the_reason(operator, make_psm):
    worker = make_psm(account="")
    run = services.payroll_generate(period=JUNE, actor=operator)
    assert run.exclusions.get(worker=worker).reason == PayrollExclusion.Reason.NO_BANK


def test_required_report_excludes_psm_whose_report_was_not_accepted(operator, make_psm):
    from pilar.activities.models import ActivityReport

    reported, silent = make_psm(), make_psm()
    ActivityReport.objects.create(
        worker=reported,
        period=JUNE,
        kecamatan=reported.kecamatan,
        kelurahan=reported.kelurahan,
        status=ActivityReport.Status.ACCEPTED,
    )
    run = services.payroll_generate(period=JUNE, actor=operator, require_report=True)
    assert line_of(run, reported) is not None
    assert run.exclusions.get(worker=silent).reason == PayrollExclusion.Reason.NO_REPORT
    assert services.payroll_generate(period=JUNE, actor=operator).line_count == 2  # the condition is optional


def test_regenerating_a_draft_replaces_it_in_the_same_run(operator, admin_user, make_psm):
    make_psm()
    first = services.payroll_generate(period=JUNE, actor=operator)
    make_psm()
    again = services.payroll_generate(period=JUNE, actor=admin_user)
    assert again.pk == first.pk and PayrollRun.objects.count() == 1
    assert again.lines.count() == again.line_count == 2
    assert again.generated_by == admin_user  # the maker is whoever generated last


def test_regenerating_an_approved_month_is_refused(operator, admin_user, make_psm):
    make_psm()
    run = services.payroll_generate(period=JUNE, actor=operator)
    services.payroll_approve(run=run, actor=admin_user)
    with pytest.raises(DomainError) as refused:
        services.payroll_generate(period=JUNE, actor=operator)
    assert refused.value.code == "conflict" and "sudah disetujui" in refused.value.message
    assert run.lines.count() == 1


def test_future_month_and_month_without_rate_are_refused(operator):
    with pytest.raises(DomainError, match="belum dimulai"):
        services.payroll_generate(period=date(2026, 12, 1), actor=operator, today=date(2026, 11, 23))
    with pytest.raises(DomainError, match="Belum ada tarif"):
        services.payroll_generate(period=date(2016, 12, 1), actor=operator)
    assert not PayrollRun.objects.exists()


@pytest.mark.parametrize(
    ("rate", "days", "month", "expected"),
    [(500000, 10, 30, 166667), (500000, 15, 30, 250000), (350000, 1, 31, 11290), (500000, 31, 31, 500000)],
)
def test_prorating_rounds_half_up_to_whole_rupiah(rate, days, month, expected):
    assert prorate(Decimal(rate), days, month) == Decimal(expected)


def test_psm_already_paid_for_the_month_elsewhere_is_excluded_with_the_run(make_psm):
    from pilar.incentives.calculation import Policy, decide
    from pilar.incentives.eligibility import served_in_month

    worker = make_psm()
    served = next(s for s in served_in_month(JUNE) if s.worker_id == worker.pk)
    policy = Policy(period=JUNE, rate=Decimal(500000), rule="full", paid_elsewhere={worker.pk: "#7 (Juli 2026)"})
    decision = decide(served, policy)
    assert decision.amount is None and decision.reason == PayrollExclusion.Reason.PAID
    assert "#7 (Juli 2026)" in decision.detail


def test_psm_reactivated_on_the_15th_is_paid_from_that_day(operator, make_psm):
    worker = make_psm()
    StatusChange.objects.create(worker=worker, status=WorkerStatus.INACTIVE, date=date(2026, 5, 20), reason="cuti")
    StatusChange.objects.create(worker=worker, status=WorkerStatus.ACTIVE, date=date(2026, 6, 15))
    Worker.objects.filter(pk=worker.pk).update(status=WorkerStatus.ACTIVE, status_date=date(2026, 6, 15))
    run = services.payroll_generate(period=JUNE, actor=operator, rule=ProrationRule.PRORATED)
    line = line_of(run, worker)
    assert (line.active_days, line.amount) == (16, Decimal(266667))  # 500.000 × 16/30
    assert "aktif mulai 15 Juni 2026" in line.note
