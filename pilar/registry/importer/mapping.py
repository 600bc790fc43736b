"""Which sheet column carries which Pilar field: guessed from the titles, chosen in the preview, kept as profiles.

A profile maps each Pilar field to the column titles that may carry it (``{"nik": ["NIK", "NO NIK"]}``) and may
give defaults for fields the sheet lacks (the DTKS layout has no PPKS category: Fakir Miskin). The built-in
``dtks`` profile comes from :mod:`pilar.registry.bnba`, the one definition the export uses too; offices save
their own from the preview (:class:`ImportProfile`).
"""

from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilar.accounts.models import User
from pilar.registry import bnba
from pilar.registry.import_models import ImportProfile
from pilar.registry.importer.columns import LABELS, REQUIRED, HeaderError, header_key, match_header

# Every field a column can be mapped to, with its label: the template's fields, then the BNBA-only ones.
FIELD_LABELS: dict[str, Any] = {
    **LABELS,
    "external_id": gettext_lazy("ID DTKS/DTSEN"),
    "program_pkh": gettext_lazy("Penerima PKH"),
    "program_bpnt": gettext_lazy("Penerima BPNT/Sembako"),
    "program_pbi": gettext_lazy("Penerima PBI-JK"),
}
# Titles of the BNBA-only fields, so that a DTKS sheet is guessed right even without choosing its profile.
_EXTRA = {header_key(t): c.field for c in bnba.COLUMNS if c.field not in LABELS for t in (c.title, *c.aliases)}
PREVIEW_ROWS = 10


@dataclass
class Profile:
    name: str
    mapping: dict[str, list[str]]  # Pilar field -> titles that may carry it
    defaults: dict[str, str] = field(default_factory=dict)
    description: str = ""
    builtin: bool = False


def builtin_profiles() -> dict[str, Profile]:
    return {"dtks": Profile("dtks", bnba.mapping(), dict(bnba.DEFAULTS), str(bnba.DESCRIPTION), builtin=True)}


def profile_named(name: str) -> Profile | None:
    found = builtin_profiles().get(name)
    if found is not None:
        return found
    saved = ImportProfile.objects.filter(name=name).first()
    return None if saved is None else from_saved(saved)


def from_saved(saved: ImportProfile) -> Profile:
    mapping = {key: titles if isinstance(titles, list) else [titles] for key, titles in saved.mapping.items()}
    return Profile(saved.name, mapping, {}, saved.description)


def all_profiles() -> list[Profile]:
    saved = [from_saved(p) for p in ImportProfile.objects.exclude(name__in=list(builtin_profiles()))]
    return [*builtin_profiles().values(), *saved]


def guess_field(title: str) -> str | None:
    return match_header(title) or _EXTRA.get(header_key(title))


def profile_keys(profile: Profile) -> dict[str, str]:
    """The profile's titles as compared -> field."""
    return {header_key(title): key for key, titles in profile.mapping.items() for title in titles if title}


def resolve(titles: list[str], profile: Profile) -> dict[str, int]:
    """Pilar field -> column index for the sheet's ``titles``; raises :class:`HeaderError` naming what is missing."""
    keys = profile_keys(profile)
    found: dict[str, int] = {}
    for index, title in enumerate(titles):
        key = keys.get(header_key(title))
        if key is not None and key not in found:
            found[key] = index
    missing = [str(FIELD_LABELS[k]) for k in REQUIRED if k not in found and k not in profile.defaults]
    if missing:
        raise HeaderError(
            _("Kolom wajib tidak ditemukan menurut profil %(profile)s: %(cols)s. Periksa pemetaan kolom di pratinjau.")
            % {"profile": profile.name, "cols": ", ".join(missing)}
        )
    return found


def guess(titles: list[str], profile: Profile | None = None) -> dict[int, str]:
    """Column index -> Pilar field, as the preview proposes it (a profile's titles first, then the aliases)."""
    keys = profile_keys(profile) if profile else {}
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for index, title in enumerate(titles):
        key = keys.get(header_key(title)) or guess_field(title)
        if key and key not in taken:
            chosen[index] = key
            taken.add(key)
    return chosen


def check_choice(chosen: dict[int, str], titles: list[str], defaults: dict[str, str] | None = None) -> list[str]:
    """Problems of a mapping chosen in the preview (each field once, every required field), in Indonesian."""
    problems = []
    seen: dict[str, int] = {}
    for index, key in sorted(chosen.items()):
        if key in seen:
            first, second = titles[seen[key]] or seen[key] + 1, titles[index] or index + 1
            message = _("%(field)s dipetakan dua kali: kolom %(a)s dan %(b)s.")
            problems.append(message % {"field": FIELD_LABELS[key], "a": first, "b": second})
        seen[key] = index
    missing = [str(FIELD_LABELS[k]) for k in REQUIRED if k not in seen and k not in (defaults or {})]
    if missing:
        problems.append(_("Kolom wajib belum dipetakan: %(cols)s.") % {"cols": ", ".join(missing)})
    return problems


@dataclass
class Preview:
    header_row: int
    titles: list[str]
    rows: list[tuple[int, list[str]]]  # the first rows under the header, as read (sheet row number, cells)
    chosen: dict[int, str]  # column index -> Pilar field

    @property
    def unmapped(self) -> list[str]:
        return [t or f"#{i + 1}" for i, t in enumerate(self.titles) if i not in self.chosen]

    @property
    def columns(self) -> list[tuple[int, str, str]]:
        """(index, the sheet's title, the chosen field or "")."""
        return [(i, t, self.chosen.get(i, "")) for i, t in enumerate(self.titles)]


def preview(path: Path, profile: Profile | None = None) -> Preview:
    """The header as found, the first rows as read and the proposed mapping; nothing is written.
    Raises ``FileError`` or ``HeaderError`` with the message for the user."""
    from pilar.core.sheets import check_file, iter_rows
    from pilar.registry.importer.layout import find_header

    kind = check_file(path)
    header_rows, titles, rows = find_header(iter_rows(path, kind), profile=profile)
    first = list(islice(rows, PREVIEW_ROWS))
    width = len(titles)
    shown = [(number, [str(c) for c in cells[:width]] + [""] * (width - len(cells))) for number, cells in first]
    return Preview(header_rows[-1], titles, shown, guess(titles, profile))


def mapping_of(chosen: dict[int, str], titles: list[str]) -> dict[str, list[str]]:
    """A preview's choice as a profile mapping (field -> [the sheet's title])."""
    return {key: [titles[index]] for index, key in chosen.items() if titles[index]}


def import_profile_save(
    *, name: str, mapping: dict[str, list[str]], actor: User, description: str = ""
) -> ImportProfile:
    """Save (or replace) a named profile; the built-in ones cannot be replaced. Audited."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils.text import slugify

    from pilar import audit

    slug = slugify(name)[:50]
    if not slug:
        raise ValidationError({"profile_name": [_("Nama profil wajib diisi (huruf, angka, tanda hubung).")]})
    if slug in builtin_profiles():
        raise ValidationError({"profile_name": [_("Profil %(name)s bawaan Pilar; pilih nama lain.") % {"name": slug}]})
    with transaction.atomic():
        profile, created = ImportProfile.objects.update_or_create(
            name=slug, defaults={"mapping": mapping, "description": description[:200], "created_by": actor}
        )
        audit.record(actor, "registry.import_profile.saved", profile, data={"created": created, "mapping": mapping})
    return profile
