import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers and phones are set to English; the office works in Indonesian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # A thread serves many users: one user's choice must not outlive the request.
            if previous:
                translation.activate(previous)
            else:
                translation.deactivate()
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SessionRefreshMiddleware:
    """Keeps a session alive while it is used, writing it at most once every ``PILAR_SESSION_REFRESH_SECONDS``.

    Sessions end after ``SESSION_COOKIE_AGE`` idle seconds. Django's ``SESSION_SAVE_EVERY_REQUEST`` gets that by
    writing the session row on every request: three round trips to the database and a commit per page, and
    a row lock that a user's parallel requests queue on. Here the session is marked changed only when its last
    write is older than the interval (or something else changed it), so an idle session still expires after
    ``SESSION_COOKIE_AGE`` give or take the interval. Listed after ``SessionMiddleware``, so that its answer
    passes here first. A session that holds nothing (an anonymous visitor) is never written.
    """

    KEY = "_pilar_written_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.interval = int(getattr(settings, "PILAR_SESSION_REFRESH_SECONDS", 60))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed:  # a request that never looked at its session (API, static)
            return response
        written = session.get(self.KEY, 0)
        if session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - written >= self.interval:
            session[self.KEY] = now
        return response
