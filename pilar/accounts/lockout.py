"""What a locked-out account sees: a page on the site, JSON on the API (HTTP 429 both)."""

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    message = _(
        "Akun terkunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(m)s menit."
    ) % {"m": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    context = {"message": message, "failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return TemplateResponse(request, "accounts/locked.html", context, status=429).render()
