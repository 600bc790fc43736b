"""No. KK: 16 digits whose first six are a known issuing region; KK and bank account masking."""

import pytest

from pilar.identity.kk import KkError, mask_account, mask_kk, validate_kk


def test_kk_of_kota_tangerang_is_returned_as_sixteen_digits():
    assert validate_kk("3671011234560001") == "3671011234560001"


@pytest.mark.parametrize("value", ["3671 0112 3456 0001", "3671.0112.3456.0001", "3671-0112-3456-0001"])
def test_kk_separators_are_removed(value):
    assert validate_kk(value) == "3671011234560001"


@pytest.mark.parametrize("value", ["", "123", "36710112345600011", "abcd011234560001", "٣٦٧١٠١١٢٣٤٥٦٠٠٠١"])
def test_kk_must_be_sixteen_ascii_digits(value):
    with pytest.raises(KkError, match="Nomor KK harus 16 digit angka"):
        validate_kk(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9971011234560001", "997101"),  # no province 99
        ("3699011234560001", "369901"),  # Banten has no kab/kota 99
        ("3671001234560001", "367100"),  # kecamatan part 00
    ],
)
def test_kk_region_prefix_must_be_known(value, code):
    with pytest.raises(KkError, match=rf"Kode wilayah pada nomor KK \({code}\) tidak dikenal"):
        validate_kk(value)


def test_kk_of_one_repeated_digit_is_refused_even_with_a_real_region():
    # 11.11 is Aceh Utara, so only the repeated-digit rule catches this placeholder.
    with pytest.raises(KkError, match="semua digitnya sama"):
        validate_kk("1111111111111111")


def test_kk_error_carries_its_message():
    with pytest.raises(ValueError) as exc:
        validate_kk("123")
    assert exc.value.message == "Nomor KK harus 16 digit angka."


def test_kk_mask_keeps_four_digits_each_side():
    assert mask_kk("3671011234560001") == "3671********0001"


@pytest.mark.parametrize("value", [None, ""])
def test_kk_mask_of_nothing_is_empty(value):
    assert mask_kk(value) == ""


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("1234567890", "******7890"),
        ("0012345678", "******5678"),
        ("123-456-7890", "******7890"),
        ("1234", "****"),  # too short to show any digits safely
        ("", ""),
        (None, ""),
    ],
)
def test_account_mask_keeps_only_the_last_four_digits(number, masked):
    assert mask_account(number) == masked
