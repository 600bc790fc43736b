"""The data-quality page: indicators per kecamatan, kelurahan or PSM, within the user's area."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from pilar.accounts.permissions import Perm, can
from pilar.registry.models import PpksStatus
from pilar.registry.quality import GROUPINGS, open_conflict_count, quality_rows, totals

TABS = {"kecamatan": _("Per kecamatan"), "kelurahan": _("Per kelurahan"), "psm": _("Per PSM/pelapor")}


@require_GET
@login_required
def quality_page(request: HttpRequest) -> TemplateResponse:
    if not can(request.user, Perm.PPKS_VIEW):
        raise PermissionDenied
    by = request.GET.get("by", "kelurahan")
    if by not in GROUPINGS:
        by = "kelurahan"
    rows = quality_rows(request.user, by)
    context = {
        "by": by,
        "tabs": TABS.items(),
        "rows": rows,
        "total": totals(rows),
        "statuses": PpksStatus.choices,
        "current": "registry_quality:page",
        # Conflicts are held by imports, Dinsos' own city-wide work: shown to whoever may import.
        "open_conflicts": open_conflict_count() if can(request.user, Perm.REGISTRY_IMPORT) else None,
    }
    return TemplateResponse(request, "registry/quality/page.html", context)
