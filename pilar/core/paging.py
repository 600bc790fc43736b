"""Pages of big tables: pick the page's ids first, then load only those rows with their relations.

With OFFSET, a database joins every skipped row before throwing it away; on a million-row registry a
deep page then costs thousands of joins. Choosing the ids walks one index; the joins are done for the
page alone ("deferred join").
"""

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.translation import gettext

from pilar.core.formatting import thousands


def rows_by_ids(qs: QuerySet[Any], ids: list[Any]) -> list[Any]:
    """The rows ``ids`` of ``qs`` in that order, loaded with ``qs``'s relations and columns but not its filters.

    The ids were chosen by ``qs`` itself (scope, restriction, filters, search): asking them again only makes
    the database redo that work for 25 rows it already picked. On SQLite a name search re-read its 58,000 FTS
    matches of a common word to load one page; the primary key alone finds the rows. A queryset whose rows are
    not plain model instances (annotations, ``values()``, ``distinct``, set operations) keeps its filters."""
    if not ids:
        return []
    query = qs.query
    plain = qs._iterable_class is ModelIterable and not (
        query.annotations or query.extra or query.combinator or query.distinct or query.select_for_update
    )
    if plain:
        fresh = qs.model._base_manager.db_manager(qs.db).filter(pk__in=ids)
        fresh.query.select_related = query.select_related
        fresh.query.deferred_loading = query.deferred_loading
        fresh._prefetch_related_lookups = qs._prefetch_related_lookups  # type: ignore[attr-defined]  # Django's own
    else:
        fresh = qs.filter(pk__in=ids)
    loaded = {obj.pk: obj for obj in fresh.order_by()}
    return [loaded[pk] for pk in ids if pk in loaded]


def page_window(qs: QuerySet[Any], window: slice) -> list[Any]:
    return rows_by_ids(qs, list(qs.values_list("pk", flat=True)[window]))


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


# --- big lists: a count that stops, and pages after the last id instead of an offset ------------------

# Rows a list counts, and rows a page number may skip, at most. Past it a count says "more than" or takes an
# estimate, and the following pages are reached by cursor: counting or skipping a million rows costs the
# database a walk over all of them, on every page.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Total:
    """How many rows a list has, as far as it is known: exactly, about (an estimate from summary tables), or
    more than ``n`` (the count stopped at the cap)."""

    n: int
    kind: Literal["exact", "about", "over"] = "exact"

    @property
    def exact(self) -> bool:
        return self.kind == "exact"

    def __str__(self) -> str:
        if self.kind == "about":
            return f"± {thousands(self.n)}"
        if self.kind == "over":
            return gettext("lebih dari %(n)s") % {"n": thousands(self.n)}
        return thousands(self.n)


def total_of(qs: QuerySet[Any], estimate: int | None = None, cap: int | None = None) -> Total:
    """The rows of ``qs``, counted up to ``cap`` (``COUNT_CAP``); above it ``estimate`` (when the caller has
    one) or "more than".

    An estimate above the cap is taken without counting at all: it comes from maintained summary tables, which
    may lag the rows by a few changes, hence "about"."""
    cap = COUNT_CAP if cap is None else cap
    if estimate is not None and estimate > cap:
        return Total(estimate, "about")
    counted = qs.order_by().values("pk")[: cap + 1].count()
    if counted <= cap:
        return Total(counted)
    return Total(cap, "over")


CURSOR_PATTERN = "[ab][0-9]{1,18}"  # "a<id>": the rows after that id (older); "b<id>": the rows before it (newer)
CURSOR = re.compile(CURSOR_PATTERN)
LAST = "b0"  # the rows before id 0 from the end: the oldest page


@dataclass
class Window:
    """One page of a newest-first list (``-pk``) reached by cursor, with the cursors of its neighbours."""

    rows: list[Any]
    next: str | None  # cursor of the older rows that follow, None at the end
    previous: str | None  # cursor of the newer rows before, None at the start


def keyset_window(qs: QuerySet[Any], cursor: str, size: int) -> Window:
    """The ``size`` rows of ``qs`` after (``a<id>``) or before (``b<id>``) a row, newest first: the database
    starts at the id in the index instead of walking every row before it, so the last page costs as the first.
    ``qs`` keeps its filters and scope; its order must be newest first."""
    direction, key = cursor[0], int(cursor[1:])
    if direction == "a":
        ids = list(qs.filter(pk__lt=key).order_by("-pk").values_list("pk", flat=True)[: size + 1])
        more_after, ids = len(ids) > size, ids[:size]
        more_before = qs.filter(pk__gte=key).exists()
    else:
        ids = list(qs.filter(pk__gt=key).order_by("pk").values_list("pk", flat=True)[: size + 1])
        more_before, ids = len(ids) > size, ids[:size][::-1]
        more_after = key > 0 and qs.filter(pk__lte=key).exists()
    rows = rows_by_ids(qs, ids)
    return Window(
        rows,
        next=f"a{ids[-1]}" if ids and more_after else None,
        previous=f"b{ids[0]}" if ids and more_before else None,
    )


@dataclass
class BigPage:
    """A page of a list that may hold a million rows, for ``_big_pagination.html``.

    Numbered pages cover the first ``COUNT_CAP`` rows; past them, and for "Terakhir", pages are reached by
    cursor. ``too_far``: the page number asked for lies past the numbered ones (no rows shown, a message)."""

    rows: list[Any]
    total: Total
    number: int | None = None  # None: a page reached by cursor
    start: int = 0
    page_range: list[Any] = field(default_factory=list)
    previous_page: int | None = None
    next_page: int | None = None
    previous_cursor: str | None = None
    next_cursor: str | None = None
    last_cursor: str | None = None
    too_far: int | None = None
    ELLIPSIS = Paginator.ELLIPSIS

    @property
    def end(self) -> int:
        return self.start + len(self.rows) - 1 if self.rows else 0

    @property
    def has_other_pages(self) -> bool:
        return bool(self.page_range and len(self.page_range) > 1) or bool(
            self.previous_cursor or self.next_cursor or self.last_cursor or self.number is None
        )


def big_page(qs: QuerySet[Any], params: Any, per_page: int, total: Total) -> BigPage:
    """The page ``params`` ask for (``?page=`` a number, or ``?cursor=``) of a newest-first ``qs``."""
    cursor = str(params.get("cursor") or "")
    if CURSOR.fullmatch(cursor):
        window = keyset_window(qs, cursor, per_page)
        return BigPage(
            window.rows,
            total,
            previous_cursor=window.previous,
            next_cursor=window.next,
            last_cursor=LAST if window.next else None,
        )
    numbered = min(total.n, COUNT_CAP)
    paginator = DeferredJoinPaginator(qs, per_page)
    paginator.count = numbered  # type: ignore[misc]  # known already: the paginator must not count again
    asked = str(params.get("page") or "1")
    if asked.isdigit() and int(asked) > paginator.num_pages and not total.exact:
        return BigPage([], total, too_far=int(asked), last_cursor=LAST, page_range=[])
    page = paginator.get_page(asked)
    rows = list(page.object_list)
    beyond = not total.exact and page.number == paginator.num_pages and bool(rows)
    return BigPage(
        rows,
        total,
        number=page.number,
        start=page.start_index(),
        page_range=list(page_links(page)),
        previous_page=page.previous_page_number() if page.has_previous() else None,
        next_page=page.next_page_number() if page.has_next() else None,
        next_cursor=f"a{rows[-1].pk}" if beyond else None,
        last_cursor=LAST if not total.exact else None,
    )
