"""The kelurahan choropleth: outlines projected to SVG paths, one dashboard measure in five colour classes.

Drawn on the server from the stored outlines (``pilar.stats.boundaries``), so it needs no tile server and
prints as it shows. Sequential measures use viridis, the change over a period a purple–orange diverging scale
(a decrease is purple, an increase orange); both stay distinct for colour-blind readers and in greyscale.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

from pilar.core.formatting import thousands
from pilar.stats.boundaries import ensure_loaded
from pilar.stats.models import Boundary

WIDTH = 600
SEQUENTIAL = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
DIVERGING = ["#542788", "#998ec3", "#f7f7f7", "#f1a340", "#b35806"]
NO_DATA = "#d9d9d9"

MEASURES = {
    "ppks_active": _("PPKS aktif"),
    "change": _("Perubahan PPKS dalam periode"),
    "psm_active": _("PSM aktif"),
    "ppks_per_psm": _("PPKS per PSM"),
    "cases_open": _("Kasus terbuka"),
    "rtlh": _("RTLH tersisa"),
}


@dataclass
class Shape:
    code: str
    name: str
    d: str
    fill: str
    title: str
    href: str
    selected: bool = False


@dataclass
class LegendItem:
    fill: str
    text: str


@dataclass(frozen=True)
class Frame:
    """How lon/lat become SVG x/y in one drawing (the field app's mini map places a GPS point with it)."""

    min_x: float
    max_y: float
    shrink: float
    scale: float
    height: int

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.min_x) * self.shrink * self.scale, (self.max_y - y) * self.scale


def projected(codes: tuple[str, ...], width: int = WIDTH) -> tuple[dict[str, str], Frame | None]:
    """SVG path data per code and the drawing's frame, for this set of outlines (the drawing cached per process).

    The outlines are made sure of on every call, not only when the drawing is first made: callers read the
    boundary rows too (the field mini map), and a cached drawing must not stand for rows that are not there."""
    ensure_loaded()
    drawn = _projected(codes, width)
    if drawn[1] is None:  # no outlines yet (another city before `pilar load_boundaries`): ask again next time
        _projected.cache_clear()
    return drawn


@lru_cache(maxsize=8)
def _projected(codes: tuple[str, ...], width: int) -> tuple[dict[str, str], Frame | None]:
    outlines = {b.code: b.rings for b in Boundary.objects.filter(code__in=codes)}
    points = [pt for rings in outlines.values() for ring in rings for pt in ring]
    if not points:
        return {}, None
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    shrink = math.cos(math.radians((min_y + max_y) / 2))  # longitude degrees are shorter off the equator
    scale = width / max((max_x - min_x) * shrink, 1e-9)
    frame = Frame(min_x, max_y, shrink, scale, round((max_y - min_y) * scale) or 1)
    paths = {}
    for code, rings in outlines.items():
        parts = []
        for ring in rings:
            xy = ["{:.1f},{:.1f}".format(*frame.xy(x, y)) for x, y in ring]
            parts.append("M" + "L".join(xy) + "Z")
        paths[code] = "".join(parts)
    return paths, frame


def value_of(row: Any, measure: str, rtlh_ids: set[int]) -> float | None:
    if measure == "rtlh":
        return sum(n for c, n in row.by_category.items() if c in rtlh_ids)
    if measure == "change":
        return row.change
    return getattr(row, measure)


def _classes(values: list[float], diverging: bool) -> tuple[Callable[[float], int], list[str]]:
    """A value's colour class (0–4) and the legend's texts, from quantiles of the values shown."""
    if diverging:
        spread = sorted(abs(v) for v in values if v) or [1]
        strong = max(spread[len(spread) // 2], 1)

        def change_class(v: float) -> int:
            return 0 if v <= -strong else 1 if v < 0 else 2 if v == 0 else 3 if v < strong else 4

        s = thousands(int(strong))
        return change_class, [f"≤ −{s}", f"−{s} … −1", "0", f"+1 … +{s}", f"≥ +{s}"]
    # Nothing (0) is a class of its own; the rest split at the quartiles of the values above it.
    above = sorted(v for v in values if v > 0)
    cuts = sorted({above[len(above) * k // 4] for k in range(4)}) if above else []

    def level(v: float) -> int:
        return min(sum(v >= c for c in cuts), 4)

    texts = ["0"] if not above or min(values, default=0) <= 0 else []
    for lo, hi in zip(cuts, [*cuts[1:], None], strict=False):
        if hi is None:
            texts.append(f"≥ {_fmt(lo)}")
        elif float(lo).is_integer() and float(hi).is_integer():
            texts.append(_fmt(lo) if hi - 1 <= lo else f"{_fmt(lo)} – {_fmt(hi - 1)}")
        else:
            texts.append(f"{_fmt(lo)} – < {_fmt(hi)}")
    if texts[0] != "0":
        texts.insert(0, "0")
    return level, texts


def _fmt(v: float) -> str:
    return thousands(int(v)) if float(v).is_integer() else f"{v:.1f}".replace(".", ",")


def choropleth(
    rows: list[Any], measure: str, link: Callable[[Any], str], *, rtlh_ids: set[int], selected: str = ""
) -> dict[str, Any]:
    paths, frame = projected(tuple(sorted(r.code for r in rows)))
    height = frame.height if frame else 0
    values = {r.code: value_of(r, measure, rtlh_ids) for r in rows}
    shown = [v for v in values.values() if v is not None]
    diverging = measure == "change"
    palette = DIVERGING if diverging else SEQUENTIAL
    level, texts = _classes(shown, diverging)
    used = sorted({level(v) for v in shown}) if not diverging else range(5)
    label = MEASURES[measure]
    shapes = []
    for r in rows:
        if r.code not in paths:
            continue
        v = values[r.code]
        fill = NO_DATA if v is None else palette[level(v)]
        shown_value = "–" if v is None else _fmt(v) if measure != "change" else f"{v:+d}".replace("-", "−")
        shapes.append(
            Shape(
                r.code, r.name, paths[r.code], fill, f"{r.name}: {shown_value} ({label})", link(r), r.code == selected
            )
        )
    legend = [LegendItem(palette[i], texts[i]) for i in used if i < len(texts)]
    if any(v is None for v in values.values()):
        legend.append(LegendItem(NO_DATA, str(_("tidak ada PSM"))))
    return {
        "shapes": shapes,
        "width": WIDTH,
        "height": height,
        "legend": legend,
        "label": label,
        "missing": [r.name for r in rows if r.code not in paths],
    }
