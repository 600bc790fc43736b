from django.conf import settings
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from pilar.api.pagination import Page
from pilar.regions.models import Region

router = Router(tags=["wilayah"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.code.rsplit(".", 1)[0] if "." in obj.code else None


class RegionFilter(Schema):
    level: str | None = None
    parent: str | None = None


@router.get("/", response=list[RegionOut])
@paginate(Page)
def list_regions(request, filters: Query[RegionFilter]):
    """Wilayah kota/kabupaten ini: ``level=kecamatan|kelurahan|desa``, ``parent=<kode>``."""
    qs = Region.objects.within(settings.PILAR_REGION)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    return qs.order_by("code")
