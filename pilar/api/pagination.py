from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from pilar import audit
from pilar.audit.models import PersonalDataAccess
from pilar.core.paging import page_window

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
    ):
        self.request, self.qs, self.render, self.unmasked, self.prepare = request, qs, render, unmasked, prepare

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        rows = page_window(self.qs, window)
        if self.prepare is not None:
            self.prepare(rows)
        items = [self.render(self.request, obj) for obj in rows]
        channel = PersonalDataAccess.Channel.API
        audit.log_personal_access(
            self.request, channel=channel, model=self.qs.model, count=len(items), unmasked=self.unmasked
        )
        return items
