"""The field-visibility table: what each role sees of a person, and that a masked NIK cannot be rebuilt."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from pilar.accounts import visibility
from pilar.accounts.models import Role
from pilar.accounts.visibility import TABLE, Level, Subject, visibility_for
from pilar.identity.nik import make_nik, parse_nik
from tests.factories import user_with_role

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def nik_candidates(masked: str, sex: str, shown_birth: Level, born: date, today: date) -> int:
    """How many valid NIKs fit a masked NIK and what else the row shows of the birth date (sex always shows)."""
    if shown_birth == Level.FULL:
        days = [born]
    elif shown_birth == Level.AGE:
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        first = date(today.year - age - 1, today.month, today.day) + timedelta(days=1)
        last = date(today.year - age, today.month, today.day)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    else:
        days = [date(1930, 1, 1) + timedelta(days=n) for n in range(0, 365 * 90, 7)]  # a sample: plenty
    kecamatan = [f"{n:02d}" for n in range(1, 14)]  # only the city's 13 kecamatan, the attacker's best case
    candidates = {
        make_nik(kecamatan_code=masked[:4] + k, birth_date=d, sex=sex, serial=int(masked[-4:]))
        for k in kecamatan
        for d in days
    }
    return len(candidates)


@pytest.mark.parametrize(
    ("subject", "role"), [(s, r) for s, rows in TABLE.items() for r, row in rows.items() if row["nik"] == Level.MASKED]
)
def test_no_role_sees_enough_to_rebuild_a_masked_nik(subject, role):
    born, today = date(1958, 6, 17), date(2026, 3, 1)
    nik = make_nik(kecamatan_code="36.71.05", birth_date=born, sex="P", serial=12)
    level = TABLE[subject][role]["birth_date"]
    assert parse_nik(nik).birth_date == born
    # With the whole birth date only the 13 kecamatan codes would be left to try.
    assert nik_candidates(nik[:4] + "********" + nik[-4:], "P", level, born, today) >= 365


def test_a_table_showing_the_birth_date_beside_a_masked_nik_is_refused():
    leaky = {Subject.PPKS: {Role.PSM: visibility._row(name=Level.FULL, nik=Level.MASKED, birth_date=Level.FULL)}}
    with pytest.raises(ValueError, match="rebuilt"):
        visibility._check(leaky)


def test_a_level_a_field_cannot_take_is_refused():
    with pytest.raises(ValueError, match="cannot be"):
        visibility._check({Subject.PPKS: {Role.PSM: visibility._row(phone=Level.MASKED)}})


def test_every_role_has_a_row_for_every_subject():
    for rows in TABLE.values():
        assert set(Role.values) <= set(rows)


def test_the_document_carries_the_table_as_the_code_has_it():
    text = DOC.read_text(encoding="utf-8")
    start, end = "<!-- visibility-table:start -->", "<!-- visibility-table:end -->"
    assert text.split(start)[1].split(end)[0].strip() == visibility.render_markdown().strip()


def test_records_give_each_field_a_purpose_for_the_processing_record():
    rows = visibility.records()
    assert {r["subject"] for r in rows} == {s.value for s in Subject}
    assert all(r["purpose"] and r["levels"] for r in rows)
    assert any(r["specific"] for r in rows)


def test_tksk_sees_whole_nik_only_inside_its_kecamatan(tksk_a):
    class Record:
        def __init__(self, area):
            self.area = area

        def scope_area(self):
            return self.area

    kecamatan = tksk_a.role_assignments.get().region_id
    inside = visibility_for(tksk_a, Record((kecamatan, None)))
    outside = visibility_for(tksk_a, Record((kecamatan + 999, None)))
    nik = "3671015806580012"
    assert inside.nik(nik) == nik and inside.address("Jl. Melati 1") == "Jl. Melati 1"
    assert outside.nik(nik) is None and outside.address("Jl. Melati 1") == "" and outside.name("Siti") == "Siti"


def test_roles_add_up_field_by_field(city):
    from tests.conftest import KEL_A

    user = user_with_role("psm.and.head", Role.PSM, region_code=KEL_A)
    user.role_assignments.create(role=Role.PIMPINAN, valid_from=date(2020, 1, 1))
    view = visibility_for(user)
    assert view.level("name") == Level.FULL  # from PSM, more than Pimpinan's initials
    assert view.level("nik") == Level.MASKED and view.level("birth_date") == Level.AGE


def test_psm_sees_an_age_not_a_birth_date(psm_a):
    view = visibility_for(psm_a)
    born = date(1950, 3, 4)
    assert view.birth_date(born) is None and view.age(born, today=date(2026, 3, 3)) == 75
    assert view.display("birth_date", born).endswith("tahun")


def test_head_of_office_sees_initials_and_nothing_else_personal(pimpinan):
    view = visibility_for(pimpinan)
    assert view.name("Siti Rahayu") == "S*** R***"
    assert view.age(date(1950, 3, 4)) is None and view.rt_rw("003") == "" and view.phone("0812") == ""
    assert view.nik("3671015806580012") == "3671********0012"


def test_specific_category_notes_are_hidden_from_psm_but_not_other_notes(psm_a):
    view = visibility_for(psm_a)
    assert view.notes("positif HIV sejak 2019", "PPKS-16") == ""
    assert view.notes("rumah bocor", "PPKS-24") == "rumah bocor"


@pytest.mark.parametrize(
    ("perm", "subject", "key"),
    [
        ("registry.view_personal", Subject.PPKS, "nik"),
        ("workers.view_personal", Subject.WORKER, "nik"),
        ("complaints.view_personal", Subject.COMPLAINT, "address"),
    ],
)
def test_the_older_personal_permissions_say_what_the_table_says(perm, subject, key):
    from pilar.accounts.permissions import ROLE_PERMS, Perm

    for role, perms in ROLE_PERMS.items():
        assert (Perm(perm) in perms) == (TABLE[subject][role][key] == Level.FULL), role
