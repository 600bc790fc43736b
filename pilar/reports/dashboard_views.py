"""The dashboard page: the figures of ``figures.dashboard_figures`` with charts, map, tables and drill-down links.

Every filter lives in the URL (a view can be bookmarked and shared); every number links to the registry list
that counts it, which applies the same scope; tables sort by a URL parameter, so nothing needs a script.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from pilar.accounts.permissions import Perm, require
from pilar.registry.models import Category
from pilar.reports import charts, maps
from pilar.reports.downloads import table_download
from pilar.reports.figures import AreaRow, Figures, dashboard_figures, kecamatan_in_scope
from pilar.reports.filters import DashboardFilter

FILTER_KEYS = ("kecamatan", "kelurahan", "period", "category", "months")
AREA_SORTS = {"name", "ppks_active", "change", "entered", "exited", "psm_active", "ppks_per_psm", "cases_open"}


def _query(params: dict[str, str], **changes: str) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v})


def registry_link(
    figures: Figures, row: AreaRow | None = None, category: Any = None, status: str = "ditetapkan"
) -> str:
    """The registry list behind a number: same area, category and status (the list applies the user's scope)."""
    f = figures.filters
    params = {
        "status": status,
        "kecamatan": f.kecamatan.code if f.kecamatan else "",
        "kelurahan": f.kelurahan.code if f.kelurahan else "",
        "category": f.category.code if f.category else "",
    }
    if row is not None:
        if row.region.is_village:
            params["kelurahan"], params["kecamatan"] = row.code, row.region.parent.code if row.region.parent else ""
        else:
            params["kecamatan"] = row.code
    if category is not None:
        params["category"] = category.code
    return reverse("registry:ppks_list") + _query(params)


def _sorted(rows: list[AreaRow], key: str) -> list[AreaRow]:
    name = key.lstrip("-")
    if name not in AREA_SORTS:
        return rows
    if name == "name":
        return sorted(rows, key=lambda r: r.name, reverse=key.startswith("-"))
    # Rows without a value (no PSM: no PPKS per PSM) go last either way.
    present = [r for r in rows if getattr(r, name) is not None]
    absent = [r for r in rows if getattr(r, name) is None]
    return sorted(present, key=lambda r: getattr(r, name), reverse=key.startswith("-")) + absent


def category_table(figures: Figures, order: str = "") -> list[dict[str, Any]]:
    table = []
    for category in figures.categories:
        cells = [(row, row.by_category.get(category.pk, 0)) for row in figures.areas]
        table.append({"category": category, "cells": cells, "total": sum(n for _r, n in cells)})
    if order == "total":
        table.sort(key=lambda t: -t["total"])
    elif order:
        position = next((i for i, r in enumerate(figures.areas) if r.code == order), None)
        if position is not None:
            table.sort(key=lambda t: -t["cells"][position][1])
    return table


@login_required
def dashboard(request: HttpRequest) -> HttpResponseBase:
    require(request.user, Perm.PPKS_VIEW)
    params = {k: (request.GET.get(k) or "").strip() for k in FILTER_KEYS}
    errors: dict[str, list[str]] = {}
    try:
        figures = dashboard_figures(request.user, DashboardFilter.from_params(params))
    except ValidationError as exc:
        errors = exc.message_dict
        params = {}
        figures = dashboard_figures(request.user, DashboardFilter())
    download = request.GET.get("unduh")
    if download in ("xlsx", "csv") and not errors:
        return _download(figures, download)
    context = _context(request, figures, params)
    context["errors"] = errors
    return TemplateResponse(request, "reports/dashboard.html", context, status=400 if errors else 200)


def _download(figures: Figures, kind: str) -> HttpResponseBase:
    header = [_("Kategori"), *[row.name for row in figures.areas], _("Jumlah")]
    rows = [[t["category"].name, *[n for _r, n in t["cells"]], t["total"]] for t in category_table(figures)]
    totals = [_("Jumlah"), *[row.ppks_active for row in figures.areas], figures.totals["ppks_active"]]
    return table_download(kind, _("PPKS aktif per kategori dan wilayah"), header, rows, totals, "ppks-per-wilayah")


def _context(request: HttpRequest, figures: Figures, params: dict[str, str]) -> dict[str, Any]:
    order = request.GET.get("urut", "")
    measure = request.GET.get("peta", "ppks_active")
    measure = measure if measure in maps.MEASURES else "ppks_active"
    f = figures.filters
    rtlh_ids = set(Category.objects.filter(kind=Category.Kind.RTLH).values_list("id", flat=True))

    def village_link(row: AreaRow) -> str:
        return _query(params, kelurahan=row.code, kecamatan=row.region.parent.code if row.region.parent else "")

    def area_link(row: AreaRow) -> str:
        return village_link(row) if row.region.is_village else _query(params, kecamatan=row.code, kelurahan="")

    areas = [
        {"row": r, "link": area_link(r), "registry": registry_link(figures, r)} for r in _sorted(figures.areas, order)
    ]
    changed = sorted((r for r in figures.villages if r.change), key=lambda r: r.change)
    totals = figures.totals
    return {
        "figures": figures,
        "totals": totals,
        "params": params,
        "areas": areas,
        "order": order,
        "sort_links": {k: _query(params, urut=("-" + k if order != "-" + k else k), peta=measure) for k in AREA_SORTS},
        "categories_table": [
            {**t, "links": [registry_link(figures, r, t["category"]) for r, _n in t["cells"]]}
            for t in category_table(figures, request.GET.get("urut_kategori", ""))
        ],
        "category_sort": {r.code: _query(params, urut_kategori=r.code) for r in figures.areas},
        "category_sort_total": _query(params, urut_kategori="total"),
        "improved": [r for r in changed if r.change < 0][:5],
        "worsened": [r for r in reversed(changed) if r.change > 0][:5],
        "without_psm": [r for r in figures.villages if not r.psm_active],
        "month_change": totals["ppks_active"] - figures.active_month_ago,
        "year_change": totals["ppks_active"] - figures.active_year_ago,
        "chart": charts.trend_chart(figures.trend),
        "map": maps.choropleth(
            figures.villages, measure, village_link, rtlh_ids=rtlh_ids, selected=f.kelurahan.code if f.kelurahan else ""
        ),
        "measure": measure,
        "measures": maps.MEASURES.items(),
        "measure_links": {k: _query(params, peta=k) for k in maps.MEASURES},
        "registry_all": registry_link(figures),
        "registry_waiting": registry_link(figures, status="diusulkan"),
        "download_xlsx": _query(params, unduh="xlsx"),
        "download_csv": _query(params, unduh="csv"),
        "up_link": _query(params, kelurahan="") if f.kelurahan else _query(params, kecamatan="") if f.kecamatan else "",
        "kecamatan_options": kecamatan_in_scope(request.user),
        "village_options": list(r.region for r in figures.villages) if f.kecamatan or f.kelurahan else [],
        "category_options": Category.objects.filter(kind__in=Category.RECORDED_KINDS),
        "rebuild_minutes": _rebuild_minutes(),
    }


def _rebuild_minutes() -> int:
    from pilar.stats.tally import refresh_interval

    return refresh_interval()
