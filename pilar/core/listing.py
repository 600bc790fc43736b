"""List pages: one page of a filtered QuerySet, and the answer that refreshes only its results under htmx.

Every searchable list page extends templates/core/list_page.html and keeps its rows in
``{% partialdef results inline %}``; the filter form asks for ``#results`` through htmx, and a history
restore (htmx asking for a whole page it has no copy of) gets the whole page.
"""

from dataclasses import dataclass, fields
from typing import Any, Self

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from pilar.core.htmx import partial_requested
from pilar.core.paging import DeferredJoinPaginator, page_links


@dataclass(frozen=True)
class ListFilter:
    """A list page's filters: each field a string read from the query string (blank when absent), so that a
    filter form can be shown again as it was sent. Subclasses are frozen dataclasses of ``str`` fields.

    A ``kelurahan`` outside the chosen ``kecamatan`` is dropped: the kecamatan select and the kelurahan options
    refresh in two requests, and a kelurahan left over from the previous kecamatan would empty the list
    without saying why.
    """

    @classmethod
    def from_params(cls, params: Any) -> Self:
        values = {f.name: str(params.get(f.name) or "").strip() for f in fields(cls)}
        kecamatan, kelurahan = values.get("kecamatan", ""), values.get("kelurahan", "")
        if kelurahan and kecamatan and not kelurahan.startswith(kecamatan + "."):
            values["kelurahan"] = ""
        return cls(**values)


def paginate(
    request: HttpRequest, rows: QuerySet[Any], per_page: int, *, deferred: bool = True, param: str = "page"
) -> Page:  # type: ignore[type-arg]
    """The page ``?page=`` (or ``param``, for a second list on the page) asks for, the last one when past the end;
    ``deferred`` picks its ids first (core/paging.py), which pays off on big joined tables."""
    paginator = DeferredJoinPaginator(rows, per_page) if deferred else Paginator(rows, per_page)
    return paginator.get_page(request.GET.get(param))


def list_response(request: HttpRequest, template: str, page: Page, context: dict[str, Any]) -> TemplateResponse:  # type: ignore[type-arg]
    """The list page, or only its ``results`` partial when the filter form refreshes it through htmx."""
    context = {"page": page, "page_range": page_links(page), **context}
    return TemplateResponse(request, f"{template}#results" if partial_requested(request) else template, context)
