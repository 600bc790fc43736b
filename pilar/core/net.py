"""The client's network address, as Pilar believes it (reverse proxies included).

Every per-address rule reads it from here: the sign-in lockout and throttle (django-axes), the public
complaint limit, the registration-attempt limit, token-use and personal-data-access logs, the audit trail.

``X-Forwarded-For`` is written by whoever sent the request, so it is believed only as far as our own proxies
wrote it: the connection must come from an address in ``PILAR_TRUSTED_PROXIES``, and the header is read from
the right, skipping the addresses of our proxies; the first address that is not one of them is the client
(the right-most untrusted hop). Whatever a client put further left is never read.
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_proxies(value: str | Iterable[str]) -> tuple[Network, ...]:
    """``PILAR_TRUSTED_PROXIES``: proxy addresses or networks, comma-separated (``127.0.0.1,::1``, ``10.0.0.0/24``).

    A bare number (the proxy count of earlier versions) is refused: counting hops believes a forged header
    whenever the app server is reached by any other path than the proxy.
    """
    items = [item.strip() for item in value.split(",")] if isinstance(value, str) else [str(v).strip() for v in value]
    networks = []
    for item in filter(None, items):
        if item.isdigit():
            if item == "0":
                continue
            raise ImproperlyConfigured(
                f"PILAR_TRUSTED_PROXIES={item}: tuliskan alamat proxy, bukan jumlahnya, "
                "mis. PILAR_TRUSTED_PROXIES=127.0.0.1,::1 untuk nginx di mesin yang sama (docs/production.md)."
            )
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"PILAR_TRUSTED_PROXIES: {item!r} bukan alamat IP atau jaringan (mis. 10.0.0.5 atau 10.0.0.0/24)."
            ) from exc
    return tuple(networks)


@lru_cache(maxsize=16)
def _trusted(setting: str | tuple[str, ...]) -> tuple[Network, ...]:
    return parse_proxies(setting)


def _address(text: str) -> Address | None:
    """An address as proxies write it: bare, ``[v6]:port`` or ``v4:port``; None for anything else."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(request: HttpRequest) -> str:
    """The client's address (see the module's docstring); "unknown" when the connection has none."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    setting = getattr(settings, "PILAR_TRUSTED_PROXIES", "")
    trusted = _trusted(setting if isinstance(setting, str) else tuple(setting))
    current = _address(remote)
    if current is None:
        return remote or "unknown"
    if not trusted or not _is_trusted(current, trusted):
        return str(current)
    hops = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Our own proxy passed on something that is no address: the last proxy we trust is all we know.
            return str(current)
        current = address
        if not _is_trusted(address, trusted):
            return str(address)
    return str(current)


def client_ip(request: HttpRequest | None) -> str | None:
    """``client_address`` for a GenericIPAddressField: None when unknown."""
    if request is None:
        return None
    address = client_address(request)
    return None if address == "unknown" or _address(address) is None else address
