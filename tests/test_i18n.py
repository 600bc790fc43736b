"""Indonesian by default, English on request: the switch, translated pages and errors, and a complete catalog.

The English catalog is pilar/locale/en/LC_MESSAGES/django.po, compiled to django.mo (committed, so that an
install needs no gettext). After changing a wrapped string, refresh both:

    DEBUG=1 .venv/bin/pilar makemessages -l en --ignore=.venv --ignore=tests --ignore=bench \
        --ignore=staticfiles --ignore=var
    # translate the new or fuzzy entries in django.po, then
    DEBUG=1 .venv/bin/pilar compilemessages --ignore=.venv
"""

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from pilar.identity.nik import make_nik
from tests.conftest import KEC_A, KEL_A

LOGIN = reverse("login")
SET_LANGUAGE = reverse("set_language")
WORKERS = reverse("workers:list")
CREATE_WORKER = reverse("workers:create")
CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")


def choose(client, language: str, next_url: str = "/") -> None:
    answer = client.post(SET_LANGUAGE, {"language": language, "next": next_url})
    assert answer.status_code == 302 and answer.url == next_url


def html(answer) -> str:
    return answer.content.decode()


def field_errors(answer, name: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html(answer), re.S)
    return found.group(1) if found else ""


# --- pages --------------------------------------------------------------------------------------


def test_the_login_page_is_indonesian_by_default(client, city):
    answer = client.get(LOGIN)
    body = html(answer)
    assert answer["Content-Language"] == "id" and '<html lang="id">' in body
    assert "<title>Masuk · Pilar</title>" in body and ">Masuk</button>" in body
    assert "Masuk ke Pilar" in body and "Lupa kata sandi?" in body
    assert "Sign in" not in body


def test_the_language_switch_turns_the_login_page_english(client, city):
    choose(client, "en", LOGIN)
    answer = client.get(LOGIN)
    body = html(answer)
    assert answer["Content-Language"] == "en" and '<html lang="en">' in body
    assert "<title>Sign in · Pilar</title>" in body and ">Sign in</button>" in body
    assert "Sign in to Pilar" in body and "Forgot your password?" in body
    assert "Skip to main content" in body and "Masuk ke Pilar" not in body
    # Each language is offered under its own name, whichever language the page is in.
    assert ">Bahasa Indonesia</option>" in body and ">English</option>" in body


def test_a_wrong_password_is_refused_in_the_chosen_language(client, operator):
    wrong = {"username": "operator", "password": "salah-sandi-123"}
    assert "Nama pengguna atau kata sandi salah." in html(client.post(LOGIN, wrong))
    choose(client, "en", LOGIN)
    body = html(client.post(LOGIN, wrong))
    assert "Incorrect username or password." in body and "kata sandi salah" not in body


def test_the_worker_list_follows_the_language_and_can_switch_back(client, operator):
    client.force_login(operator)
    body = html(client.get(WORKERS))
    assert "<h1>Daftar PSM & TKSK</h1>" in body and "Tambah PSM/TKSK" in body and "Cakupan PSM" in body

    choose(client, "en", WORKERS)
    answer = client.get(WORKERS)
    body = html(answer)
    assert answer["Content-Language"] == "en"
    assert "<h1>PSM & TKSK list</h1>" in body and "Add a PSM/TKSK" in body
    assert "Search and filter workers" in body and "A full 16-digit NIK or its last 4 digits." in body
    assert "PSM coverage" in body and "IPSM board" in body  # the main menu
    assert "Dinsos Operator" in body  # the signed-in user's role
    assert "Daftar PSM" not in body and "Cakupan PSM" not in body

    choose(client, "id", WORKERS)
    assert "<h1>Daftar PSM & TKSK</h1>" in html(client.get(WORKERS))


# --- an error raised by a service -----------------------------------------------------------------


def contradicting_worker() -> dict[str, str]:
    """A new PSM whose NIK says 21 April 1988 while the form says 1 January 1990."""
    return {
        "nik": make_nik(kecamatan_code=KEC_A, birth_date=date(1988, 4, 21), sex="P", serial=41),
        "name": "Nur Aisyah",
        "sex": "P",
        "birth_date": "1990-01-01",
        "village": KEL_A,
        "role": "psm",
        "kecamatan": KEC_A,
        "kelurahan": KEL_A,
        "start_date": "2023-02-01",
    }


@pytest.mark.parametrize(
    ("language", "summary", "message"),
    [
        ("id", "Data belum tersimpan.", "Tanggal lahir tidak sesuai dengan NIK: NIK menunjukkan 21 April 1988."),
        (
            "en",
            "The data has not been saved.",
            "The date of birth does not match the NIK: the NIK indicates 21 April 1988.",
        ),
    ],
)
def test_a_birth_date_contradicting_the_nik_is_explained_in_the_chosen_language(
    client, operator, language, summary, message
):
    client.force_login(operator)
    choose(client, language, CREATE_WORKER)
    answer = client.post(CREATE_WORKER, contradicting_worker())
    assert answer.status_code == 400 and answer["Content-Language"] == language
    assert message in field_errors(answer, "birth_date")
    assert summary in html(answer)


# --- the catalog ----------------------------------------------------------------------------------


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def read_catalog(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete ``#~`` entries skipped); the header is the one with msgid ""."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def start(number: int) -> Entry:
        nonlocal entry
        if entry is None or entry.msgstr:
            entry = Entry(line=number)
            entries.append(entry)
        return entry

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            start(number).flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            text, keyword = line, None
        else:
            text = rest
        value = ast.literal_eval(text)
        if keyword is None:  # a continuation line
            assert entry is not None and target is not None, f"{path}:{number}: stray string"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue
        if keyword in ("msgctxt", "msgid"):
            current = start(number)
            setattr(current, keyword, value)
            target = (keyword, None)
        elif keyword == "msgid_plural":
            entry.msgid_plural = value
            target = ("msgid_plural", None)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            index = int(keyword[7:-1]) if keyword != "msgstr" else 0
            entry.msgstr[index] = value
            target = ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{number}: unexpected {keyword!r}")
    return entries


def messages() -> list[Entry]:
    return [entry for entry in read_catalog(CATALOG) if entry.msgid]


def placeholders(text: str) -> Counter:
    return Counter(re.findall(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr%]|\{[^{}]*\}", text))


def where(entry: Entry) -> str:
    return f"{CATALOG.name}:{entry.line} {entry.msgid!r}"


def test_the_catalog_has_a_clean_header_and_two_plural_forms():
    header = next(entry for entry in read_catalog(CATALOG) if not entry.msgid)
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = messages()
    assert len(entries) > 500  # the whole interface, not an empty or truncated file
    assert [where(e) for e in entries if "fuzzy" in e.flags] == []
    assert [where(e) for e in entries if not all(text.strip() for text in e.msgstr.values())] == []
    assert [where(e) for e in entries if e.msgid_plural and sorted(e.msgstr) != [0, 1]] == []


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in messages():
        for index, text in entry.msgstr.items():
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            if placeholders(text) != placeholders(source):
                wrong.append(f"{where(entry)} -> {text!r}")
    assert wrong == []


def test_yesno_choices_keep_their_number_of_values():
    for entry in messages():
        if entry.msgid == "Ya,Tidak":
            assert entry.msgstr[0].count(",") == 1
            return
    pytest.fail("the yes/no labels are not in the catalog")


def test_the_compiled_catalog_matches_the_po_file():
    with COMPILED.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages():
        if entry.msgid_plural and entry.msgctxt:
            got = [compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        elif entry.msgid_plural:
            got = [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        elif entry.msgctxt:
            got = [compiled.pgettext(entry.msgctxt, entry.msgid)]
        else:
            got = [compiled.gettext(entry.msgid)]
        if got != [entry.msgstr[index] for index in sorted(entry.msgstr)]:
            stale.append(where(entry))
    assert stale == [], "django.mo is out of date: run compilemessages"
