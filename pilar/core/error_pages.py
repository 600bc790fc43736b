"""Django's error answers, in JSON under ``/api/``: an API client reads ``{"detail": ...}`` on every answer,
also for an address that matches no endpoint (``/api/v1/cases/abc``) or a failure outside an endpoint."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Tidak ditemukan.")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Permintaan tidak valid.")}, status=400)
    return defaults.bad_request(request, exception)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Anda tidak memiliki izin untuk tindakan ini.")}, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Terjadi kesalahan pada server. Coba lagi nanti.")}, status=500)
    return defaults.server_error(request)
