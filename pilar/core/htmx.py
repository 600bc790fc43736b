"""django-htmx's details of a request, typed: its middleware (``settings.MIDDLEWARE``) sets ``request.htmx`` on every
request Pilar serves, which ``HttpRequest`` does not declare."""

from typing import cast

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as the middleware leaves it (a type for the type checker: Django's own request object is it)."""

    htmx: HtmxDetails


def htmx_of(request: HttpRequest) -> HtmxDetails:
    """``request.htmx``: true when htmx sent the request."""
    return cast(HtmxHttpRequest, request).htmx


def partial_requested(request: HttpRequest, target: str | None = None) -> bool:
    """Does htmx ask for a part of the page (the element ``target``, when named)? Never on a history restore:
    htmx then asks for a whole page it has no copy of."""
    htmx = htmx_of(request)
    return bool(htmx) and (target is None or htmx.target == target) and not htmx.history_restore_request
