from typing import Any

from ninja import Schema
from ninja.pagination import LimitOffsetPagination


class Page(LimitOffsetPagination):
    """``{"count": N, "results": [...]}`` with ``limit`` (at most 500) and ``offset``."""

    items_attribute = "results"

    class Output(Schema):
        count: int
        results: list[Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=500, **kwargs)
