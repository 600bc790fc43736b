"""Every change to the payroll: one function each, in a transaction, with its audit entry.

Maker-checker: the user who (last) generated a run can never approve it. An approved run is never
changed again (the database refuses, too); a correction is an ``Adjustment`` that the next generated
run pays as a line referring to the corrected month.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import RoleAssignment, User
from pilar.accounts.permissions import ROLE_PERMS, Perm
from pilar.core.errors import DomainError
from pilar.core.formatting import rupiah
from pilar.incentives.bulk import db_date, insert_rows
from pilar.incentives.calculation import Policy, decide
from pilar.incentives.eligibility import bulan_tahun, month_end, month_start, served_in_month
from pilar.incentives.models import (
    Adjustment,
    IncentiveRate,
    LineKind,
    PayrollExclusion,
    PayrollLine,
    PayrollRun,
    ProrationRule,
)
from pilar.incentives.workflow import PAYROLL
from pilar.notifications.services import notify
from pilar.workers.models import Assignment, Worker, WorkerRole


def rate_for(period: date) -> IncentiveRate | None:
    return IncentiveRate.objects.filter(effective_from__lte=month_start(period)).order_by("-effective_from").first()


def _whole_rupiah(amount: Decimal, field: str) -> Decimal:
    if amount != amount.to_integral_value() or amount <= 0:
        raise DomainError(_("Jumlah harus rupiah bulat lebih dari nol."), field=field, code="invalid")
    return amount.quantize(Decimal(1))


def _lock_run(*, period: date, actor: User, rule: str, require_report: bool) -> PayrollRun:
    """The period's run, locked; created if there is none. Two concurrent generations end up on one row."""
    run = PayrollRun.objects.select_for_update().filter(period=period).first()
    if run is not None:
        return run
    try:
        with transaction.atomic():
            return PayrollRun.objects.create(
                period=period,
                rule=rule,
                require_report=require_report,
                generated_by=actor,
                generated_at=timezone.now(),
            )
    except IntegrityError:
        # Another generation created it meanwhile (PostgreSQL waited for it to commit): take it over.
        return PayrollRun.objects.select_for_update().get(period=period)


def _clear(run: PayrollRun) -> None:
    """Drop a draft's lines and exclusions; its adjustments go back to waiting for a run."""
    Adjustment.objects.filter(line__run=run).update(line=None)
    with connection.cursor() as cursor:
        # One statement each, without the ORM's collector loading up to 100,000 rows first; the table
        # names come from the models, never from input.
        cursor.execute(f"DELETE FROM {PayrollLine._meta.db_table} WHERE run_id = %s", [run.pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {PayrollExclusion._meta.db_table} WHERE run_id = %s", [run.pk])  # noqa: S608


def _paid_elsewhere(run: PayrollRun) -> dict[int, str]:
    lines = PayrollLine.objects.filter(paid_month=run.period, kind__in=LineKind.paying_the_month()).exclude(run=run)
    return {
        worker_id: f"#{run_id} ({bulan_tahun(period)})"
        for worker_id, run_id, period in lines.values_list("worker_id", "run_id", "run__period")
    }


def _accepted_reports(period: date) -> frozenset[int]:
    from pilar.activities.selectors import accepted_report_worker_ids

    return frozenset(accepted_report_worker_ids(period))


LINE_COLUMNS = (
    "run_id",
    "worker_id",
    "kind",
    "paid_month",
    "kecamatan_id",
    "kelurahan_id",
    "name",
    "bank_name",
    "account_number",
    "account_holder",
    "rate",
    "active_days",
    "days_in_month",
    "amount",
    "note",
)
EXCLUSION_COLUMNS = ("run_id", "worker_id", "reason", "detail", "kecamatan_id", "name")


# A row per column of LINE_COLUMNS and EXCLUSION_COLUMNS; the month as ``db_date`` gives it to the driver.
LineRow = tuple[int, int, str, object, int, int, str, str, str, str, int, int, int, int, str]
ExclusionRow = tuple[int, int, str | None, str, int, str]


def _regular_lines(run: PayrollRun, policy: Policy) -> tuple[list[LineRow], list[ExclusionRow], Decimal]:
    """The month's lines and exclusions as rows ready for the driver, and the lines' total."""
    lines: list[LineRow] = []
    exclusions: list[ExclusionRow] = []
    total = 0
    period, rate, days, regular = db_date(run.period), int(policy.rate), policy.days_in_month, LineKind.REGULAR.value
    for s in served_in_month(run.period):
        decision = decide(s, policy)
        if decision.amount is None:
            exclusions.append((run.pk, s.worker_id, decision.reason, decision.detail[:250], s.kecamatan_id, s.name))
            continue
        amount = int(decision.amount)
        total += amount
        lines.append(
            (
                run.pk,
                s.worker_id,
                regular,
                period,
                s.kecamatan_id,
                s.kelurahan_id,
                s.name,
                s.bank_name,
                s.account_number,
                s.account_holder,
                rate,
                s.active_days,
                days,
                amount,
                decision.note[:250],
            )
        )
    return lines, exclusions, Decimal(total)


def _correction_area(worker: Worker, month: date) -> tuple[int, int] | None:
    """The kecamatan and kelurahan a correction of ``month`` is paid for.

    A line is always a PSM's and always names a kelurahan (the column is NOT NULL, and the area scoping of lines
    reads it). A PSM's current kelurahan is the worker row's; a PSM moved to TKSK since the correction was made
    has none, so the line takes the area of the last PSM posting that began by the end of the corrected month."""
    if worker.kelurahan_id is not None:
        return worker.kecamatan_id, worker.kelurahan_id
    posting = (
        Assignment.objects.filter(worker=worker, role=WorkerRole.PSM, start_date__lte=month_end(month))
        .select_related("region")
        .order_by("-start_date", "-id")
        .first()
    )
    if posting is None or posting.region.parent_id is None:
        return None
    return posting.region.parent_id, posting.region_id


def _adjustment_lines(run: PayrollRun) -> list[PayrollLine]:
    """Pending corrections of earlier months, as lines of this run (saved one by one: there are few)."""
    pending = Adjustment.objects.filter(line__isnull=True, paid_month__lt=run.period).select_related("worker__person")
    paid = set(
        PayrollLine.objects.filter(
            worker_id__in=pending.values("worker_id"), kind__in=LineKind.paying_the_month()
        ).values_list("worker_id", "paid_month")
    )
    created = []
    for adj in pending.order_by("created_at", "id"):
        worker = adj.worker
        if not worker.account_number.strip():
            continue  # waits, like the month itself, until the PSM has a bank account
        area = _correction_area(worker, adj.paid_month)
        if area is None:
            continue  # never a PSM posting to pay it for: waits (adjustment_add only takes PSM)
        kind = LineKind.CORRECTION if (worker.pk, adj.paid_month) in paid else LineKind.ARREARS
        paid.add((worker.pk, adj.paid_month))
        rate = rate_for(adj.paid_month)
        line = PayrollLine.objects.create(
            run=run,
            worker=worker,
            kind=kind,
            paid_month=adj.paid_month,
            kecamatan_id=area[0],
            kelurahan_id=area[1],
            name=worker.person.name,
            bank_name=worker.bank_name,
            account_number=worker.account_number.strip(),
            account_holder=worker.account_holder or worker.person.name,
            rate=rate.amount if rate else adj.amount,
            active_days=0,
            days_in_month=month_end(adj.paid_month).day,
            amount=adj.amount,
            note=adj.reason[:250],
        )
        adj.line = line
        adj.save(update_fields=["line", "updated_at"])
        created.append(line)
    return created


def _checkers(*, exclude: User) -> list[User]:
    """Everyone who may approve a run, except its maker."""
    roles = [role for role, perms in ROLE_PERMS.items() if Perm.PAYROLL_APPROVE in perms]
    holders = RoleAssignment.objects.current().filter(role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=holders, is_active=True).exclude(pk=exclude.pk))


@transaction.atomic
def payroll_generate(
    *,
    period: date,
    actor: User,
    rule: str = ProrationRule.PRORATED,
    require_report: bool = False,
    today: date | None = None,
    allow_unfinished: bool = False,
) -> PayrollRun:
    """Generate (or regenerate, replacing the draft) the run for ``period``'s month.

    The current month is refused unless ``allow_unfinished``: PSM who stop or start later this month would be
    paid as if they had served it all; the audit entry records that it was allowed."""
    period = month_start(period)
    if rule not in ProrationRule.values:
        raise DomainError(_("Aturan tidak dikenal."), field="rule", code="invalid")
    this_month = month_start(today or timezone.localdate())
    if period > this_month:
        raise DomainError(_("Bulan %(m)s belum dimulai.") % {"m": bulan_tahun(period)}, field="period", code="invalid")
    if period == this_month and not allow_unfinished:
        raise DomainError(
            _(
                "Bulan %(m)s belum selesai. Buat penggajiannya setelah akhir bulan, atau centang “Buat juga bila "
                "bulannya belum selesai” bila memang perlu."
            )
            % {"m": bulan_tahun(period)},
            field="period",
            code="unfinished",
        )
    rate = rate_for(period)
    if rate is None:
        raise DomainError(_("Belum ada tarif insentif untuk %(m)s.") % {"m": bulan_tahun(period)}, field="period")
    run = _lock_run(period=period, actor=actor, rule=rule, require_report=require_report)
    if run.is_locked:
        raise DomainError(
            _("Penggajian %(m)s sudah disetujui dan terkunci; koreksi dimasukkan ke penggajian bulan berikutnya.")
            % {"m": bulan_tahun(period)},
            field="period",
            code="conflict",
        )
    _clear(run)
    policy = Policy(
        period=period,
        rate=rate.amount,
        rule=rule,
        require_report=require_report,
        accepted_reports=_accepted_reports(period) if require_report else frozenset(),
        paid_elsewhere=_paid_elsewhere(run),
    )
    with translation.override(settings.LANGUAGE_CODE):  # stored reasons are in the office's language
        lines, exclusions, lines_total = _regular_lines(run, policy)
        insert_rows(PayrollLine, LINE_COLUMNS, lines)
        insert_rows(PayrollExclusion, EXCLUSION_COLUMNS, exclusions)
        adjustments = _adjustment_lines(run)
    run.rule, run.require_report = rule, require_report
    run.line_count = len(lines) + len(adjustments)
    run.total = lines_total + sum((a.amount for a in adjustments), Decimal(0))
    run.exclusion_count = len(exclusions)
    run.generated_by, run.generated_at = actor, timezone.now()
    run.save()
    notify(
        recipients=_checkers(exclude=actor),
        kind="incentives.generated",
        title=_("Penggajian insentif %(m)s menunggu persetujuan") % {"m": bulan_tahun(period)},
        url=run.get_absolute_url(),
        body=_("%(n)s PSM, %(total)s.") % {"n": run.line_count, "total": rupiah(run.total)},
    )
    audit.record(
        actor,
        "incentives.run.generated",
        run,
        data={
            "period": f"{period:%Y-%m}",
            "rule": rule,
            "require_report": require_report,
            "unfinished_month": period == this_month,
            "lines": run.line_count,
            "total": run.total,
            "excluded": run.exclusion_count,
        },
    )
    return run


@transaction.atomic
def payroll_approve(*, run: PayrollRun, actor: User) -> PayrollRun:
    """Lock a draft with lines, approved by someone other than its maker (``PAYROLL``'s guard)."""
    run = PAYROLL.guard("approve", run, actor)
    run.status, run.approved_by, run.approved_at = PayrollRun.Status.APPROVED, actor, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(actor, "incentives.run.approved", run, data={"lines": run.line_count, "total": run.total})
    notify(
        recipients=[run.generated_by],
        kind="incentives.approved",
        title=_("Penggajian insentif %(m)s disetujui") % {"m": bulan_tahun(run.period)},
        url=run.get_absolute_url(),
    )
    return run


@transaction.atomic
def payroll_discard(*, run: PayrollRun, actor: User) -> None:
    """Throw a draft away (its corrections wait for the next run)."""
    run = PAYROLL.guard("discard", run, actor)
    audit.record(actor, "incentives.run.discarded", run, data={"period": f"{run.period:%Y-%m}"})
    _clear(run)
    run.delete()


@transaction.atomic
def rate_add(*, effective_from: date, amount: Decimal, actor: User, legal_basis: str = "") -> IncentiveRate:
    effective_from = month_start(effective_from)
    amount = _whole_rupiah(amount, "amount")
    if IncentiveRate.objects.filter(effective_from=effective_from).exists():
        raise DomainError(_("Sudah ada tarif yang berlaku mulai bulan ini."), field="effective_from")
    last = PayrollRun.objects.approved().order_by("-period").first()
    if last is not None and effective_from <= last.period:
        raise DomainError(
            _("Tarif tidak boleh berlaku surut: penggajian %(m)s sudah disetujui.") % {"m": bulan_tahun(last.period)},
            field="effective_from",
        )
    rate = IncentiveRate.objects.create(
        effective_from=effective_from, amount=amount, legal_basis=legal_basis.strip(), created_by=actor
    )
    audit.record_created(actor, "incentives.rate.added", rate, ("effective_from", "amount", "legal_basis"))
    return rate


@transaction.atomic
def adjustment_add(*, worker: Worker, paid_month: date, amount: Decimal, reason: str, actor: User) -> Adjustment:
    """A correction for a month whose run is approved; paid by the next run generated for a later month."""
    paid_month = month_start(paid_month)
    amount = _whole_rupiah(amount, "amount")
    if worker.role != WorkerRole.PSM:
        raise DomainError(_("Insentif hanya untuk PSM."), field="worker")
    if not reason.strip():
        raise DomainError(_("Alasan koreksi wajib diisi."), field="reason")
    if not PayrollRun.objects.approved().filter(period=paid_month).exists():
        raise DomainError(
            _("Belum ada penggajian %(m)s yang disetujui; bulan itu cukup dibuat ulang.")
            % {"m": bulan_tahun(paid_month)},
            field="paid_month",
        )
    adjustment = Adjustment.objects.create(
        worker=worker, paid_month=paid_month, amount=amount, reason=reason.strip(), created_by=actor
    )
    audit.record_created(actor, "incentives.adjustment.added", adjustment, ("paid_month", "amount", "reason"))
    return adjustment
