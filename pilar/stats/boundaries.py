"""Kelurahan and kecamatan outlines for the dashboard map, read from GeoJSON or from the source's SQL dump.

The city of this deployment ships with its outlines (``data/batas/<code>-kelurahan.geojson``), loaded on first
use; another kota/kabupaten loads its own with ``pilar load_boundaries <file>`` from either format of the same
source (``cahyadsn/wilayah_boundaries``): a GeoJSON FeatureCollection whose features carry ``kode`` and
``nama``, or the source's SQL file whose rows are ``(kode, nama, lat, lng, path)`` with ``path`` a JSON array
of rings of ``[lat, lng]`` points.
"""

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from pilar.stats.models import Boundary

DATA = Path(__file__).resolve().parent / "data" / "batas"
_SQL_ROW = re.compile(
    r"\('(?P<kode>[\d.]+)'\s*,\s*'(?P<nama>(?:[^'\\]|\\.|'')*)'\s*,\s*(?P<lat>-?[\d.]+)\s*,"
    r"\s*(?P<lng>-?[\d.]+)\s*,\s*'(?P<path>\[.*?\])'\s*\)",
    re.S,
)


class BoundaryError(ValueError):
    pass


def read_geojson(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
        features = data["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BoundaryError("Berkas bukan GeoJSON FeatureCollection.") from exc
    shapes = []
    for number, feature in enumerate(features, start=1):
        props, geometry = feature.get("properties") or {}, feature.get("geometry") or {}
        if not props.get("kode") or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BoundaryError(f"Fitur ke-{number}: tanpa properti 'kode' atau bukan Polygon/MultiPolygon.")
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        label = [props["lng"], props["lat"]] if "lat" in props and "lng" in props else []
        shapes.append(
            {"code": props["kode"], "name": props.get("nama", ""), "rings": [p[0] for p in polygons], "label": label}
        )
    return shapes


def read_sql(text: str) -> list[dict[str, Any]]:
    shapes = []
    for match in _SQL_ROW.finditer(text):
        path = json.loads(match["path"])
        # A path is one ring ([[lat, lng], ...]) or several; GeoJSON order is [lng, lat].
        rings = [path] if path and isinstance(path[0][0], (int, float)) else path
        shapes.append(
            {
                "code": match["kode"],
                "name": match["nama"].replace("''", "'").replace("\\'", "'"),
                "rings": [[[lng, lat] for lat, lng in ring] for ring in rings],
                "label": [float(match["lng"]), float(match["lat"])],
            }
        )
    if not shapes:
        raise BoundaryError("Tidak ada baris (kode, nama, lat, lng, path) di berkas SQL ini.")
    return shapes


def read_file(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    return read_sql(text) if path.suffix.lower() == ".sql" else read_geojson(text)


@transaction.atomic
def store(shapes: list[dict[str, Any]]) -> int:
    for shape in shapes:
        Boundary.objects.update_or_create(
            code=shape["code"], defaults={k: shape[k] for k in ("name", "rings", "label")}
        )
    return len(shapes)


def ensure_loaded() -> None:
    """The shipped outlines of this deployment's city, the first time a map needs them."""
    region = settings.PILAR_REGION
    if Boundary.objects.filter(code__startswith=region + ".").exists():
        return
    for level in ("kecamatan", "kelurahan"):
        shipped = DATA / f"{region}-{level}.geojson"
        if shipped.exists():
            store(read_file(shipped))
