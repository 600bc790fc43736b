from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from pilar import audit
from pilar.audit.models import PersonalDataAccess
from pilar.core.paging import CURSOR_PATTERN, Total, keyset_window, page_window

MAX_LIMIT = 500
MAX_OFFSET = 2**63 - 1  # the databases' OFFSET is a signed 64-bit integer: past it they fail, not the request


class Page(LimitOffsetPagination):
    """``{"count": N, "results": [...]}`` with ``limit`` (1–500) and ``offset`` (0–2^63−1); outside: 400."""

    items_attribute = "results"

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Banyaknya butir, 1–500.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Lewati sekian butir pertama.")

    class Output(Schema):
        count: int
        results: list[Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class CountedPage(Page):
    """``Page`` whose ``count`` may stop at a cap or come from an estimate (``count_exact`` false), for lists
    that may hold a million rows: ``count`` is then "more than" the cap (a search) or about the figure of the
    summary tables (the registry without a search). The queryset is a ``LoggedPage`` that knows its ``total``."""

    class Output(Schema):
        count: int
        count_exact: bool
        results: list[Any]

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        limit, offset = min(pagination.limit, MAX_LIMIT), pagination.offset
        total = queryset.total()
        return {"results": queryset[offset : offset + limit], "count": total.n, "count_exact": total.exact}


class CursorPage(CountedPage):
    """``CountedPage`` of a newest-first list, with ``cursor``: the page after (or before) a row, which the
    database reaches through the id index whatever its depth, where ``offset`` walks every row before it.
    ``next`` and ``previous`` are the addresses of the neighbouring pages by cursor (null at either end)."""

    class Input(Page.Input):
        cursor: str = Field(
            "",
            pattern=f"^({CURSOR_PATTERN})?$",
            description="Kursor dari `next`/`previous` jawaban sebelumnya; bila diisi, `offset` diabaikan.",
        )

    class Output(Schema):
        count: int
        count_exact: bool
        next: str | None
        previous: str | None
        results: list[Any]

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        limit, offset = min(pagination.limit, MAX_LIMIT), pagination.offset
        total = queryset.total()
        if pagination.cursor:
            items, after, before = queryset.window(pagination.cursor, limit)
        else:
            items = queryset[offset : offset + limit]
            more = len(items) == limit and (not total.exact or offset + limit < total.n)
            after = f"a{items[-1]['id']}" if items and more else None
            before = f"b{items[0]['id']}" if items and offset else None
        return {
            "results": items,
            "count": total.n,
            "count_exact": total.exact,
            "next": _at(request, after),
            "previous": _at(request, before),
        }


def _at(request: Any, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params.pop("offset", None)
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


class LoggedPage:
    """A queryset wrapper that renders one page for the user and logs it as shown (UU PDP).

    ``prepare``, if given, sees the page's rows before they are rendered (to withhold what the user may not see,
    in one query for the page rather than one a row)."""

    def __init__(
        self,
        request,
        qs: QuerySet,
        render: Callable[[Any, Any], dict[str, Any]],
        *,
        unmasked: bool,
        prepare: Callable[[list[Any]], Any] | None = None,
        total: Total | Callable[[], Total] | None = None,
    ):
        self.request, self.qs, self.render, self.unmasked, self.prepare = request, qs, render, unmasked, prepare
        self._total = total

    def count(self) -> int:
        return self.qs.count()

    def total(self) -> Total:
        """The list's size as ``CountedPage`` reports it (``total``, if given: a capped count or an estimate, or
        how to get one)."""
        if self._total is None:
            return Total(self.count())
        return self._total if isinstance(self._total, Total) else self._total()

    def __len__(self) -> int:
        return self.count()

    def window(self, cursor: str, size: int) -> tuple[list[dict[str, Any]], str | None, str | None]:
        """The page at ``cursor`` (``core.paging.keyset_window``), rendered and logged, with its neighbours."""
        found = keyset_window(self.qs, cursor, size)
        return self._shown(found.rows), found.next, found.previous

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return self._shown(page_window(self.qs, window))

    def _shown(self, rows: list[Any]) -> list[dict[str, Any]]:
        if self.prepare is not None:
            self.prepare(rows)
        items = [self.render(self.request, obj) for obj in rows]
        channel = PersonalDataAccess.Channel.API
        audit.log_personal_access(
            self.request, channel=channel, model=self.qs.model, count=len(items), unmasked=self.unmasked
        )
        return items


def log_one(request, obj: Model, *, unmasked: bool) -> None:
    """One record's personal data shown by the API, logged as ``LoggedPage`` logs a page (UU PDP)."""
    audit.log_personal_access(request, channel=PersonalDataAccess.Channel.API, obj=obj, unmasked=unmasked)
