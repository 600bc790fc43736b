"""Protection of the public complaint channel without third-party services.

- A rate limit per client address, counted in the database (``SubmissionHit``) so that it holds across
  every app process; the default cache is per process and would let each worker count on its own.
- A signed form-render timestamp: a form posted seconds after it was served was filled in by a script,
  one posted hours later is stale (and may be a replayed copy).
- A honeypot input that people never see and simple bots fill in (checked by the form).
"""

import hashlib
import hmac
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.complaints.models import SubmissionHit
from pilar.core.errors import DomainError
from pilar.core.net import client_address  # noqa: F401  (re-exported: the complaint limit counts it)

# (window, how many) per bucket; settings.PILAR_COMPLAINT_LIMITS overrides these.
DEFAULT_LIMITS: dict[str, tuple[tuple[timedelta, int], ...]] = {
    "submit": ((timedelta(hours=1), 5), (timedelta(days=1), 20)),
    "status": ((timedelta(hours=1), 60),),
}
MIN_FILL_SECONDS = 4
MAX_FORM_AGE_SECONDS = 2 * 3600
_SALT = "pilar.complaints.form-rendered"


class RateLimited(DomainError):
    def __init__(self, message: str):
        super().__init__(message, code="rate_limited")


class SpamRefused(DomainError):
    """``reason``: "invalid", "too_fast" or "expired"."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message, code="spam")
        self.reason = reason


def client_key(request) -> str:
    """A keyed hash of the client address: enough to count requests, useless for finding the person."""
    return hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256).hexdigest()


def limits(bucket: str) -> tuple[tuple[timedelta, int], ...]:
    return getattr(settings, "PILAR_COMPLAINT_LIMITS", {}).get(bucket, DEFAULT_LIMITS[bucket])


@transaction.atomic
def check_rate(bucket: str, client: str) -> None:
    """Raise ``RateLimited`` when ``client`` used up a window of ``bucket``; otherwise count this request.

    Call it inside the transaction of the request's change, so that a refused or failed request is not
    counted. One client's requests are counted one at a time: SQLite's write transactions already run one
    by one (``transaction_mode`` IMMEDIATE), and on PostgreSQL a lock on the client's key, held until the
    transaction ends, keeps two simultaneous requests from both taking the last free slot.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"pilar.complaints:{bucket}:{client}"])
    now = timezone.now()
    rules = limits(bucket)
    longest = max(window for window, _count in rules)
    # Old hits are never needed again; dropping them here keeps the table as small as one day's traffic.
    SubmissionHit.objects.filter(bucket=bucket, at__lt=now - longest).delete()
    for window, allowed in rules:
        used = SubmissionHit.objects.filter(bucket=bucket, client=client, at__gte=now - window).count()
        if used >= allowed:
            raise RateLimited(_too_many(bucket, window))
    SubmissionHit.objects.create(bucket=bucket, client=client, at=now)


def _too_many(bucket: str, window: timedelta) -> str:
    if bucket == "status":
        return _("Terlalu banyak pencarian dari alamat Anda. Silakan coba lagi nanti.")
    if window <= timedelta(hours=1):
        return _("Terlalu banyak pengaduan dari alamat Anda dalam satu jam. Silakan coba lagi nanti.")
    return _("Batas pengaduan harian dari alamat Anda sudah tercapai. Silakan coba lagi besok.")


def form_token(issued_at: float | None = None) -> str:
    """The signed moment the form was served; ``issued_at`` lets tests pretend it was served earlier."""
    moment = int(time.time() if issued_at is None else issued_at)
    return signing.Signer(salt=_SALT).sign(str(moment))


def min_fill_seconds() -> int:
    return int(getattr(settings, "PILAR_COMPLAINT_MIN_FILL_SECONDS", MIN_FILL_SECONDS))


def check_form_token(token: str) -> None:
    """Refuse a form that carries no valid token, came back too fast, or is too old."""
    try:
        issued = int(signing.Signer(salt=_SALT).unsign(token or ""))
    except (signing.BadSignature, ValueError) as exc:
        raise SpamRefused(_("Formulir tidak sah. Muat ulang halaman lalu isi kembali."), reason="invalid") from exc
    age = time.time() - issued
    if age < min_fill_seconds():
        raise SpamRefused(
            _("Formulir dikirim terlalu cepat. Periksa isian Anda, lalu kirim kembali."), reason="too_fast"
        )
    if age > MAX_FORM_AGE_SECONDS:
        raise SpamRefused(_("Formulir sudah kedaluwarsa. Muat ulang halaman lalu kirim kembali."), reason="expired")
