"""A second, independent test set for duplicate detection: persons and office-made duplicates.

Written apart from ``pilar.registry.synth`` (whose duplicates the engine was tuned on) and sharing no
code with it: its own name lists (Javanese, Sundanese, Betawi and Arabic-derived names, drawn with a
Zipf skew so that common names are really common), its own NIK/KK numbering, twins and namesakes as
hard negatives, and a clerk model in which every field of a copy is corrupted independently, so that
two or three mistakes in one copy are frequent. Kinds are the ones issue 11 lists; their
implementations differ on purpose (QWERTY-neighbour typos, undotted degrees, 31-12/01-07
placeholders, NIK typos anywhere outside the date digits).

``generate(n, dup_rate, seed)`` returns rows ``(id, nik, kk, name, sex, birth_date, area)`` plus a
cluster label and the kinds of each row (empty for originals).
"""

import random
from datetime import date, timedelta
from itertools import accumulate

MALE = [
    "Slamet",
    "Riyadi",
    "Sutrisno",
    "Sugeng",
    "Wahyudi",
    "Joko",
    "Bambang",
    "Eko",
    "Agus",
    "Budi",
    "Hadi",
    "Suharto",
    "Sunarto",
    "Gunawan",
    "Hendra",
    "Asep",
    "Dadang",
    "Ujang",
    "Cecep",
    "Dede",
    "Yayan",
    "Iwan",
    "Ade",
    "Encep",
    "Rahmat",
    "Hidayat",
    "Ahmad",
    "Abdullah",
    "Yusuf",
    "Ridwan",
    "Ilham",
    "Rizky",
    "Fajar",
    "Dimas",
    "Aditya",
    "Bayu",
    "Yoga",
    "Teguh",
    "Heru",
    "Dwi",
    "Tri",
    "Sigit",
    "Purnomo",
    "Wawan",
    "Darmo",
    "Karyo",
    "Suparno",
    "Tukiman",
    "Paijo",
    "Sarwono",
    "Mulyono",
    "Haryanto",
    "Cahyono",
    "Jumadi",
    "Juned",
    "Mamat",
    "Rohman",
    "Sobari",
    "Udin",
    "Yahya",
    "Zainal",
    "Syahrul",
    "Khairul",
    "Fauzan",
    "Arif",
    "Anwar",
    "Bahrudin",
    "Sukarno",
    "Suyanto",
    "Sujono",
    "Marjuki",
    "Darsono",
    "Tarjo",
]
FEMALE = [
    "Siti",
    "Sri",
    "Dewi",
    "Ani",
    "Yuni",
    "Yanti",
    "Wati",
    "Rina",
    "Rini",
    "Nur",
    "Endang",
    "Sumarni",
    "Suminah",
    "Tuminah",
    "Painem",
    "Sulastri",
    "Suryani",
    "Ratna",
    "Lestari",
    "Wulan",
    "Ayu",
    "Fitri",
    "Dian",
    "Eka",
    "Indah",
    "Putri",
    "Nining",
    "Euis",
    "Neneng",
    "Iis",
    "Imas",
    "Cucu",
    "Enung",
    "Yati",
    "Titin",
    "Aminah",
    "Fatimah",
    "Khadijah",
    "Aisyah",
    "Zahra",
    "Nabila",
    "Salma",
    "Juwariyah",
    "Jumiati",
    "Rohayati",
    "Cahyani",
    "Kartini",
    "Marni",
    "Tasripah",
    "Darsih",
    "Ponirah",
    "Sukinah",
    "Warsini",
    "Yuliana",
    "Rahayu",
    "Wahyuni",
    "Susilowati",
    "Setyowati",
    "Handayani",
]
FAMILY = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Pratama",
    "Hidayat",
    "Susanto",
    "Kurniawan",
    "Setiawan",
    "Nugroho",
    "Wibowo",
    "Purnama",
    "Rahman",
    "Hakim",
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Simanjuntak",
    "Sitompul",
    "Sinaga",
    "Permana",
    "Suryana",
    "Sudrajat",
    "Mulyadi",
    "Kusuma",
    "Prasetyo",
    "Utomo",
    "Budiman",
    "Hartono",
    "Sulistyo",
    "Gunadi",
    "Firmansyah",
    "Ramadhan",
    "Maulana",
    "Syahputra",
    "Hasibuan",
]
JOINED = {
    "Nurhayati": "Nur Hayati",
    "Sriwahyuni": "Sri Wahyuni",
    "Nuraini": "Nur Aini",
    "Dewiyanti": "Dewi Yanti",
    "Abdulrahman": "Abdul Rahman",
    "Sitinurjanah": "Siti Nurjanah",
    "Ahmadsyarif": "Ahmad Syarif",
    "Nurkholis": "Nur Kholis",
    "Triwahyudi": "Tri Wahyudi",
    "Ekaputri": "Eka Putri",
}
TITLES = ("H.", "Hj.", "Drs.", "Dra.", "Ust.", "KH.", "Hj", "H")
DEGREES = ("S.Pd", "SE", "S.E.", "S.Ag.", "A.Md.Keb", "S.Pd.I", "A.Md.", "S.Kom", "S.Sos", "M.Pd.")
MUHAMMAD = ("M.", "Muh.", "Moh.", "Moch.", "Muhamad", "Mohamad", "MUH", "Mhd")
# (current, older/regional) spellings applied to whole words.
RESPELL = (
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("j", "y"),
    ("ch", "kh"),
    ("sj", "sy"),
    ("o", "a"),
    ("u", "oe"),
    ("j", "dj"),
    ("y", "j"),
    ("c", "tj"),
    ("kh", "ch"),
    ("a", "o"),
)
QWERTY = {c: n for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm") for c, n in zip(row, row[1:] + row[-2], strict=True)}
KECAMATAN = [f"3671{k:02d}" for k in range(1, 14)]


class Office:
    def __init__(self, seed: int):
        self.r = random.Random(seed * 7919 + 13)
        self.niks: set[str] = set()
        self.kks: set[str] = set()
        self.weights: dict[int, list[float]] = {}

    def zipf(self, items: list[str]) -> str:
        # Rank k drawn with weight 1/(k + 3): a few names are everywhere (the first ≈ 8 %), as "Siti" is.
        weights = self.weights.get(len(items))
        if weights is None:
            weights = self.weights[len(items)] = list(accumulate(1 / (k + 3) for k in range(1, len(items) + 1)))
        return self.r.choices(items, cum_weights=weights)[0]

    def person_name(self, sex: str) -> str:
        r = self.r
        first = self.zipf(MALE if sex == "L" else FEMALE)
        if r.random() < 0.04:
            first = r.choice([j for j in JOINED if (j[-1] in "aiy") == (sex == "P")] or list(JOINED))
        parts = [first]
        if sex == "L" and r.random() < 0.15:
            parts.insert(0, "Muhammad")
        if r.random() < 0.35:
            parts.append(r.choice(MALE if sex == "L" else FEMALE))
        if r.random() < 0.7:
            parts.append(self.zipf(FAMILY) if r.random() < 0.6 else self.zipf(MALE))
        return " ".join(parts)

    def nik(self, kec: str, born: date, sex: str) -> str:
        day = born.day + (40 if sex == "P" else 0)
        stem = f"{kec}{day:02d}{born.month:02d}{born.year % 100:02d}"
        for serial in range(1, 10000):
            nik = f"{stem}{serial:04d}"
            if nik not in self.niks:
                self.niks.add(nik)
                return nik
        raise RuntimeError("serials exhausted")

    def kk(self, kec: str) -> str:
        while True:
            kk = kec + f"{self.r.randrange(1, 10**10):010d}"
            if kk not in self.kks:
                self.kks.add(kk)
                return kk

    def family(self, area: int, kec: str) -> list[tuple]:
        r = self.r
        kk = self.kk(kec)
        out = []
        head_sex = "L" if r.random() < 0.85 else "P"
        base = date(2024, 6, 30)
        head_born = base - timedelta(days=r.randint(22 * 365, 85 * 365))
        out.append((self.nik(kec, head_born, head_sex), kk, self.person_name(head_sex), head_sex, head_born, area))
        if head_sex == "L" and r.random() < 0.85:
            born = head_born + timedelta(days=r.randint(-3 * 365, 8 * 365))
            born = min(born, base - timedelta(days=18 * 365))
            out.append((self.nik(kec, born, "P"), kk, self.person_name("P"), "P", born, area))
        n_children = r.choice((0, 1, 2, 2, 3, 3, 4, 5))
        for _ in range(n_children):
            sex = r.choice("LP")
            born = head_born + timedelta(days=r.randint(20 * 365, 45 * 365))
            if born > base:
                continue
            out.append((self.nik(kec, born, sex), kk, self.person_name(sex), sex, born, area))
            if r.random() < 0.025:  # twins: same date and KK, names that often rhyme
                twin_sex = r.choice("LP")
                first, *rest = out[-1][2].split()
                rhyme = first[:-1] + ("i" if first[-1] != "i" else "a")  # Rina / Rini, Hasan / Hasin
                twin = " ".join([rhyme, *rest]) if r.random() < 0.5 else self.person_name(twin_sex)
                out.append((self.nik(kec, born, twin_sex), kk, twin, twin_sex, born, area))
        return out

    # --- the clerk ---------------------------------------------------------------------------------

    def copy(self, row: tuple, areas: int) -> tuple[tuple, list[str]]:
        r = self.r
        nik, kk, name, sex, born, area = row
        kinds: list[str] = []
        if r.random() < 0.75:
            name, kind = self.garble_name(name)
            kinds += [kind] if kind else []
        if r.random() < 0.12:  # a second, independent slip in the name
            name, kind = self.garble_name(name)
            kinds += [kind] if kind and kind not in kinds else []
        if r.random() < 0.38:
            born, kind = self.garble_date(born)
            kinds.append(kind)
        u = r.random()
        if u < 0.40:
            nik, nk = None, "nik_missing"
        elif u < 0.62:
            nik, nk = self.nik_slip(nik, transpose=False), "nik_typo"
        elif u < 0.78:
            nik, nk = self.nik_slip(nik, transpose=True), "nik_transposed"
        else:
            nik, nk = (self.nik(nik[:6], born, sex) if born else None), "nik_other"
        kinds.append(nk if nik or nk == "nik_missing" else "nik_missing")
        if r.random() < 0.25:
            kk = None
        if r.random() < 0.10:
            area = r.randrange(1, areas + 1)  # moved, or registered at the other kelurahan's post
        return (nik, kk, name, sex, born, area), kinds

    def garble_name(self, name: str) -> tuple[str, str | None]:
        r = self.r
        words = name.split()
        ops = ["name_typo"] * 5 + ["name_title"] * 3 + ["name_spelling"] * 3 + ["name_dropped"] * 2 + ["name_reversed"]
        if words[0] == "Muhammad":
            ops += ["name_muhammad"] * 6
        if any(w in JOINED for w in words):
            ops += ["name_split"] * 4
        if len(words) > 1:
            ops += ["name_joined"] * 2
        for _attempt in range(5):
            kind = r.choice(ops)
            out = self.apply(kind, words)
            if out and out != name:
                return out, kind
        return name, None

    def apply(self, kind: str, words: list[str]) -> str | None:
        r = self.r
        w = list(words)
        if kind == "name_typo":
            i = r.randrange(len(w))
            s = w[i]
            if len(s) < 3:
                return None
            j = r.randrange(1, len(s))
            c = s[j].lower()
            op = r.random()
            if op < 0.5 and c in QWERTY:
                s = s[:j] + QWERTY[c] + s[j + 1 :]
            elif op < 0.75:
                s = s[:j] + s[j + 1 :]
            else:
                s = s[:j] + s[j] + s[j:]
            w[i] = s
        elif kind == "name_title":
            if r.random() < 0.55:
                w.insert(0, r.choice(TITLES))
            else:
                w[-1] += ","
                w.append(r.choice(DEGREES))
        elif kind == "name_spelling":
            i = r.randrange(len(w))
            low = w[i].lower()
            options = [(a, b) for a, b in RESPELL if a in low[1:] or (a in low and a not in ("o", "a", "u"))]
            if not options:
                return None
            a, b = r.choice(options)
            pos = low.rfind(a) if a in ("o", "a") else low.find(a)
            w[i] = (low[:pos] + b + low[pos + len(a) :]).capitalize()
        elif kind == "name_muhammad":
            w[0] = r.choice(MUHAMMAD)
        elif kind == "name_split":
            w = [JOINED.get(x, x) for x in w]
        elif kind == "name_joined":
            i = r.randrange(len(w) - 1)
            w[i : i + 2] = [w[i] + w[i + 1].lower()]
        elif kind == "name_dropped":
            if len(w) < 2:
                return None
            del w[r.randrange(len(w))]
        elif kind == "name_reversed":
            if len(w) < 2:
                return None
            w = w[-1:] + w[:-1]
        return " ".join(w).upper() if self.r.random() < 0.2 else " ".join(w)

    def garble_date(self, born: date) -> tuple[date | None, str]:
        r = self.r
        u = r.random()
        if u < 0.25:
            try:
                return born.replace(year=born.year + r.choice((-1, 1))), "date_year_off"
            except ValueError:
                return born.replace(day=28, year=born.year + 1), "date_year_off"
        if u < 0.45 and born.day <= 12 and born.day != born.month:
            return born.replace(day=born.month, month=born.day), "date_swapped"
        if u < 0.65:
            return date(born.year, *r.choice(((1, 1), (12, 31), (7, 1)))), "date_placeholder"
        if u < 0.80:
            return date(born.year, 1, 1), "date_zero"  # written 00-00-YYYY, stored as 1 January
        if u < 0.93:
            return date(born.year, 1, 1), "date_year_only"  # written "1962"
        return None, "date_missing"

    def nik_slip(self, nik: str, *, transpose: bool) -> str | None:
        r = self.r
        for _attempt in range(10):
            # Anywhere but the date digits 6–11 (the import refuses a NIK that disagrees with the birth date).
            i = r.choice((2, 3, 4, 5, 12, 13, 14)) if transpose else r.choice((2, 3, 4, 5, 12, 13, 14, 15))
            if transpose:
                if nik[i] == nik[i + 1] or i == 5:
                    continue
                out = nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
            else:
                out = nik[:i] + r.choice([d for d in "0123456789" if d != nik[i]]) + nik[i + 1 :]
            if out not in self.niks and out[12:] != "0000" and "00" not in (out[2:4], out[4:6]):
                self.niks.add(out)
                return out
        return None


def generate(n: int, dup_rate: float, seed: int, areas: int = 104) -> tuple[list[tuple], list[int], list[list[str]]]:
    office = Office(seed)
    rows: list[tuple] = []
    labels: list[int] = []
    kinds: list[list[str]] = []
    originals: list[int] = []
    while len(rows) < n:
        area = office.r.randrange(1, areas + 1)
        kec = KECAMATAN[(area - 1) % len(KECAMATAN)]
        for person in office.family(area, kec):
            labels.append(len(rows))
            rows.append((len(rows) + 1, *person))
            kinds.append([])
            originals.append(len(rows) - 1)
            if office.r.random() < dup_rate / (1 - dup_rate) and len(rows) < n:
                src = office.r.choice(originals[-20000:])
                copy, k = office.copy(rows[src][1:], areas)
                rows.append((len(rows) + 1, *copy))
                labels.append(labels[src])
                kinds.append(k)
    return rows[:n], labels[:n], kinds[:n]
