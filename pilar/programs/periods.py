"""Quota periods: a calendar year ("2026") or a calendar month ("2026-11"), as each program says."""

import calendar
import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.core.errors import field_error
from pilar.programs.models import QUOTA_STATUSES, Enrollment, Program, ProgramPeriod


def period_key(program: Program, on: date) -> str:
    return f"{on.year}" if program.period_kind == Program.PeriodKind.YEAR else f"{on:%Y-%m}"


def _bounds(program: Program, key: str) -> tuple[date, date]:
    if program.period_kind == Program.PeriodKind.YEAR:
        if not re.fullmatch(r"20\d\d", key):
            raise field_error("period", _("Periode program tahunan ditulis sebagai tahun, mis. 2026."))
        return date(int(key), 1, 1), date(int(key), 12, 31)
    match = re.fullmatch(r"(20\d\d)-(0[1-9]|1[0-2])", key)
    if not match:
        raise field_error("period", _("Periode program bulanan ditulis sebagai tahun-bulan, mis. 2026-11."))
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def period_preview(program: Program, key: str = "") -> ProgramPeriod:
    """The period ``key`` (today's when empty) as an unsaved row: checked, dated, with the program's quota."""
    key = key or period_key(program, timezone.localdate())
    starts, ends = _bounds(program, key)
    if (program.active_until and starts > program.active_until) or ends < program.active_from:
        raise field_error("period", _("Program tidak berlaku pada periode %(p)s.") % {"p": key})
    return ProgramPeriod(program=program, key=key, starts_on=starts, ends_on=ends, quota=program.quota)


def period_for(program: Program, key: str = "") -> ProgramPeriod:
    """The period row, created on first use; today's period when ``key`` is empty."""
    preview = period_preview(program, key)
    # get_or_create retries the read when a concurrent proposal created the row first.
    period, _created = ProgramPeriod.objects.get_or_create(
        program=program,
        key=preview.key,
        defaults={"starts_on": preview.starts_on, "ends_on": preview.ends_on, "quota": preview.quota},
    )
    return period


def judged_on(period: ProgramPeriod) -> date:
    """The day eligibility is judged for a period: today, or the period's nearest day when it lies elsewhere."""
    return min(max(timezone.localdate(), period.starts_on), period.ends_on)


def quota_taken(period: ProgramPeriod) -> int:
    return Enrollment.objects.filter(period=period, status__in=QUOTA_STATUSES).count()
