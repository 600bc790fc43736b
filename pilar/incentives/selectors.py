"""Reads of the payroll for pages, API, files and commands, always from the user's scope."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from pilar.accounts.permissions import Perm, can
from pilar.core.access import get_for_user
from pilar.identity.kk import mask_account
from pilar.incentives.eligibility import served_in_month
from pilar.incentives.models import IncentiveRate, PayrollLine, PayrollRun
from pilar.regions.models import Region


def run_list(user: Any) -> QuerySet[PayrollRun]:
    return PayrollRun.objects.visible_to(user).select_related("generated_by", "approved_by")


def get_run_for_user(user: Any, pk: int, perm: Perm = Perm.PAYROLL_VIEW) -> PayrollRun:
    """The run if the user may see payroll at all (404 otherwise); 403 if seen but ``perm`` is not held."""
    run = get_object_or_404(run_list(user), pk=pk)
    if not can(user, perm):
        raise PermissionDenied
    return run


def run_lines(run: PayrollRun) -> QuerySet[PayrollLine]:
    return run.lines.select_related("kecamatan", "kelurahan").order_by(
        "kecamatan__code", "kelurahan__code", "name", "id"
    )


def own_lines(user: Any) -> QuerySet[PayrollLine]:
    """The user's own lines of approved runs ("Insentif saya"), newest first."""
    return (
        PayrollLine.objects.visible_to(user)
        .filter(worker__user=user)
        .select_related("run", "kecamatan", "kelurahan")
        .order_by("-run__period", "-paid_month", "id")
    )


def get_line_for_user(user: Any, pk: int) -> PayrollLine:
    """A payslip: the PSM's own (approved) line, or any line for a payroll viewer; 404 otherwise."""
    return get_for_user(PayrollLine.objects.visible_to(user).select_related("run", "kecamatan", "kelurahan"), user, pk)


RESTRICTED_NAME = gettext_lazy("(data dibatasi)")


def hide_restricted_names(user: Any, rows: Any) -> Any:
    """Payroll lines and exclusions of a PSM whose processing is restricted (UU PDP) stay in the run, its totals
    and the payment files (the PSM must still be paid), but show no name on screen or in the API to anyone but
    the Admin Dinsos and the PSM themselves. Changes the rows in place, for display only."""
    hidden = withheld_workers(user)
    for row in rows if hidden else ():
        if row.worker_id in hidden:
            row.name = str(RESTRICTED_NAME)
            if hasattr(row, "account_holder"):
                row.account_holder = str(RESTRICTED_NAME)
    return rows


def withheld_workers(user: Any) -> frozenset[int]:
    """The workers whose names :func:`hide_restricted_names` withholds from ``user`` (usually none: one query)."""
    from pilar.identity.restriction import sees_restricted
    from pilar.workers.models import Worker

    if sees_restricted(user):
        return frozenset()
    restricted = Worker.objects.filter(person__restricted_at__isnull=False).exclude(user=user)
    return frozenset(restricted.values_list("pk", flat=True))


def shown_account(number: str, *, whole: bool) -> str:
    return number if whole else mask_account(number)


@dataclass(frozen=True)
class KecamatanTotal:
    kecamatan: Region
    count: int
    total: Decimal


def kecamatan_totals(run: PayrollRun) -> list[KecamatanTotal]:
    rows = run.lines.values("kecamatan_id").annotate(n=Count("id"), total=Sum("amount")).order_by()
    regions = Region.objects.in_bulk([r["kecamatan_id"] for r in rows])
    totals = [KecamatanTotal(regions[r["kecamatan_id"]], r["n"], r["total"]) for r in rows]
    return sorted(totals, key=lambda t: t.kecamatan.code)


def rate_schedule() -> list[IncentiveRate]:
    return list(IncentiveRate.objects.select_related("created_by").order_by("-effective_from"))


@dataclass(frozen=True)
class BudgetMonth:
    month: date
    rate: Decimal
    active_psm: int  # PSM active at least one day in the month (known today; later months assume no change)
    planned: Decimal  # active_psm × rate
    run: PayrollRun | None
    paid_count: int
    paid: Decimal


def budget(year: int) -> list[BudgetMonth]:
    """Per month: active PSM × the month's rate (the need), beside what the runs of that month pay."""
    rates = sorted(IncentiveRate.objects.values_list("effective_from", "amount"))
    runs = {r.period: r for r in PayrollRun.objects.filter(period__year=year)}
    paid = {
        row["paid_month"]: (row["n"], row["total"])
        for row in PayrollLine.objects.filter(paid_month__year=year, run__status=PayrollRun.Status.APPROVED)
        .values("paid_month")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    }
    months = []
    for m in range(1, 13):
        month = date(year, m, 1)
        rate = next((amount for start, amount in reversed(rates) if start <= month), Decimal(0))
        active = sum(1 for served in served_in_month(month) if served.active_days) if rate else 0
        count, total = paid.get(month, (0, Decimal(0)))
        months.append(BudgetMonth(month, rate, active, active * rate, runs.get(month), count, total or Decimal(0)))
    return months
