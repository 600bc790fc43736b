"""Where the table is in a sheet as offices keep it, and which rows are not people.

An office workbook has title and letterhead rows above the table ("DAFTAR PENERIMA …", "KELURAHAN …",
blank lines, merged cells), sometimes a header split over two rows (a merged "ALAMAT" above "JALAN | RT
| RW") and a numbering row ("1 2 3 4 …") under it, and below the people a JUMLAH/TOTAL row, a signature
block ("Mengetahui, Lurah …", a name, "NIP. …") and blank rows that only carry formatting; printed
pages repeat the header. The header is found by its content in the first :data:`SCAN` rows; every row
after it is either a person's row (validated) or skipped with the reason, never an error.

Row numbers are the sheet's own (as Excel shows them), counted from 1.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from django.utils.translation import gettext as _

from pilar.registry.importer.columns import REQUIRED, HeaderError, header_key, match_header
from pilar.registry.importer.mapping import FIELD_LABELS, Profile, guess_field, profile_keys, resolve

SCAN = 30  # rows searched for the header
NumberedRow = tuple[int, list[str]]  # sheet row number, cells

_FOOTER = re.compile(r"^(jumlah|total|jml|sub ?total|grand ?total|rekapitulasi)\b", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"\b(mengetahui|menyetujui|lurah|camat|kepala (dinas|desa|kelurahan|seksi|bidang|keluarga miskin)|"
    r"nip\b|nip\.|ttd|tanda tangan|dibuat oleh|diperiksa oleh|petugas|pendamping|sekretaris|kasi|pj\.?)\b",
    re.IGNORECASE,
)
_PLACE_DATE = re.compile(r"^[a-z .'-]+,\s*\d{1,2}\s+[a-z]+\s+\d{4}$", re.IGNORECASE)
_NUMBER_CELL = re.compile(r"^\(?(\d{1,2})\)?$")


@dataclass
class Layout:
    header_rows: tuple[int, ...]  # the sheet rows holding the column titles (one, or two for a split header)
    titles: list[str]  # each column's title as the sheet has it ("ALAMAT JALAN" for a split header)
    columns: dict[str, int]  # Pilar field -> column index
    numbering_row: int | None = None
    header_keys: set[str] = field(default_factory=set)  # the titles as compared, to spot a repeated header
    defaults: dict[str, str] = field(default_factory=dict)  # a profile's values for fields the sheet lacks

    @property
    def header_row(self) -> int:
        return self.header_rows[-1]

    def title(self, key: str) -> str:
        """The sheet's own title of a mapped column (Pilar's label when the column is missing)."""
        index = self.columns.get(key)
        return self.titles[index] if index is not None and self.titles[index] else str(FIELD_LABELS.get(key, key))


def find_layout(
    rows: Iterator[list[str]], *, mapping: dict[str, int] | None = None, profile: Profile | None = None
) -> tuple[Layout, Iterator[NumberedRow]]:
    """The table's layout and the rows after the header (numbered as in the sheet).

    ``mapping`` (Pilar field -> column index, chosen in the preview) or ``profile`` (titles per field) replaces
    the guess from the titles; the header row is still found by content. Raises :class:`HeaderError` when no
    row looks like one, or when a required column is missing.
    """
    header_rows, titles, rest = find_header(rows, profile=profile)
    if mapping:
        columns = dict(mapping)
    elif profile is not None:
        columns = resolve(titles, profile)
    else:
        columns = _checked(titles)
    layout = Layout(
        header_rows,
        titles,
        columns,
        header_keys={header_key(t) for t in titles if t},
        defaults=dict(profile.defaults) if profile is not None else {},
    )
    first = next(rest, None)
    if first is not None and _is_numbering(first[1]):
        layout.numbering_row = first[0]
    elif first is not None:
        rest = chain([first], rest)
    return layout, rest


def find_header(
    rows: Iterator[list[str]], *, profile: Profile | None = None
) -> tuple[tuple[int, ...], list[str], Iterator[NumberedRow]]:
    """The sheet rows of the header, the column titles, and the rows after the header (numbered)."""
    numbered = ((number, cells) for number, cells in enumerate(rows, start=1))
    head: list[NumberedRow] = []
    for item in numbered:
        head.append(item)
        if len(head) >= SCAN:
            break
    best = _best_header(head, _title_keys(profile))
    if best is None:
        raise HeaderError(
            _(
                "Baris judul kolom tidak ditemukan di %(n)d baris pertama: "
                "perlu kolom seperti NIK, Nama, Tanggal Lahir, Kelurahan dan Kategori PPKS."
            )
            % {"n": SCAN}
        )
    start, height, titles = best
    return tuple(head[start + i][0] for i in range(height)), titles, chain(head[start + height :], numbered)


def _title_keys(profile: Profile | None) -> dict[str, str]:
    return profile_keys(profile) if profile is not None else {}


def _field_of(title: str, extra: dict[str, str]) -> str | None:
    if extra:
        found = extra.get(header_key(title))
        if found:
            return found
    return guess_field(title)


def _best_header(head: list[NumberedRow], extra: dict[str, str] | None = None) -> tuple[int, int, list[str]] | None:
    """(index in ``head``, 1 or 2 rows, titles) of the candidate naming the most Pilar fields (a row naming
    only some is still taken, so that the message can say which required columns are missing)."""
    best: tuple[int, int, int, list[str]] | None = None  # score, -height, index, titles
    for index, (_number, cells) in enumerate(head):
        candidates = [(1, [str(c) for c in cells])]
        if index + 1 < len(head):
            candidates.append((2, _two_rows(cells, head[index + 1][1])))
        for height, titles in candidates:
            score = len({key for t in titles if (key := _field_of(t, extra or {}))})
            if score >= 1 and (best is None or (score, -height) > (best[0], -best[1])):
                best = (score, height, index, titles)
    return None if best is None else (best[2], best[1], best[3])


def _two_rows(top: list[str], bottom: list[str]) -> list[str]:
    """Titles of a header split over two rows. A merged cell has its text in its first column only, so a
    top title carries to the right over the columns that have a title below it."""
    width = max(len(top), len(bottom))
    top = [str(c) for c in top] + [""] * (width - len(top))
    bottom = [str(c) for c in bottom] + [""] * (width - len(bottom))
    titles, carried = [], ""
    for upper, lower in zip(top, bottom, strict=True):
        carried = upper or (carried if lower else "")
        if lower and match_header(lower):
            titles.append(lower)  # "RT" under "ALAMAT": the lower title names the field
        elif lower and carried:
            titles.append(f"{carried} {lower}")
        else:
            titles.append(upper or lower)
    return titles


def _checked(titles: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(titles):
        key = _field_of(title, {})
        if key is None:
            continue
        if key in found:
            if key in ("kelurahan", "kecamatan") and _looks_like_code(titles[found[key]]):
                continue  # "Kode Kelurahan" and "Nama Kelurahan": the code is enough
            raise HeaderError(
                _("Kolom %(col)s muncul lebih dari sekali (kolom %(a)s dan %(b)s).")
                % {"col": FIELD_LABELS[key], "a": _letter(found[key]), "b": _letter(index)}
            )
        found[key] = index
    missing = [FIELD_LABELS[key] for key in REQUIRED if key not in found]
    if missing:
        raise HeaderError(
            _("Kolom wajib tidak ditemukan: %(cols)s. Sesuaikan pemetaan kolom atau gunakan templat impor.")
            % {"cols": ", ".join(missing)}
        )
    return found


def _looks_like_code(title: str) -> bool:
    return "kode" in title.lower()


def _letter(index: int) -> str:
    """The spreadsheet's column letter (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _is_numbering(cells: list[str]) -> bool:
    """ "1 2 3 4 …" (or "(1) (2) …") under the header: consecutive small numbers in the filled cells."""
    numbers = []
    for cell in cells:
        if cell == "":
            continue
        match = _NUMBER_CELL.fullmatch(str(cell).strip())
        if match is None:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


class RowKinds:
    """Tells a person's row from the rows that are not people; cheap on the common path (a NIK or KK is there)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        columns = layout.columns
        self.id_columns = [columns[k] for k in ("nik", "kk") if k in columns]
        self.mapped = sorted(columns.values())

    def skip_reason(self, cells: list[str]) -> str | None:
        """Why this row is not a person's (to list it as skipped), or None for a person's row."""
        width = len(cells)
        for i in self.id_columns:  # a NIK or KK starts with a digit; "JUMLAH" merged over the NIK column does not
            if i < width and cells[i][:1].isdigit():
                return None
        if not any(cells):
            return _("baris kosong")
        filled = [str(c).strip() for c in cells if c != ""]
        if any(_FOOTER.match(c) for c in filled[:3]):
            return _("baris jumlah/total")
        if _is_numbering(cells):
            return _("baris nomor kolom")
        keys = {header_key(c) for c in filled}
        if len(keys & self.layout.header_keys) >= max(2, len(keys) // 2):
            return _("judul kolom berulang")
        mapped = sum(1 for i in self.mapped if i < width and cells[i] != "")
        if mapped >= 4:
            return None  # a person's row without NIK or KK (homeless people often have none): validated
        text = " ".join(filled)
        if _SIGNATURE.search(text) or _PLACE_DATE.match(text):
            return _("blok tanda tangan atau keterangan")
        if mapped < 3:
            return _("bukan baris data (kurang dari tiga kolom terisi)")
        return None
