"""Phone numbers are stored as +62… whatever way they were typed."""

import pytest

from pilar.identity.phone import PhoneError, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-812-3456-7890", "+6281234567890"),
        ("(+62) 812 3456 7890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("０８１２３４５６７８９０", "+6281234567890"),  # full-width digits from some keyboards
        ("  0812-3456-7890  ", "+6281234567890"),
    ],
)
def test_mobile_numbers_are_normalised_to_plus_62(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(021) 5512345", "+62215512345"),
        ("021-55123456", "+622155123456"),
        ("(0627) 21234", "+6262721234"),  # Subulussalam: an area code that starts with 62 after the 0
    ],
)
def test_landline_numbers_keep_their_area_code(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_phone_is_allowed_and_stays_empty(raw):
    assert normalize_phone(raw) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "0812-3456-789a",
        "0812",  # too short
        "0812345",  # 7 digits after +62
        "08123456789012345",  # too long
        "+62 0812 3456 7890",  # a 0 right after +62
        "+1 202 555 0100",  # not Indonesian
        "0812+3456+7890",  # "+" only opens the number
        "55123456",  # a local number without area code: which city?
        "081234567",  # a mobile number one digit short (8 digits after +62)
    ],
)
def test_bad_phone_numbers_get_an_indonesian_message(raw):
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw)
    assert exc.value.message == "Nomor telepon tidak valid. Contoh: 0812-3456-7890."


def test_phone_error_is_a_value_error():
    with pytest.raises(ValueError):
        normalize_phone("abc")
