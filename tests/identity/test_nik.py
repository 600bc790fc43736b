"""NIK: 16 digits ``PPKKCC DDMMYY SSSS``, birth day + 40 for women; properties checked with hypothesis."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilar.identity.nik import NikError, NikInfo, check_nik_consistency, make_nik, mask_nik, parse_nik

# Fixed so that century resolution does not depend on the day the tests run.
TODAY = date(2026, 11, 23)
KOTA_TANGERANG_KECAMATAN = [f"3671{n:02d}" for n in range(1, 14)]  # 367101 … 367113


# --- reading a valid NIK ---------------------------------------------------------------------------


def test_male_nik_gives_region_birth_date_sex_and_serial():
    assert parse_nik("3671011203850001", today=TODAY) == NikInfo(
        nik="3671011203850001",
        province="36",
        kabkota="3671",
        kecamatan="367101",
        birth_date=date(1985, 3, 12),
        sex="L",
        serial="0001",
    )


def test_female_nik_adds_forty_to_the_birth_day():
    info = parse_nik("3671015203850002", today=TODAY)
    assert (info.birth_date, info.sex) == (date(1985, 3, 12), "P")


@pytest.mark.parametrize(("dd", "day"), [("41", 1), ("71", 31)])
def test_female_day_field_runs_from_41_to_71(dd, day):
    info = parse_nik(f"367101{dd}01850001", today=TODAY)
    assert (info.birth_date, info.sex) == (date(1985, 1, day), "P")


@pytest.mark.parametrize(
    "value", ["3671.0112.0385.0001", "3671 0112 0385 0001", "3671-0112-0385-0001", " 3671011203850001 "]
)
def test_spaces_dots_and_dashes_are_ignored(value):
    assert parse_nik(value, today=TODAY).nik == "3671011203850001"


def test_region_of_first_registration_need_not_be_a_current_kab_kota():
    # A NIK is for life; a regency split since then must not make it invalid. Only the province is checked.
    assert parse_nik("3698011203850001", today=TODAY).kabkota == "3698"


# --- refusing an invalid NIK ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "12345", "36710112038500011", "36710112O3850001", "٣٦٧١٠١١٢٠٣٨٥٠٠٠١"])
def test_nik_must_be_sixteen_ascii_digits(value):
    with pytest.raises(NikError, match="NIK harus 16 digit angka"):
        parse_nik(value, today=TODAY)


def test_nik_error_is_a_value_error_with_an_indonesian_message():
    with pytest.raises(ValueError) as exc:
        parse_nik("123", today=TODAY)
    assert exc.value.message == "NIK harus 16 digit angka."


def test_unknown_province_is_refused():
    with pytest.raises(NikError, match=r"Kode provinsi NIK \(99\) tidak dikenal"):
        parse_nik("9971011203850001", today=TODAY)


@pytest.mark.parametrize(("value", "part"), [("3600011203850001", "kabupaten/kota"), ("3671001203850001", "kecamatan")])
def test_kab_kota_and_kecamatan_parts_cannot_be_00(value, part):
    with pytest.raises(NikError, match=f"Kode {part} pada NIK"):
        parse_nik(value, today=TODAY)


@pytest.mark.parametrize(
    "value",
    [
        "3671010003850001",  # day 00
        "3671013203850001",  # day 32
        "3671014003850001",  # day 40: neither a man's nor a woman's day
        "3671017203850001",  # day 72 = 32 for a woman
        "3671011200850001",  # month 00
        "3671011213850001",  # month 13
        "3671013002850001",  # 30 Februari
        "3671013104850001",  # 31 April
        "3671017104850001",  # 31 + 40: 31 April for a woman
    ],
)
def test_impossible_birth_dates_are_refused(value):
    with pytest.raises(NikError, match="Tanggal lahir dalam NIK tidak valid"):
        parse_nik(value, today=TODAY)


def test_29_february_is_accepted_in_a_leap_year():
    assert parse_nik("3671012902000001", today=TODAY).birth_date == date(2000, 2, 29)
    assert parse_nik("3671016902880001", today=TODAY).birth_date == date(1988, 2, 29)  # a woman


def test_29_february_is_refused_in_a_common_year():
    with pytest.raises(NikError, match="Tanggal lahir dalam NIK tidak valid"):
        parse_nik("3671012902010001", today=TODAY)


def test_serial_0000_is_refused():
    with pytest.raises(NikError, match="0000"):
        parse_nik("3671011203850000", today=TODAY)


def test_serial_9999_is_accepted():
    assert parse_nik("3671011203859999", today=TODAY).serial == "9999"


# --- the two-digit year -----------------------------------------------------------------------------


def test_year_resolves_to_this_century_when_the_date_has_passed():
    assert parse_nik("3671010101250001", today=TODAY).birth_date == date(2025, 1, 1)
    assert parse_nik("3671012311260001", today=TODAY).birth_date == date(2026, 11, 23)  # born today


def test_year_resolves_to_the_last_century_when_the_date_is_still_to_come():
    assert parse_nik("3671010101300001", today=TODAY).birth_date == date(1930, 1, 1)
    assert parse_nik("3671012411260001", today=TODAY).birth_date == date(1926, 11, 24)  # tomorrow's date


def test_29_february_of_a_future_leap_year_falls_back_to_a_common_year_and_is_refused():
    # "28" would be 2028 (future), so 1928 -- a leap year, valid; "00" with today in 1999 would be 1900 -- not.
    assert parse_nik("3671012902280001", today=TODAY).birth_date == date(1928, 2, 29)
    with pytest.raises(NikError, match="Tanggal lahir"):
        parse_nik("3671012902000001", today=date(1999, 12, 31))


def test_today_defaults_to_the_real_date():
    assert parse_nik("3671011203850001").birth_date == date(1985, 3, 12)


# --- consistency with what was entered --------------------------------------------------------------


def test_matching_birth_date_and_sex_give_no_problems():
    nik = make_nik(kecamatan_code="36.71.01", birth_date=date(1985, 3, 12), sex="P", serial=7)
    assert check_nik_consistency(nik, birth_date=date(1985, 3, 12), sex="P") == []


def test_mismatches_name_the_field_and_what_the_nik_says():
    nik = make_nik(kecamatan_code="36.71.01", birth_date=date(1985, 3, 12), sex="P", serial=7)
    problems = dict(check_nik_consistency(nik, birth_date=date(1985, 3, 13), sex="L"))
    assert problems == {
        "birth_date": "Tanggal lahir tidak sesuai dengan NIK: NIK menunjukkan 12 Maret 1985.",
        "sex": "Jenis kelamin tidak sesuai dengan NIK: NIK menunjukkan perempuan.",
    }


def test_male_nik_is_described_as_laki_laki():
    nik = make_nik(kecamatan_code="367101", birth_date=date(1990, 12, 1), sex="L", serial=1)
    assert check_nik_consistency(nik, birth_date=None, sex="P") == [
        ("sex", "Jenis kelamin tidak sesuai dengan NIK: NIK menunjukkan laki-laki.")
    ]


def test_birth_date_in_another_century_is_not_a_mismatch():
    # The NIK cannot tell 1925 from 2025: a 101-year-old must not be flagged.
    nik = make_nik(kecamatan_code="367101", birth_date=date(1925, 1, 1), sex="L", serial=1)
    assert check_nik_consistency(nik, birth_date=date(1925, 1, 1), sex="L") == []


def test_missing_birth_date_or_sex_is_not_checked():
    nik = make_nik(kecamatan_code="367101", birth_date=date(1985, 3, 12), sex="P", serial=7)
    assert check_nik_consistency(nik, birth_date=None, sex=None) == []
    assert check_nik_consistency(nik, birth_date=None, sex="") == []


def test_an_invalid_nik_is_reported_on_the_nik_field():
    assert check_nik_consistency("123", birth_date=date(1985, 3, 12), sex="L") == [("nik", "NIK harus 16 digit angka.")]


# --- masking and building ---------------------------------------------------------------------------


def test_mask_keeps_four_digits_each_side():
    assert mask_nik("3671011203850001") == "3671********0001"


def test_mask_of_a_typed_nik_ignores_separators():
    assert mask_nik("3671.0112.0385.0001") == "3671********0001"


@pytest.mark.parametrize("value", [None, ""])
def test_mask_of_no_nik_is_empty(value):
    assert mask_nik(value) == ""


def test_make_nik_accepts_dotted_and_plain_kecamatan_codes():
    born = date(1985, 3, 12)
    assert make_nik(kecamatan_code="36.71.01", birth_date=born, sex="L", serial=1) == "3671011203850001"
    assert make_nik(kecamatan_code="367101", birth_date=born, sex="P", serial=42) == "3671015203850042"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kecamatan_code": "36.71", "sex": "L", "serial": 1},
        {"kecamatan_code": "367101", "sex": "X", "serial": 1},
        {"kecamatan_code": "367101", "sex": "L", "serial": 0},
        {"kecamatan_code": "367101", "sex": "L", "serial": 10000},
    ],
)
def test_make_nik_refuses_arguments_that_cannot_make_a_nik(kwargs):
    with pytest.raises(ValueError):
        make_nik(birth_date=date(1985, 3, 12), **kwargs)


# --- properties -------------------------------------------------------------------------------------

kecamatan = st.sampled_from(KOTA_TANGERANG_KECAMATAN)
births = st.dates(min_value=date(1930, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["L", "P"])
serials = st.integers(min_value=1, max_value=9999)


@given(kec=kecamatan, born=births, sex=sexes, serial=serials)
def test_a_made_nik_parses_back_to_the_same_facts(kec, born, sex, serial):
    info = parse_nik(make_nik(kecamatan_code=kec, birth_date=born, sex=sex, serial=serial), today=TODAY)
    # Every birth since 1930 lies within the last 100 years of TODAY, so the century resolves exactly.
    assert info.birth_date == born
    assert (info.kecamatan, info.sex, info.serial) == (kec, sex, f"{serial:04d}")


@given(born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY), sex=sexes)
def test_the_year_resolves_to_the_latest_century_not_after_today(born, sex):
    resolved = parse_nik(make_nik(kecamatan_code="367101", birth_date=born, sex=sex, serial=1), today=TODAY).birth_date
    assert (resolved.day, resolved.month, resolved.year % 100) == (born.day, born.month, born.year % 100)
    assert resolved <= TODAY
    # One century later would be in the future (compared as tuples: 29 Feb may not exist then).
    assert (resolved.year + 100, resolved.month, resolved.day) > (TODAY.year, TODAY.month, TODAY.day)


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_any_sixteen_digits_either_parse_or_raise_nik_error(value):
    try:
        info = parse_nik(value, today=TODAY)
    except NikError as exc:
        assert exc.message
    else:
        assert info.nik == value
        assert info.sex in {"L", "P"}
        assert info.birth_date <= TODAY


@given(st.text(alphabet="0123456789", max_size=30).filter(lambda s: len(s) != 16))
def test_any_other_number_of_digits_raises_nik_error(value):
    with pytest.raises(NikError, match="16 digit"):
        parse_nik(value, today=TODAY)


@given(st.text(max_size=30))
def test_any_text_either_parses_or_raises_nik_error(value):
    # Whatever a user pastes, the form gets a NikError to show, never a crash.
    try:
        info = parse_nik(value, today=TODAY)
    except NikError as exc:
        assert exc.message
    else:
        assert len(info.nik) == 16


@given(
    digits=st.text(alphabet="0123456789", min_size=16, max_size=16),
    junk=st.characters(blacklist_categories=["Nd", "Zs", "Zl", "Zp", "Cc"], blacklist_characters=".-"),
    at=st.integers(min_value=0, max_value=16),
)
def test_sixteen_digits_with_any_other_character_raise_nik_error(digits, junk, at):
    with pytest.raises(NikError, match="16 digit"):
        parse_nik(digits[:at] + junk + digits[at:], today=TODAY)


@given(kec=kecamatan, born=births, sex=sexes, serial=serials)
def test_consistency_accepts_the_facts_of_the_nik_and_flags_only_the_other_sex(kec, born, sex, serial):
    nik = make_nik(kecamatan_code=kec, birth_date=born, sex=sex, serial=serial)
    assert check_nik_consistency(nik, birth_date=born, sex=sex) == []
    other = "P" if sex == "L" else "L"
    assert [field for field, _message in check_nik_consistency(nik, birth_date=born, sex=other)] == ["sex"]
