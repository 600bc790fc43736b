"""``/api/v1/dashboard``: the city at a glance, from the summary tables, scoped like the registry."""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from pilar.reports.figures import dashboard_figures
from pilar.reports.filters import MAX_MONTHS, DashboardFilter

router = Router(tags=["dasbor"])


class AreaOut(Schema):
    code: str
    name: str
    ppks_active: int
    psm_active: int
    entered: int
    exited: int
    change: int
    ppks_waiting: int
    cases_open: int


class TrendOut(Schema):
    month: str
    entered: int
    exited: int
    active: int


class DashboardOut(Schema):
    totals: dict[str, int]
    by_area: list[AreaOut]
    trend: list[TrendOut]
    level: str
    period: str | None
    change_from: str
    change_to: str
    as_of: datetime
    rebuilt_at: datetime | None


class DashboardIn(Schema):
    kecamatan: str = ""
    kelurahan: str = ""
    period: str = Field("", description="2026-11 (bulan), 2026-Q4 (triwulan) atau 2026 (tahun)")
    category: str = ""
    months: int = Field(12, ge=1, le=MAX_MONTHS, description="panjang tren dalam bulan")


@router.get("/", response=DashboardOut)
def dashboard(request, filters: Query[DashboardIn]):
    """Angka utama (``totals``), per kecamatan atau per kelurahan bila ``kecamatan`` diisi (``by_area``), dan
    tren bulanan (``trend``). ``ppks_active``: data berstatus ``ditetapkan``; ``entered``/``exited``/``change``:
    dalam ``period`` (bawaan: 12 bulan terakhir). TKSK hanya kecamatannya, PSM hanya kelurahannya."""
    params = {k: str(v) for k, v in filters.dict().items()}
    figures = dashboard_figures(request.user, DashboardFilter.from_params(params))
    return {
        "totals": figures.totals,
        "by_area": [
            {
                "code": r.code,
                "name": r.name,
                "ppks_active": r.ppks_active,
                "psm_active": r.psm_active,
                "entered": r.entered,
                "exited": r.exited,
                "change": r.change,
                "ppks_waiting": r.ppks_proposed,
                "cases_open": r.cases_open,
            }
            for r in figures.areas
        ],
        "trend": figures.trend,
        "level": figures.level,
        "period": figures.filters.period.code if figures.filters.period else None,
        "change_from": figures.change_period.start.strftime("%Y-%m"),
        "change_to": figures.change_period.end.strftime("%Y-%m"),
        "as_of": figures.as_of,
        "rebuilt_at": figures.rebuilt_at,
    }
