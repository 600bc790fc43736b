"""Read-side helpers for regions: the configured city and the kecamatan/kelurahan under it."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from pilar.regions.models import Region


def kecamatan_of(region: Region | None) -> Region | None:
    """The kecamatan that ``region`` lies in (itself if it is one); ``None`` above kecamatan level."""
    while region is not None and region.level != Region.Level.KECAMATAN:
        region = region.parent
    return region


def kecamatan_of_village(village: Region) -> Region:
    """The kecamatan a kelurahan/desa lies in; there always is one, as the region tree is loaded whole."""
    kecamatan = kecamatan_of(village)
    if kecamatan is None:
        raise ValueError(f"region {village.code} lies in no kecamatan")
    return kecamatan


# The two lists below filter by code prefix rather than by parent links, so each is one query, and
# regions of another kota loaded into the same database never leak in.


def city_kecamatan() -> QuerySet[Region]:
    """The kecamatan of the configured city, by code."""
    return Region.objects.within(settings.PILAR_REGION).kecamatan().order_by("code")


def city_villages() -> QuerySet[Region]:
    """The kelurahan and desa of the configured city, by code."""
    return Region.objects.within(settings.PILAR_REGION).villages().order_by("code")


def area_filter_options(kecamatan: str, kecamatan_options: Any = None) -> dict[str, Any]:
    """The choices of a list page's area filter (templates/regions/_area_filter.html): the kecamatan (the city's
    unless given) and the kelurahan of the chosen one."""
    return {
        "kecamatan_options": city_kecamatan() if kecamatan_options is None else kecamatan_options,
        "village_options": Region.objects.villages().filter(parent__code=kecamatan)
        if kecamatan
        else Region.objects.none(),
    }
