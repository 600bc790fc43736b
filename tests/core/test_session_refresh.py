"""A session in use is written at most once a minute (pilar.core.middleware.SessionRefreshMiddleware) instead of on
every request, and still expires after SESSION_COOKIE_AGE idle seconds."""

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilar.core import middleware


def session_writes(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(1 for q in ctx.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT"))


def test_pages_within_a_minute_of_the_last_write_leave_the_session_alone(client, operator):
    client.force_login(operator)  # written at sign-in
    url = reverse("notifications:list")
    assert [session_writes(client, url) for _ in range(3)] == [0, 0, 0]


def test_a_session_without_the_stamp_is_written_once_and_stamped(psm_a):
    from django.test import Client

    client = Client()
    client.force_login(psm_a)  # Django's own: no stamp yet, as a session signed in before this change
    url = reverse("notifications:list")
    assert session_writes(client, url) == 1
    assert session_writes(client, url) == 0


def test_a_session_used_again_after_the_interval_is_kept_alive(client, operator, monkeypatch, settings):
    client.force_login(operator)
    url = reverse("notifications:list")
    session_writes(client, url)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    before = Session.objects.get(session_key=key).expire_date
    later = middleware.time.time() + settings.PILAR_SESSION_REFRESH_SECONDS + 1
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    assert session_writes(client, url) == 1
    assert Session.objects.get(session_key=key).expire_date > before


def test_an_anonymous_visitor_gets_no_session_row(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()
