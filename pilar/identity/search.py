"""Finding persons by name or NIK, served by an index on both databases.

A name search is "the normalised name contains the normalised words" (``normalize_name``): "siti am"
finds "Hj. Siti Aminah". A plain ``LIKE '%…%'`` cannot use a B-tree index, so at a million persons it
reads every row. The index behind it differs per database, the meaning does not:

- PostgreSQL: a ``pg_trgm`` GIN index on ``identity_person.name_normalized`` (migration
  ``identity.0006``); the planner uses it for the very same ``LIKE``.
- SQLite: an FTS5 table with the trigram tokenizer over the same column (``identity_person_search``),
  kept in step by triggers, asked with ``MATCH`` and the name as one quoted phrase: with the trigram
  tokenizer a phrase matches wherever its characters stand in a row, in a row, so the rows are those of the
  plain ``LIKE``. (Its own ``LIKE`` gives the same rows, but reads every match's text again: 90 ms against
  12 ms for the 58,000 "muhammad" of a million persons.)

Fewer than three characters make no trigram: such a search reads the column itself on both databases.
A whole NIK (16 digits, spaces or dots allowed) is an exact match on the unique NIK index.
"""

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.db.models.lookups import In

from pilar.core.paging import Total, total_of
from pilar.identity.models import Person
from pilar.identity.names import normalize_name

_FTS_MATCH = "SELECT rowid FROM identity_person_search WHERE identity_person_search MATCH %s"
TRIGRAM = 3
# A name search counts its matches up to here and then says "more than": a common word ("muhammad", in ~6 % of
# names) matches tens of thousands of persons, and counting them all costs more than the page itself.
SEARCH_COUNT_CAP = 1000


def whole_nik(text: str) -> str | None:
    """The 16 digits if ``text`` is a whole NIK ("3671 0101…", "3671.0101…"), else None."""
    digits = (text or "").replace(" ", "").replace(".", "")
    return digits if digits.isdigit() and len(digits) == 16 else None


def name_q(text: str, path: str = "") -> Q:
    """Persons (at relation ``path``, e.g. ``"person__"``) whose normalised name contains ``text``'s."""
    name = normalize_name(text)
    if connection.vendor == "sqlite" and len(name) >= TRIGRAM:
        # One FTS5 phrase (a quote inside doubled, although normalize_name leaves only letters, digits and spaces).
        phrase = '"' + name.replace('"', '""') + '"'
        matches = RawSQL(_FTS_MATCH, [phrase])  # noqa: S611 - constant query, the name a parameter  # nosec B611
        return Q(**{f"{path}id__in": matches})
    return Q(**{f"{path}name_normalized__contains": name})


def person_q(text: str, path: str = "") -> Q:
    """A whole NIK matches that NIK only; anything else is a name search (see :func:`name_q`)."""
    nik = whole_nik(text)
    return Q(**{f"{path}nik": nik}) if nik else name_q(text, path)


def _fts_phrase(text: str) -> str | None:
    """The FTS5 phrase of a name search on SQLite (None: the search does not go through the FTS table)."""
    name = normalize_name(text)
    if connection.vendor != "sqlite" or whole_nik(text) or len(name) < TRIGRAM:
        return None
    return '"' + name.replace('"', '""') + '"'


def joined_person_q(text: str, path: str = "") -> Q:
    """:func:`person_q` for a query that only ANDs it (the registry list, the person search): on SQLite the FTS
    table is joined (``identity.PersonSearch``) instead of asked for the list of every match, so that a count that
    stops at ``SEARCH_COUNT_CAP`` or a page stops reading the matches once it has enough: the count of "muhammad"
    at a million persons reads 1,001 matches instead of 58,000. Never inside an OR: MATCH must be a condition of
    the join itself there, which SQLite refuses."""
    phrase = _fts_phrase(text)
    if phrase is None:
        return person_q(text, path)
    return Q(**{f"{path}search_entry__name_normalized__match": phrase})


def walked_person_q(text: str, path: str) -> Q:
    """:func:`person_q` for a newest-first page of rows that point at persons (``path``: ``"person__"``) when the
    search matches many of them (past ``SEARCH_COUNT_CAP``). On SQLite the rows are then read newest first and each
    checked against the list of matches, which stops after a page (a few hundred rows for a common word), instead
    of looking up the rows of all 58,000 matching persons and sorting them (0.3 s at a million records): the unary
    ``+`` keeps SQLite off the person index."""
    phrase = _fts_phrase(text)
    if phrase is None:
        return person_q(text, path)
    matches = RawSQL(_FTS_MATCH, [phrase])  # noqa: S611 - constant query, the phrase a parameter  # nosec B611
    return Q(In(Func(F(f"{path}id"), template="+%(expressions)s", output_field=IntegerField()), matches))


def sorted_after_finding(text: str) -> bool:
    """Whether a list of rows pointing at the persons a search of ``text`` finds (few: the count stayed under its
    cap) should be sorted after they are found, not read in id order until enough match: on PostgreSQL, for a
    name. Its planner misjudges how many persons a long name matches and walks the rows' primary key backwards
    through every row when the real matches are few. SQLite joins its FTS table instead (``joined_person_q``)."""
    return connection.vendor == "postgresql" and whole_nik(text) is None and len(normalize_name(text)) >= TRIGRAM


def persons_matching(qs: QuerySet[Person], text: str) -> QuerySet[Person]:
    """``qs`` narrowed by :func:`person_q`, in name order."""
    qs = qs.filter(joined_person_q(text)).order_by("name_normalized", "id")
    if whole_nik(text) is None and len(normalize_name(text)) >= TRIGRAM:
        # For a word it deems common ("muhammad") PostgreSQL walks the name index in order and filters as it
        # goes, which reads most of the index when the matches sort late (97 ms against 40 ms at 100,000
        # persons). Ordering by an expression equal to the normalised (lower-case) name makes it take the
        # trigram index and sort only the matches.
        qs = qs.order_by(Lower("name_normalized"), "id")
    return qs


def persons_found(qs: QuerySet[Person], text: str) -> tuple[QuerySet[Person], Total]:
    """``persons_matching`` with its size counted up to ``SEARCH_COUNT_CAP``. Past the cap the matches come
    newest first instead of in name order: to find the first names in order among 58,000 matches of a common
    word the database reads every one of them (0.4–0.5 s at a million persons), while the newest matches are
    the first few it meets walking back the id index. Whoever sees "more than 1,000" adds a word, and gets
    name order back."""
    found = persons_matching(qs, text)
    total = total_of(found, cap=SEARCH_COUNT_CAP)
    if total.exact:
        return found, total
    if _fts_phrase(text) is not None:
        # The FTS table's own rowid (the person's id): SQLite then reads the matches newest first from the index
        # and stops after the page; by ``identity_person.id`` it sorts all 58,000 first.
        return found.order_by(RawSQL('"identity_person_search"."rowid"', []).desc()), total  # noqa: S611  # nosec B611
    return found.order_by("-id"), total
