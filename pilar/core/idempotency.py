"""Sending the same POST twice does the work once: ``@idempotent`` on a view honours a client's key.

The field app (pilar/static/pilar/field/outbox.js) gives every submission a key and sends it in the
``Idempotency-Key`` header; plain forms carry it in the hidden field ``idempotency_key`` ({% idempotency_field %}).
When a phone loses the network after the server saved a report but before the answer arrived, the phone sends
it again with the same key and gets the first answer (the same redirect to the same record), not a second record.

How: the view runs in one transaction that first inserts the (user, key) row. A concurrent replay's insert waits
on the unique index until the first request commits, then finds the finished row and answers with it; if the
first one failed (a form error, a refusal, an exception) its row is gone with it, so the replay is simply run,
which answers the same refusal or, if the user fixed the cause meanwhile, does the work. Only answers below 400
are kept, for ``PILAR_IDEMPOTENCY_DAYS`` days, per user: another user's key never answers for yours.
"""

import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
KEY = re.compile(r"[A-Za-z0-9_.:-]{8,100}")
BODY_LIMIT = 64 * 1024  # a longer successful answer is replayed without its body (pages redirect anyway)
REPLAYED = "Idempotent-Replayed"

View = Callable[..., HttpResponseBase]


def request_key(request: HttpRequest) -> str:
    """The key the client sent: the header first, else the form field; empty when none."""
    return (request.headers.get(HEADER) or request.POST.get(FIELD) or "").strip()


def _days() -> int:
    return int(getattr(settings, "PILAR_IDEMPOTENCY_DAYS", 7))


def _claim(user: Any, key: str, path: str) -> IdempotencyKey | None:
    """Insert this request's row (None: it is ours to fill) or return the finished row of an earlier one."""
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                user=user, key=key, path=path, status_code=0, expires_at=timezone.now() + timedelta(days=_days())
            )
            return None
    except IntegrityError:
        pass  # sent before: the insert waited until that request had committed
    earlier = IdempotencyKey.objects.select_for_update().get(user=user, key=key)
    if earlier.expires_at > timezone.now():
        return earlier
    earlier.delete()
    return _claim(user, key, path)


def _keep(user: Any, key: str, response: HttpResponseBase) -> None:
    render = getattr(response, "render", None)
    if callable(render) and not getattr(response, "is_rendered", True):
        render()
    body = response.content if isinstance(response, HttpResponse) else b""
    IdempotencyKey.objects.filter(user=user, key=key).update(
        status_code=response.status_code,
        location=response.get("Location", ""),
        content_type=response.get("Content-Type", ""),
        body=body if len(body) <= BODY_LIMIT else b"",
    )


def _replay(request: HttpRequest, earlier: IdempotencyKey) -> HttpResponse:
    if earlier.path != request.path:
        response = HttpResponse(
            _("Kunci pengiriman ini sudah dipakai untuk isian lain. Muat ulang halaman lalu kirim lagi."),
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    elif earlier.location:
        response = HttpResponseRedirect(earlier.location)
        response.status_code = earlier.status_code
        messages.info(request, _("Isian ini sudah diterima sebelumnya; tidak ada data ganda."))
    else:
        response = HttpResponse(bytes(earlier.body), status=earlier.status_code, content_type=earlier.content_type)
    response[REPLAYED] = "true"
    return response


def idempotent(view: View) -> View:
    """Answer a POST sent again with the same key (same user) with the first answer, doing nothing twice."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "POST" or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = request_key(request)
        if not key:
            return view(request, *args, **kwargs)
        if not KEY.fullmatch(key):
            message = _("Kunci pengiriman (Idempotency-Key) tidak sah: 8–100 huruf, angka, titik, titik dua, - atau _.")
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        with transaction.atomic():
            earlier = _claim(request.user, key, request.path)
            if earlier is not None:
                return _replay(request, earlier)
            response = view(request, *args, **kwargs)
            if response.status_code < 400:
                _keep(request.user, key, response)
            else:  # nothing was done: the same key may be sent again once the cause is fixed
                IdempotencyKey.objects.filter(user=request.user, key=key).delete()
            return response

    return wrapper


def prune_expired() -> int:
    """Forget the keys past their time (a periodic job)."""
    deleted, _counts = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
