from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pilar.core.errors import DomainError
from pilar.regions.models import Region


def kecamatan_of(region: Region | None) -> Region | None:
    while region is not None and region.level != Region.Level.KECAMATAN:
        region = region.parent
    return region


def configured_city() -> Region:
    city = Region.objects.filter(code=settings.PILAR_REGION).first()
    if city is None:
        raise DomainError(_("Wilayah belum dimuat: jalankan `pilar load-regions`."))
    return city


def city_kecamatan() -> QuerySet[Region]:
    return Region.objects.within(settings.PILAR_REGION).kecamatan().order_by("code")


def city_villages() -> QuerySet[Region]:
    return Region.objects.within(settings.PILAR_REGION).villages().order_by("code")
