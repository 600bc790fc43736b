"""Response headers every answer carries (docs/security.md), beside django-csp's Content-Security-Policy.

- ``Permissions-Policy``: the browser features Pilar uses (camera and location for field reports, on its own
  pages only) and none of the others.
- ``Clear-Site-Data`` on signing out: the field app's device store (IndexedDB), kept pages (Cache API) and
  service worker go with the session, so the next person on a shared phone finds nothing of the last one.
- ``Cache-Control: no-store`` on pages and API answers: they carry personal data, which must not stay in a
  shared computer's cache or a proxy. Static files (WhiteNoise, earlier in the chain) keep their long caching.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

PERMISSIONS_POLICY = (
    "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), "
    "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), fullscreen=(self), "
    "interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.method == "POST" and request.path == reverse("logout"):
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        elif "no-store" not in response.headers["Cache-Control"] and not request.path.startswith("/static/"):
            # A view's own "private, max-age" still must not keep personal data: no-store wins.
            response.headers["Cache-Control"] = "no-store, " + response.headers["Cache-Control"]
        return response
