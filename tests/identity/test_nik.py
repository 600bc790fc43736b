"""NIK: 16 digits PPKKCC DDMMYY SSSS, birth day + 40 for women (properties checked with hypothesis)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilar.identity.nik import NikError, check_nik_consistency, make_nik, mask_nik, parse_nik

TODAY = date(2026, 11, 23)
KECAMATAN = [f"3671{n:02d}" for n in range(1, 14)]


def test_male_nik_gives_birth_date_and_sex():
    info = parse_nik("3671011203850001", today=TODAY)
    assert (info.birth_date, info.sex, info.kecamatan, info.serial) == (date(1985, 3, 12), "L", "367101", "0001")


def test_female_nik_adds_forty_to_the_birth_day():
    info = parse_nik("3671015203850002", today=TODAY)
    assert (info.birth_date, info.sex) == (date(1985, 3, 12), "P")


def test_separators_are_ignored():
    assert parse_nik("3671.0112.0385.0001", today=TODAY).nik == "3671011203850001"


@pytest.mark.parametrize("value", ["", "12345", "36710112038500011", "36710112O3850001"])
def test_nik_must_be_sixteen_digits(value):
    with pytest.raises(NikError, match="16 digit"):
        parse_nik(value)


def test_unknown_province_is_refused():
    with pytest.raises(NikError, match="Kode provinsi NIK \\(99\\) tidak dikenal"):
        parse_nik("9971011203850001")


@pytest.mark.parametrize("value", ["3671013202850001", "3671017203850001", "3671011213850001", "3671010003850001"])
def test_impossible_birth_dates_are_refused(value):
    with pytest.raises(NikError, match="Tanggal lahir dalam NIK tidak valid"):
        parse_nik(value, today=TODAY)


def test_29_february_exists_only_in_leap_years():
    assert parse_nik("3671012902000001", today=TODAY).birth_date == date(2000, 2, 29)
    with pytest.raises(NikError):
        parse_nik("3671012902010001", today=TODAY)


def test_two_digit_year_takes_the_latest_century_not_in_the_future():
    assert parse_nik("3671010101250001", today=TODAY).birth_date == date(2025, 1, 1)
    assert parse_nik("3671010101300001", today=TODAY).birth_date == date(1930, 1, 1)
    assert parse_nik("3671012411260001", today=TODAY).birth_date == date(1926, 11, 24)


def test_serial_0000_is_refused():
    with pytest.raises(NikError, match="0000"):
        parse_nik("3671011203850000", today=TODAY)


def test_mismatches_name_the_field_and_what_the_nik_says():
    nik = make_nik(kecamatan_code="36.71.01", birth_date=date(1985, 3, 12), sex="P", serial=7)
    problems = dict(check_nik_consistency(nik, birth_date=date(1985, 3, 13), sex="L"))
    assert problems["birth_date"] == "Tanggal lahir tidak sesuai dengan NIK: NIK menunjukkan 12 Maret 1985."
    assert problems["sex"] == "Jenis kelamin tidak sesuai dengan NIK: NIK menunjukkan perempuan."


def test_an_invalid_nik_is_reported_on_the_nik_field():
    assert check_nik_consistency("123", birth_date=None, sex=None)[0][0] == "nik"


def test_mask_keeps_four_digits_each_side():
    assert mask_nik("3671011203850001") == "3671********0001"
    assert mask_nik(None) == ""


births = st.dates(min_value=date(1930, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["L", "P"])


@given(kec=st.sampled_from(KECAMATAN), born=births, sex=sexes, serial=st.integers(1, 9999))
def test_make_and_parse_round_trip(kec, born, sex, serial):
    info = parse_nik(make_nik(kecamatan_code=kec, birth_date=born, sex=sex, serial=serial), today=TODAY)
    # The NIK holds only two digits of the year; within one century of today it resolves exactly.
    if born.year > TODAY.year - 100 or (born.year == TODAY.year - 100 and (born.month, born.day) > (11, 23)):
        assert info.birth_date == born
    assert (info.birth_date.day, info.birth_date.month, info.birth_date.year % 100) == (
        born.day,
        born.month,
        born.year % 100,
    )
    assert (info.sex, info.serial, info.kecamatan) == (sex, f"{serial:04d}", kec)


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_any_sixteen_digits_parse_or_raise_nik_error(value):
    try:
        info = parse_nik(value, today=TODAY)
    except NikError as exc:
        assert exc.message
    else:
        assert info.birth_date <= TODAY and info.sex in {"L", "P"}


@given(st.text(max_size=30).filter(lambda s: len("".join(c for c in s if c.isdigit())) != 16 or not s.strip()))
def test_anything_without_sixteen_digits_raises_nik_error(value):
    with pytest.raises(NikError):
        parse_nik(value, today=TODAY)


@given(kec=st.sampled_from(KECAMATAN), born=births, sex=sexes, serial=st.integers(1, 9999))
def test_consistency_accepts_the_facts_of_the_nik_and_flags_the_other_sex(kec, born, sex, serial):
    nik = make_nik(kecamatan_code=kec, birth_date=born, sex=sex, serial=serial)
    assert check_nik_consistency(nik, birth_date=born, sex=sex) == []
    other = "P" if sex == "L" else "L"
    assert [f for f, _ in check_nik_consistency(nik, birth_date=born, sex=other)] == ["sex"]
