"""List pages: one page of a filtered QuerySet, and the answer that refreshes only its results under htmx.

Every searchable list page extends templates/core/list_page.html and keeps its rows in
``{% partialdef results inline %}``; the filter form asks for ``#results`` through htmx, and a history
restore (htmx asking for a whole page it has no copy of) gets the whole page.
"""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from pilar.core.paging import DeferredJoinPaginator, page_links


def paginate(request: HttpRequest, rows: QuerySet[Any], per_page: int, *, deferred: bool = True) -> Page:  # type: ignore[type-arg]
    """The page ``?page=`` asks for (the last one when past the end); ``deferred`` picks its ids first
    (core/paging.py), which pays off on big joined tables."""
    paginator = DeferredJoinPaginator(rows, per_page) if deferred else Paginator(rows, per_page)
    return paginator.get_page(request.GET.get("page"))


def list_response(request: HttpRequest, template: str, page: Page, context: dict[str, Any]) -> TemplateResponse:  # type: ignore[type-arg]
    """The list page, or only its ``results`` partial when the filter form refreshes it through htmx."""
    htmx: Any = getattr(request, "htmx", None)  # django-htmx's middleware sets it on every request
    partial = bool(htmx) and not htmx.history_restore_request
    context = {"page": page, "page_range": page_links(page), **context}
    return TemplateResponse(request, f"{template}#results" if partial else template, context)
