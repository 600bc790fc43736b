"""The data-quality page (``registri/mutu/``): indicators per kecamatan, kelurahan or PSM, within the user's area,
read from the summary tables of ``pilar.stats.quality``."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from pilar.accounts.permissions import Perm, can, require
from pilar.registry.import_models import ImportConflict
from pilar.registry.models import PpksStatus
from pilar.stats.quality import GROUPINGS, quality

TABS = {"kecamatan": _("Per kecamatan"), "kelurahan": _("Per kelurahan"), "psm": _("Per PSM/pelapor")}


@require_GET
@login_required
def quality_page(request: HttpRequest) -> TemplateResponse:
    require(request.user, Perm.PPKS_VIEW)
    by = request.GET.get("by", "kelurahan")
    if by not in GROUPINGS:
        by = "kelurahan"
    found = quality(request.user, by)
    context = {
        "by": by,
        "tabs": TABS.items(),
        "rows": found.rows,
        "total": found.total,
        "rebuilt_at": found.rebuilt_at,
        "rebuild_minutes": settings.PILAR_STATS_REBUILD_MINUTES,
        "statuses": PpksStatus.choices,
        "current": "registry_quality:page",
        # Conflicts are held by imports, Dinsos' own city-wide work: shown to whoever may import.
        "open_conflicts": (
            ImportConflict.objects.filter(status=ImportConflict.Status.OPEN).count()
            if can(request.user, Perm.REGISTRY_IMPORT)
            else None
        ),
    }
    return TemplateResponse(request, "registry/quality/page.html", context)


# Included under ``registri/mutu/`` with the namespace ``registry_quality`` (pilar/urls.py).
urlpatterns = [path("", quality_page, name="page")]
