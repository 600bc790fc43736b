"""The field app's frame: the manifest, the service worker (served from / so that its scope is the whole
site) and the field home, a page without personal data that the service worker keeps for offline use; its
lists come from the API with the session and live in the device's IndexedDB (pilar/static/pilar/field/)."""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pilar.accounts.permissions import Perm, can
from pilar.reports.maps import projected
from pilar.stats.models import Boundary

SW_SOURCE = Path(__file__).resolve().parent.parent / "static" / "pilar" / "field" / "sw.js"
# The files the field home needs offline, precached by the service worker under their hashed names.
SHELL_ASSETS = (
    "pilar/pilar.css",
    "pilar/ui.js",
    "pilar/field/store.js",
    "pilar/field/home.js",
    "pilar/field/outbox.js",
    "pilar/field/forms.js",
    "pilar/field/place.js",
    "pilar/field/pick.js",
    "pilar/field/icon.svg",
    "pilar/field/icon-192.png",
    "pilar/field/icon-512.png",
)
MAP_WIDTH = 320  # the mini map's drawing width (it scales to the column)
# How long cached lists may be shown without a fresh sign-in (days); after that the device forgets them.
CACHE_DAYS = getattr(settings, "PILAR_FIELD_CACHE_DAYS", 7)


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Pilar — Dinas Sosial"),
        "short_name": "Pilar",
        "description": _("Pilar untuk PSM dan TKSK di lapangan, juga tanpa sinyal."),
        "start_url": "/lapangan/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f7f9",
        "theme_color": "#0d5c63",
        "lang": "id",
        "icons": [
            {"src": static("pilar/field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("pilar/field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("pilar/field/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


@cache
def _worker_source() -> str:
    assets = [static(name) for name in SHELL_ASSETS]
    source = SW_SOURCE.read_text(encoding="utf-8").replace("__ASSETS__", json.dumps(assets))
    version = hashlib.sha256(source.encode()).hexdigest()[:12]
    return source.replace("__VERSION__", version)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker on every visit
    return response


@login_required
@require_GET
def home(request: HttpRequest) -> TemplateResponse:
    user = request.user
    lists = {
        "ppks": can(user, Perm.PPKS_VIEW),
        "cases": can(user, Perm.CASE_VIEW),
        "trainings": can(user, Perm.TRAINING_VIEW),
        "payslips": can(user, Perm.PAYSLIP_VIEW_OWN),
    }
    # The field forms the lists link to (pilar/field/form_views.py); the server checks each record again.
    forms = {
        "verify": can(user, Perm.PPKS_VERIFY),
        "cases": can(user, Perm.CASE_MANAGE),
        "checkin": can(user, Perm.TRAINING_CHECKIN),
        "complaints": can(user, Perm.COMPLAINT_TRIAGE),
        "propose": can(user, Perm.PPKS_PROPOSE),
    }
    return TemplateResponse(request, "field/home.html", {"lists": lists, "forms": forms, "cache_days": CACHE_DAYS})


@login_required
@require_GET
def kelurahan_map(request: HttpRequest, code: str) -> JsonResponse:
    """One kelurahan's outline for the mini map beside the coordinates (no personal data; kept for offline use).

    The dashboard map's projection (``pilar.reports.maps.projected``) draws it; the GPS point is placed with the
    same frame by pilar/static/pilar/field/place.js, which also tells whether the point falls inside."""
    paths, frame = projected((code,), MAP_WIDTH)
    boundary = Boundary.objects.filter(code=code).only("code", "name", "rings").first()
    if boundary is None or frame is None:
        return JsonResponse({"detail": _("Batas kelurahan ini belum dimuat.")}, status=404)
    place = {"min_x": frame.min_x, "max_y": frame.max_y, "shrink": frame.shrink, "scale": frame.scale}
    data = {
        "code": boundary.code,
        "name": boundary.name,
        "width": MAP_WIDTH,
        "height": frame.height,
        "d": paths[code],
        "rings": boundary.rings,
        "frame": place,
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "private, max-age=86400"
    return response
