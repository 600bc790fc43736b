"""``/healthz`` (the process answers) and ``/readyz`` (what it depends on): no login, no personal data."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pilar.ops.health import readiness


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    status, body = readiness()
    for check in body["checks"].values():
        check.pop("advice", None)  # advice is for `pilar doctor`, not for whoever can reach the URL
    return JsonResponse(body, status=status)
