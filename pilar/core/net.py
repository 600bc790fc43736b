"""The client's network address, as Pilar believes it (reverse proxies included)."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind ``PILAR_TRUSTED_PROXIES`` reverse proxies, the address the nearest
    trusted proxy saw in X-Forwarded-For; otherwise the connection's own address (a header set by the client
    itself could be anything, so it is not believed unless a proxy we run wrote it)."""
    hops = int(getattr(settings, "PILAR_TRUSTED_PROXIES", 0))
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_ip(request: HttpRequest | None) -> str | None:
    """``client_address`` for a GenericIPAddressField: None when unknown."""
    if request is None:
        return None
    address = client_address(request)
    return None if address == "unknown" else address
