import pytest

from pilar.identity.kk import KkError, mask_account, mask_kk, validate_kk
from pilar.identity.names import display_name, normalize_name
from pilar.identity.phone import PhoneError, normalize_phone


def test_kk_of_kota_tangerang_is_valid():
    assert validate_kk("3671 0112 3456 0001") == "3671011234560001"


@pytest.mark.parametrize("value", ["123", "36710112345600011", "abcd011234560001"])
def test_kk_must_be_sixteen_digits(value):
    with pytest.raises(KkError, match="16 digit"):
        validate_kk(value)


@pytest.mark.parametrize("value", ["9971011234560001", "3699011234560001", "3671001234560001"])
def test_kk_region_prefix_must_exist(value):
    with pytest.raises(KkError, match="tidak dikenal"):
        validate_kk(value)


def test_kk_and_account_masks():
    assert mask_kk("3671011234560001") == "3671********0001"
    assert mask_account("0012345678") == "******5678"
    assert mask_account("") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("H. Ahmad  Fauzi", "ahmad fauzi"),
        ("Hj. Siti Aminah, S.Pd.", "siti aminah"),
        ("Dr. Ir. Budi Santoso M.Si.", "budi santoso"),
        ("SITI   nurhaliza", "siti nurhaliza"),
        ("M. Yusuf", "m yusuf"),
        ("Ibu", "ibu"),
        ("Drs. H. Mulyani, M.M.", "mulyani"),
        ("", ""),
    ],
)
def test_names_are_normalised_for_search(raw, expected):
    assert normalize_name(raw) == expected


def test_display_name_keeps_spelling_and_titles():
    assert display_name("  Hj.  Siti   Aminah ") == "Hj. Siti Aminah"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("(021) 5512345", "+62215512345"),
        ("", ""),
    ],
)
def test_phone_numbers_are_normalised_to_plus_62(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "0812", "+62 0812 3456 7890", "08123456789012345"])
def test_bad_phone_numbers_get_an_indonesian_message(raw):
    with pytest.raises(PhoneError, match="Nomor telepon tidak valid"):
        normalize_phone(raw)
