"""What a field form saw of its record, carried back with the submission, so that the server can tell that the
record changed meanwhile (a conflict) instead of silently acting on a version nobody in the field looked at.

The form page puts a signed token in the hidden field ``seen``: the record's version (``updated_at``) and the
labelled facts the page showed. A submission whose token names another version than the record's current one is
answered 409 with both sides (``Conflict``); the device shows them side by side and the user keeps their input
(sent again with the fresh token the 409 page carries) or discards it. Signed so that a page cannot claim to have
seen a version it never got.
"""

from dataclasses import dataclass
from typing import Any

from django.core import signing

SALT = "pilar.field.seen"
FIELD = "seen"


def version_of(record: Any) -> str:
    return record.updated_at.isoformat()


Facts = dict[str, tuple[str, str]]  # key -> (label, value): keys stay when the user switches language


def token(record: Any, facts: Facts) -> str:
    return signing.dumps({"v": version_of(record), "f": {k: v for k, (_label, v) in facts.items()}}, salt=SALT)


@dataclass(frozen=True)
class Row:
    label: str
    mine: str  # what the device had (the page as opened, or what the user typed)
    server: str  # what the server holds now
    differs: bool


@dataclass(frozen=True)
class Conflict:
    rows: list[Row]
    seen: str  # the token for the record as it is now: sending with it means "keep mine"


def conflict(data: Any, record: Any, facts: Facts, typed: tuple[tuple[str, str, str], ...] = ()) -> Conflict | None:
    """None when the submission saw the record's current version (or carries no token: a plain, older form);
    else both sides: the facts as the page showed them beside the facts now, and ``typed`` (label, the user's
    input, the server's value for it)."""
    raw = data.get(FIELD, "")
    if not raw:
        return None
    try:
        earlier = signing.loads(raw, salt=SALT)
    except signing.BadSignature:
        earlier = {"v": "", "f": {}}
    if earlier.get("v") == version_of(record):
        return None
    old = earlier.get("f") or {}
    rows = []
    for key, (label, now) in facts.items():
        then = str(old.get(key, "–"))
        rows.append(Row(str(label), then, now, then != now))
    rows += [Row(label, mine or "–", server or "–", (mine or "–") != (server or "–")) for label, mine, server in typed]
    return Conflict(rows, token(record, facts))
