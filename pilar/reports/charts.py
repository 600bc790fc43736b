"""Server-drawn SVG charts: coordinates computed here, drawn by the templates (no script, no inline style).

Colours are the Okabe–Ito and viridis palettes, which stay distinct for the common kinds of colour blindness;
every mark carries a ``<title>`` with its figure, so the chart reads the same to a screen reader and on hover.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import dateformat

from pilar.core.formatting import thousands

ENTERED_COLOUR, EXITED_COLOUR, ACTIVE_COLOUR = "#0072B2", "#E69F00", "#009E73"


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class Tick:
    x: float
    y: float
    text: str


def _month(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def _nice_top(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^n at or above ``value`` (an axis that ends on a round number)."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= value:
                return step * top
        top *= 10


def trend_chart(trend: list[dict[str, Any]], *, width: int = 640, height: int = 240) -> dict[str, Any]:
    """Active records as a line, entries and exits as paired bars below it, one slot per month."""
    left, right, top, bottom = 48, 8, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    line_h, bar_h = plot_h * 0.58, plot_h * 0.34
    bar_base = top + plot_h
    slot = plot_w / max(len(trend), 1)
    active_top = _nice_top(max((p["active"] for p in trend), default=0) or 1)
    moved_top = _nice_top(max((max(p["entered"], p["exited"]) for p in trend), default=0) or 1)
    points, bars, ticks = [], [], []
    for i, p in enumerate(trend):
        label = dateformat.format(_month(p["month"]), "M Y")
        cx = left + slot * (i + 0.5)
        cy = top + line_h * (1 - p["active"] / active_top)
        points.append({"x": round(cx, 1), "y": round(cy, 1), "title": f"{label}: {thousands(p['active'])} PPKS aktif"})
        w = max(slot * 0.36, 1)
        for offset, key, colour, word in (
            (-w, "entered", ENTERED_COLOUR, "masuk"),
            (0, "exited", EXITED_COLOUR, "keluar"),
        ):
            h = bar_h * p[key] / moved_top
            bars.append(
                Bar(
                    round(cx + offset, 1),
                    round(bar_base - h, 1),
                    round(w, 1),
                    round(h, 1),
                    colour,
                    f"{label}: {thousands(p[key])} {word}",
                )
            )
        every = max(1, len(trend) // 6)
        last_apart = i == len(trend) - 1 and i % every > every // 2  # the last month, unless it crowds the one before
        if i % every == 0 or last_apart:
            ticks.append(Tick(round(cx, 1), height - 8, label))
    return {
        "width": width,
        "height": height,
        "points": points,
        "bars": bars,
        "ticks": ticks,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "active_top": thousands(active_top),
        "moved_top": thousands(moved_top),
        "left": left,
        "top": top,
        "line_bottom": round(top + line_h, 1),
        "bar_top": round(bar_base - bar_h, 1),
        "bar_base": bar_base,
        "right": width - right,
        "colours": {"entered": ENTERED_COLOUR, "exited": EXITED_COLOUR, "active": ACTIVE_COLOUR},
    }
