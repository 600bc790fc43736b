"""Pages of big tables: pick the page's ids first, then load only those rows with their relations.

With OFFSET, a database joins every skipped row before throwing it away; on a million-row registry a
deep page then costs thousands of joins. Choosing the ids walks one index; the joins are done for the
page alone ("deferred join").
"""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_window(qs: QuerySet[Any], window: slice) -> list[Any]:
    ids = list(qs.values_list("pk", flat=True)[window])
    if not ids:
        return []
    rows = {obj.pk: obj for obj in qs.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


class DeferredJoinPaginator(Paginator):  # type: ignore[type-arg]  # pages of any model
    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = page_window(self.object_list, slice(bottom, top))  # type: ignore[arg-type]  # always a QuerySet here
        return Page(rows, number, self)


def page_links(page: Any) -> Any:
    """The page numbers the shared pagination template shows: first, last and one either side, with gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
