from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from pilar.regions.models import Region


@login_required
def village_options(request):
    """The <option>s of a kecamatan's kelurahan, for the dependent select (htmx)."""
    code = request.GET.get("kecamatan", "")
    villages = Region.objects.none()
    if code.startswith(settings.PILAR_REGION + "."):
        villages = Region.objects.villages().filter(parent__code=code)
    return TemplateResponse(
        request,
        "regions/village_options.html",
        {
            "villages": villages,
            "selected": request.GET.get("kelurahan", ""),
            "blank": request.GET.get("blank", "1"),
        },
    )
