"""What other apps do with an import's rows, registered from their ``AppConfig.ready()``.

The registry sits below the programs app and imports none of it; the programs app registers here what the
national-program flags of a BNBA sheet (PKH, BPNT, PBI) become. The importer calls the handlers inside its
transaction, so a rolled-back import leaves nothing of theirs either.
"""

from collections.abc import Callable
from typing import Any

# handler(flagged rows, *, actor_id, job) -> how many enrollments it added
FlagHandler = Callable[..., int]
_flag_handlers: list[FlagHandler] = []


def on_program_flags(handler: FlagHandler) -> FlagHandler:
    if handler not in _flag_handlers:
        _flag_handlers.append(handler)
    return handler


def program_flags(flagged: list[tuple[Any, ...]], *, actor_id: int | None, job: Any) -> int:
    return sum(handler(flagged, actor_id=actor_id, job=job) for handler in _flag_handlers)


# provider(person ids, household ids) -> {("person", id) or ("household", id): {program code, ...}}
FlagSource = Callable[[list[int], list[int]], dict[tuple[str, int], set[str]]]
_flag_sources: list[FlagSource] = []


def on_flags_wanted(source: FlagSource) -> FlagSource:
    """Register where the BNBA export reads each person's and household's national-program flags from."""
    if source not in _flag_sources:
        _flag_sources.append(source)
    return source


def flags_of(person_ids: list[int], household_ids: list[int]) -> dict[tuple[str, int], set[str]]:
    found: dict[tuple[str, int], set[str]] = {}
    for source in _flag_sources:
        for key, codes in source(person_ids, household_ids).items():
            found.setdefault(key, set()).update(codes)
    return found
