"""The payroll rule for one PSM and one month: paid how much, or excluded and why. No database access."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from pilar.incentives.eligibility import ServedMonth, month_end, month_start, tanggal_id
from pilar.incentives.models import PayrollExclusion, ProrationRule

Reason = PayrollExclusion.Reason


def prorate(rate: Decimal, active_days: int, days_in_month: int) -> Decimal:
    """``rate × active_days / days_in_month``, rounded half up to whole rupiah (Rp 166.666,67 → Rp 166.667)."""
    return (rate * active_days / days_in_month).quantize(Decimal(1), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Policy:
    period: date
    rate: Decimal
    rule: str
    require_report: bool = False
    accepted_reports: frozenset[int] = frozenset()
    # worker id -> "#12 (Oktober 2026)": a line paying this month already exists in another run
    paid_elsewhere: dict[int, str] = field(default_factory=dict)

    @cached_property  # asked once per PSM: 100,000 calendar look-ups otherwise
    def days_in_month(self) -> int:
        return month_end(self.period).day


@dataclass(frozen=True)
class Decision:
    amount: Decimal | None = None
    reason: str | None = None
    detail: str = ""
    note: str = ""


def _partial_detail(served: ServedMonth, policy: Policy) -> tuple[str, str]:
    """The reason and the words for a PSM who did not serve the whole month."""
    parts, reason = [], Reason.JOINED
    if served.first_day and served.first_day > month_start(policy.period):
        parts.append(_("aktif mulai %(d)s") % {"d": tanggal_id(served.first_day)})
    if served.last_day and served.last_day < month_end(policy.period):
        parts.append(_("aktif terakhir %(d)s") % {"d": tanggal_id(served.last_day)})
        reason = Reason.LEFT
    return reason, ", ".join(parts) or _("%(n)s hari aktif") % {"n": served.active_days}


def decide(served: ServedMonth, policy: Policy) -> Decision:
    days = policy.days_in_month
    if served.active_days == 0:
        return Decision(reason=Reason.NOT_ACTIVE, detail=_("Tidak berstatus aktif pada bulan ini."))
    partial = served.active_days < days
    note = ""
    if partial:
        reason, words = _partial_detail(served, policy)
        if policy.rule == ProrationRule.NONE:
            return Decision(
                reason=reason,
                detail=_("%(words)s; aturan: hanya PSM yang aktif sebulan penuh yang dibayar.") % {"words": words},
            )
        note = words
    if served.worker_id in policy.paid_elsewhere:
        return Decision(
            reason=Reason.PAID,
            detail=_("Sudah dibayar untuk bulan ini pada penggajian %(run)s.")
            % {"run": policy.paid_elsewhere[served.worker_id]},
        )
    if not served.account_number:
        return Decision(reason=Reason.NO_BANK, detail=_("Nomor rekening bank belum diisi di data PSM."))
    if policy.require_report and served.worker_id not in policy.accepted_reports:
        return Decision(reason=Reason.NO_REPORT, detail=_("Laporan kegiatan bulan ini belum diterima TKSK."))
    if partial and policy.rule == ProrationRule.PRORATED:
        amount = prorate(policy.rate, served.active_days, days)
        note = _("%(words)s; prorata %(n)s/%(d)s hari") % {"words": note, "n": served.active_days, "d": days}
    else:
        amount = policy.rate
    return Decision(amount=amount, note=note)
