"""Names for search: titles, case, punctuation and spacing removed, the name itself kept."""

import pytest

from pilar.identity.names import normalize_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("H. Ahmad  Fauzi", "ahmad fauzi"),
        ("Hj. Siti Aminah", "siti aminah"),
        ("Hajjah Siti Aminah", "siti aminah"),
        ("Haji Ahmad Fauzi", "ahmad fauzi"),
        ("Dr. Ir. Budi Santoso", "budi santoso"),
        ("dr. Rina Wati", "rina wati"),
        ("Drs. H. Mulyani", "mulyani"),
        ("Dra. Sri Wahyuni", "sri wahyuni"),
        ("Prof. Dr. Hasan Basri", "hasan basri"),
        ("Ns. Dewi Lestari", "dewi lestari"),
        ("Bpk. Slamet", "slamet"),
        ("Ibu Sumiati", "sumiati"),
        ("Sdr. Joko", "joko"),
        ("Sdri. Ani", "ani"),
        ("H Ahmad Fauzi", "ahmad fauzi"),
        ("drg. Maya Sari", "maya sari"),
        ("Tgk. Nabila Riyanti", "nabila riyanti"),
    ],
)
def test_titles_before_the_name_are_dropped(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Siti Aminah, S.Pd.", "siti aminah"),
        ("Siti Aminah, S.Pd.I", "siti aminah"),
        ("Budi Santoso, S.E., M.M.", "budi santoso"),
        ("Ahmad, S.H., M.H.", "ahmad"),
        ("Rudi Hartono, S.Kom., M.Kom.", "rudi hartono"),
        ("Yanti, S.Sos.", "yanti"),
        ("Fauzan, S.Ag.", "fauzan"),
        ("Andi, S.T.", "andi"),
        ("Rini, S.IP", "rini"),
        ("Dedi, M.Si.", "dedi"),
        ("Nur Aini, M.Pd.", "nur aini"),
        ("Lina, A.Md.", "lina"),
        ("Lina, Amd", "lina"),
        ("Siti Aminah,S.Pd", "siti aminah"),
        ("Budi Santoso M.Si.", "budi santoso"),
        ("Siti Aminah S.Pd.", "siti aminah"),
        ("Siti Aminah SPd", "siti aminah"),
        ("Wulan, S.Tr.Keb.", "wulan"),  # not in the list, but clearly a dotted degree after a comma
    ],
)
def test_degrees_after_the_name_are_dropped(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hj. Siti Aminah, S.Pd.", "siti aminah"),
        ("Dr. Ir. Budi Santoso M.Si.", "budi santoso"),
        ("Drs. H. Mulyani, M.M.", "mulyani"),
        ("H.Ahmad Fauzi", "ahmad fauzi"),
        ("Dr.Ir.Budi Santoso", "budi santoso"),
    ],
)
def test_titles_on_both_sides_or_without_spaces_are_dropped(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("M. Yusuf", "m yusuf"),  # M. is Muhammad, not Magister
        ("M.Yusuf", "m yusuf"),
        ("Ibu", "ibu"),  # a title that is the whole name stays
        ("Haji", "haji"),
        ("Ahmad Haji", "ahmad haji"),  # titles are dropped before the name only
        ("Ahmad H. Fauzi", "ahmad h fauzi"),  # a middle initial, not Haji
        ("Budi S.", "budi s"),  # an initial at the end
        ("Ahmad St", "ahmad st"),  # an undotted short degree could be a name
        ("Fauzi, Ahmad", "fauzi ahmad"),  # what follows a comma is kept unless it is a degree
        ("Andi Se", "andi se"),
        ("R. Hendra Maryadi", "r hendra maryadi"),  # Raden, part of the name (or an initial)
        ("Cut Nyak Dhien", "cut nyak dhien"),
    ],
)
def test_real_names_are_not_mistaken_for_titles(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SITI   nurhaliza", "siti nurhaliza"),
        ("  Siti\tAminah \n", "siti aminah"),
        ("Nur'aini", "nuraini"),
        ("Nur’aini", "nuraini"),
        ("Siti-Aminah", "siti aminah"),
        ("Ｓｉｔｉ Ａｍｉｎａｈ", "siti aminah"),  # full-width letters (NFKC)
        ("(Siti) Aminah!", "siti aminah"),
    ],
)
def test_case_spacing_and_punctuation_do_not_matter(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", None, ", S.Pd."])
def test_empty_name_normalises_to_empty(raw):
    assert normalize_name(raw) == ""
