"""The dashboard's filters as they come from a URL: area codes, a period (month, quarter or year), a category."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from pilar.regions.models import Region
from pilar.registry.models import Category

MAX_MONTHS = 120


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_label(month: date) -> str:
    """'November 2026', the month named in the active language."""
    return dateformat.format(month, "F Y")


def this_month() -> date:
    return timezone.localdate().replace(day=1)


@dataclass(frozen=True)
class Period:
    """Whole months from ``start`` to ``end`` (both the first day of their month)."""

    start: date
    end: date
    code: str

    @property
    def label(self) -> str:
        if self.start == self.end:
            return month_label(self.start)
        if self.code.upper().endswith(("Q1", "Q2", "Q3", "Q4")):
            return _("Triwulan %(q)s %(y)s") % {"q": self.code[-1], "y": self.start.year}
        if self.code.isdigit():
            return _("Tahun %(y)s") % {"y": self.start.year}
        return f"{month_label(self.start)} – {month_label(self.end)}"

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self, months: int | None = None) -> "Period":
        """The period of the same length just before this one (``months``: that many months earlier)."""
        shift = months or self.months
        return Period(add_months(self.start, -shift), add_months(self.end, -shift), "")


def parse_period(text: str) -> Period | None:
    """``2026-11`` (a month), ``2026-Q4`` (a quarter), ``2026`` (a year); empty: None; otherwise a field error."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if text.isdigit() and len(text) == 4:
            year = int(text)
            return Period(date(year, 1, 1), date(year, 12, 1), text)
        year_part, rest = text.split("-", 1)
        year = int(year_part)
        if rest.upper() in ("Q1", "Q2", "Q3", "Q4"):
            first = (int(rest[1]) - 1) * 3 + 1
            return Period(date(year, first, 1), date(year, first + 2, 1), f"{year}-{rest.upper()}")
        month = date(year, int(rest), 1)
        return Period(month, month, f"{year}-{month.month:02d}")
    except ValueError:
        raise ValidationError(
            {"period": [_("Periode tidak dikenal: tulis 2026-11 (bulan), 2026-Q4 (triwulan) atau 2026 (tahun).")]}
        ) from None


@dataclass(frozen=True)
class DashboardFilter:
    kecamatan: str = ""
    kelurahan: str = ""
    period: str = ""
    category: str = ""
    months: int = 12

    @classmethod
    def from_params(cls, params: Any) -> "DashboardFilter":
        text = {f: (params.get(f) or "").strip() for f in ("kecamatan", "kelurahan", "period", "category")}
        months = (params.get("months") or "12").strip()
        if not months.isdigit() or not 1 <= int(months) <= MAX_MONTHS:
            raise ValidationError({"months": [_("Panjang tren: 1 sampai %(n)d bulan.") % {"n": MAX_MONTHS}]})
        return cls(**text, months=int(months))


@dataclass(frozen=True)
class Resolved:
    """The filter with its codes looked up (ids), checked once; an unknown code is a field error."""

    kecamatan: Region | None
    kelurahan: Region | None
    category: Category | None
    period: Period | None
    months: int

    @classmethod
    def of(cls, f: DashboardFilter) -> "Resolved":
        errors: dict[str, list[str]] = {}
        regions = {}
        for field, levels, label in (
            ("kecamatan", (Region.Level.KECAMATAN,), _("Kecamatan")),
            ("kelurahan", Region.VILLAGE_LEVELS, _("Kelurahan")),
        ):
            code = getattr(f, field)
            regions[field] = Region.objects.filter(code=code, level__in=levels).first() if code else None
            if code and regions[field] is None:
                errors[field] = [_("%(label)s dengan kode %(code)s tidak dikenal.") % {"label": label, "code": code}]
        category = Category.objects.filter(code=f.category).first() if f.category else None
        if f.category and category is None:
            errors["category"] = [_("Kategori %(code)s tidak dikenal.") % {"code": f.category}]
        if errors:
            raise ValidationError(errors)
        return cls(regions["kecamatan"], regions["kelurahan"], category, parse_period(f.period), f.months)
