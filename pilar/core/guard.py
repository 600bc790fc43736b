"""Bad requests end as clean 400/413 answers with a message, never as a 500 from deep inside.

``RequestGuardMiddleware`` runs before anything reads the request body. It refuses:

- control characters (NUL and the other C0 codes, DEL) in the path or any query parameter, and in form fields
  (tab, line feed and carriage return are allowed there: text areas send them). PostgreSQL cannot store a NUL
  and would answer a filter or a login containing one with an error;
- a body larger than the biggest upload the address accepts, from its ``Content-Length``, before reading it;
- a file part that grows past its limit while it streams (``uploads.LimitedUploadHandler``), for clients that
  send no length;
- a multipart body that cannot be parsed (no boundary, broken parts).

JSON bodies of the API are checked by ``pilar.api.parser``.
"""

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from pilar.core import uploads

CONTROL_IN_PARAMS = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # text areas may hold tab, LF and CR


def control_character_field(params: Any, pattern: re.Pattern[str] = CONTROL_IN_PARAMS) -> str | None:
    """The first parameter whose name or value holds a control character, or None."""
    for key in params:
        name = str(key)
        if pattern.search(name):
            return name
        for value in params.getlist(key) if hasattr(params, "getlist") else [params[key]]:
            if isinstance(value, str) and pattern.search(value):
                return name
    return None


def refusal(request: HttpRequest, message: str, *, status: int = 400, field: str | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        body: dict[str, Any] = {"detail": message}
        if field:
            body["errors"] = {field: [message]}
        return JsonResponse(body, status=status)
    return render(request, "400.html", {"message": message}, status=status)


def control_message(field: str | None) -> str:
    if field:
        return _("Isian “%(field)s” berisi karakter kontrol yang tidak diizinkan.") % {"field": field[:40]}
    return _("Alamat berisi karakter kontrol yang tidak diizinkan.")


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL_IN_PARAMS.search(request.path):
            return refusal(request, control_message(None))
        field = control_character_field(request.GET)
        if field is not None:
            return refusal(request, control_message(field), field=field)
        too_big = uploads.body_too_big(request)
        if too_big:
            return refusal(request, too_big, status=413)
        if request.method == "POST" and request.content_type in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            try:
                field = control_character_field(request.POST, CONTROL_IN_TEXT)
            except uploads.UploadTooLarge as exc:
                return refusal(request, exc.message, status=413)
            except MultiPartParserError:
                # A multipart body without a boundary or with broken parts: Django would answer with its own
                # HTML page, also on the API, whose answers are JSON with a message.
                return refusal(request, _("Badan permintaan tidak dapat dibaca (formulir multipart rusak)."))
            if field is not None:
                return refusal(request, control_message(field), field=field)
        return self.get_response(request)
