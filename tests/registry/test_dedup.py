"""Fuzzy duplicate detection: scoring, scans, merge and "bukan duplikat", and the review pages."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.registry.dedup import services
from pilar.registry.dedup.blocking import match_tokens, name_key
from pilar.registry.dedup.engine import find_pairs, prepare
from pilar.registry.dedup.scoring import THRESHOLD, reasons, score
from pilar.registry.dedup.tasks import scan_duplicates_task
from pilar.registry.models import DuplicateCandidate, HouseholdMember, ImportJob
from tests.conftest import KEL_A, KEL_B
from tests.registry.makers import household_in, person_in, propose

BORN = date(1980, 3, 5)


def one(name, born=BORN, *, pid=1, sex="L", area=1, nik=None):
    return prepare(pid, nik, None, name, sex, born, area)


# --- names and scoring (no database) ---


@pytest.mark.parametrize("variant", ["Muhammad", "Muhamad", "Mohammad", "Moh.", "Muh.", "Mhd.", "M.", "MOCH"])
def test_muhammad_spellings_are_one_token(variant):
    assert match_tokens(f"{variant} Rizki Pratama") == ("muhammad", "rizki", "pratama")


def test_name_key_ignores_spaces_and_a_missing_muhammad():
    assert name_key(match_tokens("Muhammad Rizki Pratama")) == name_key(match_tokens("RizkiPratama"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Rizki", "M. Rizki"),
        ("Muhammad Rizki", "Moh. Rizki"),
        ("Hj. Siti Aminah, S.Pd.", "SITI AMINAH"),
        ("H. Ahmad Fauzi", "Haji Ahmad Fauzi"),
        ("Siti Aminah", "SitiAminah"),
        ("Budi Santoso", "Budi Snatoso"),
    ],
)
def test_variants_of_one_name_score_as_candidates(a, b):
    assert score(one(a), one(b, pid=2)) >= THRESHOLD


def test_day_month_swap_scores_as_candidate_and_says_so():
    a, b = one("Budi Santoso", date(1980, 3, 5)), one("Budi Santoso", date(1980, 5, 3), pid=2)
    assert score(a, b) >= THRESHOLD
    assert "Tanggal dan bulan lahir tertukar" in reasons(a, b)


def test_different_people_with_one_birth_date_are_not_candidates():
    assert score(one("Budi Santoso"), one("Budi Hartono", pid=2)) < THRESHOLD
    assert score(one("Budi Santoso"), one("Budi Santoso", date(1975, 3, 5), pid=2)) < THRESHOLD


def test_different_valid_niks_are_strong_evidence_against():
    a = one("Budi Santoso", nik=make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1))
    b = one("Budi Santoso", pid=2, nik=make_nik(kecamatan_code="367205", birth_date=BORN, sex="L", serial=1))
    assert score(a, b) < THRESHOLD
    assert "NIK berbeda: kemungkinan besar dua orang" in reasons(a, b)


def test_same_nik_is_certain():
    nik = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1)
    assert score(one("Budi", nik=nik), one("Joko", date(1990, 1, 1), pid=2, nik=nik)) == 1.0


def test_engine_finds_swapped_and_variant_pairs_and_nothing_else():
    persons = [
        one("Muhammad Rizki", pid=1),
        one("M. Rizki", pid=2),
        one("Dewi Lestari", date(1990, 4, 7), pid=3, sex="P"),
        one("Dewi Lestari", date(1990, 7, 4), pid=4, sex="P"),
        one("Joko Widodo", date(1961, 6, 21), pid=5),
    ]
    assert {(a, b) for a, b, _s in find_pairs(persons)} == {(1, 2), (3, 4)}


# --- scans and decisions (database) ---


@pytest.fixture
def twins(city):
    """One person entered twice in kelurahan A: once with a NIK, once without, the name spelled otherwise."""
    a = person_in(KEL_A, name="Muhammad Rizki Pratama", sex="L", birth_date=BORN)
    b = person_in(KEL_A, name="Moh. Rizki Pratama", sex="L", birth_date=BORN, nik=None)
    return a, b


def test_scan_proposes_the_pair_with_its_area_and_audit(twins):
    assert services.duplicates_scan(actor=None) == 1
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.person_a_id, candidate.person_b_id) == tuple(sorted(p.pk for p in twins))
    assert candidate.kelurahan.code == KEL_A and candidate.kecamatan.code == "36.71.01"
    assert candidate.status == DuplicateCandidate.Status.OPEN and candidate.score >= THRESHOLD
    assert candidate.reasons and AuditEntry.objects.filter(action="registry.duplicate.proposed").count() == 1
    assert services.duplicates_scan(actor=None) == 0  # an open pair is not stored twice


def test_scan_around_given_persons_only(twins, city):
    other_a = person_in(KEL_B, name="Dewi Lestari", sex="P", birth_date=date(1990, 4, 7))
    person_in(KEL_B, name="Dewi Lestari", sex="P", birth_date=date(1990, 4, 7), nik=None)
    assert services.duplicates_scan(actor=None, person_ids=[other_a.pk]) == 1
    assert DuplicateCandidate.objects.get().person_a_id == other_a.pk


def test_bukan_duplikat_is_not_proposed_again(twins, operator):
    services.duplicates_scan(actor=None)
    candidate = DuplicateCandidate.objects.get()
    services.duplicate_mark_distinct(candidate=candidate, actor=operator)
    assert services.duplicates_scan(actor=None) == 0
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISTINCT and candidate.decided_by == operator
    with pytest.raises(DomainError):
        services.duplicate_mark_distinct(candidate=candidate, actor=operator)


def test_merge_moves_records_and_membership_and_keeps_history(twins, operator, psm_a):
    kept, dropped = twins
    record = propose(psm_a, person=dropped)
    household = household_in(KEL_A, actor=operator)
    HouseholdMember.objects.create(household=household, person=dropped, relationship="anak")
    services.duplicates_scan(actor=None)
    candidate = DuplicateCandidate.objects.get()

    services.duplicate_merge(candidate=candidate, actor=operator, keep=kept)

    record.refresh_from_db()
    candidate.refresh_from_db()
    assert record.person_id == kept.pk
    assert HouseholdMember.objects.get(household=household, person=kept).until is None
    assert not HouseholdMember.objects.filter(person=dropped).exists()
    assert candidate.status == DuplicateCandidate.Status.MERGED
    entry = AuditEntry.objects.get(action="registry.person.merged")
    assert entry.object_id == str(dropped.pk) and entry.data["kept"] == kept.pk
    assert Person.objects.filter(pk=dropped.pk).exists()  # kept, marked by the audit entry
    # The merged person is never proposed again, not even against a new look-alike.
    newcomer = person_in(KEL_A, name="Muhamad Rizki Pratama", sex="L", birth_date=BORN, nik=None)
    assert services.duplicates_scan(actor=None) == 1
    assert DuplicateCandidate.objects.filter(Q(person_a=dropped) | Q(person_b=dropped)).get() == candidate
    assert DuplicateCandidate.objects.filter(person_a=kept, person_b=newcomer).exists()


def test_merge_takes_the_nik_of_the_merged_person(twins, operator):
    with_nik, without = twins
    services.duplicates_scan(actor=None)
    services.duplicate_merge(candidate=DuplicateCandidate.objects.get(), actor=operator, keep=without)
    without.refresh_from_db()
    with_nik_nik = Person.objects.get(pk=with_nik.pk).nik
    assert without.nik is not None and with_nik_nik is None


def test_merge_keeps_one_current_household(twins, operator):
    kept, dropped = twins
    home = household_in(KEL_A, actor=operator)
    HouseholdMember.objects.create(household=home, person=kept, relationship="anak")
    other = household_in(KEL_A, actor=operator)
    HouseholdMember.objects.create(household=other, person=dropped, relationship="anak")
    services.duplicates_scan(actor=None)
    services.duplicate_merge(candidate=DuplicateCandidate.objects.get(), actor=operator, keep=kept)
    assert HouseholdMember.objects.filter(person=kept, until__isnull=True).get().household == home
    assert HouseholdMember.objects.get(person=kept, household=other).until is not None


def test_two_persons_with_different_niks_are_never_merged(city, operator):
    a = person_in(KEL_A, name="Budi Santoso", sex="L", birth_date=BORN)
    b = person_in(KEL_A, name="Budi Santoso", sex="L", birth_date=BORN)
    assert a.nik != b.nik
    low, high = sorted((a, b), key=lambda p: p.pk)
    candidate = DuplicateCandidate.objects.create(person_a=low, person_b=high, score="0.900", reasons=[])
    with pytest.raises(DomainError) as exc:
        services.duplicate_merge(candidate=candidate, actor=operator, keep=a)
    assert exc.value.code == "different_nik"
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN
    assert not AuditEntry.objects.filter(action="registry.person.merged").exists()


def test_task_and_command_scan_the_registry(twins, capsys):
    result = scan_duplicates_task.enqueue()
    assert result.return_value == 1
    call_command("find_duplicates")
    out = capsys.readouterr().out
    assert "0 kandidat baru" in out and "1 kandidat terbuka" in out


# --- review pages ---


@pytest.fixture
def candidate(twins):
    services.duplicates_scan(actor=None)
    return DuplicateCandidate.objects.get()


def test_review_pages_need_login(client, candidate):
    for url in (reverse("registry_dedup:list"), reverse("registry_dedup:detail", args=[candidate.pk])):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("persona", ["psm_a", "tksk_a", "pimpinan"])
def test_reviewing_needs_the_dedup_permission(client, candidate, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("registry_dedup:list")).status_code == 403
    assert client.get(reverse("registry_dedup:detail", args=[candidate.pk])).status_code == 403
    url = reverse("registry_dedup:distinct", args=[candidate.pk])
    assert client.post(url).status_code == 403


def test_out_of_area_candidate_answers_404(client, candidate, psm_b):
    client.force_login(psm_b)
    assert client.get(reverse("registry_dedup:detail", args=[candidate.pk])).status_code == 404
    assert client.post(reverse("registry_dedup:merge", args=[candidate.pk]), {"keep": "a"}).status_code == 404


def test_operator_reviews_and_merges(client, candidate, operator):
    client.force_login(operator)
    listing = client.get(reverse("registry_dedup:list"))
    assert listing.status_code == 200 and "Rizki" in listing.content.decode()
    detail = client.get(reverse("registry_dedup:detail", args=[candidate.pk]))
    assert detail.status_code == 200
    assert candidate.person_a.nik in detail.content.decode()  # the operator may see whole NIKs
    assert client.post(reverse("registry_dedup:merge", args=[candidate.pk]), {}).status_code == 400
    response = client.post(reverse("registry_dedup:merge", args=[candidate.pk]), {"keep": "a"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED


def test_operator_marks_bukan_duplikat(client, candidate, operator):
    client.force_login(operator)
    assert client.post(reverse("registry_dedup:distinct", args=[candidate.pk])).status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISTINCT
    # Decided already: the second click is refused and says so.
    assert client.post(reverse("registry_dedup:distinct", args=[candidate.pk])).status_code == 400


def test_refused_merge_shows_the_reason(client, city, operator):
    a = person_in(KEL_A, name="Budi Santoso", sex="L", birth_date=BORN)
    b = person_in(KEL_A, name="Budi Santoso", sex="L", birth_date=BORN)
    low, high = sorted((a, b), key=lambda p: p.pk)
    pair = DuplicateCandidate.objects.create(person_a=low, person_b=high, score="0.900", reasons=[])
    client.force_login(operator)
    response = client.post(reverse("registry_dedup:merge", args=[pair.pk]), {"keep": "a"})
    assert response.status_code == 400 and "NIK berbeda" in response.content.decode()


def test_scan_around_a_person_uses_the_full_scans_keys(twins, city):
    # A placeholder date and another spelling: neither the exact name nor the (swapped) date is shared.
    stored = person_in(KEL_B, name="Djoko Santoso", sex="L", birth_date=date(1962, 8, 17))
    new = person_in(KEL_B, name="Joko Santoso", sex="L", birth_date=date(1962, 1, 1), nik=None)
    assert services.duplicates_scan(actor=None, person_ids=[new.pk]) == 1
    assert (DuplicateCandidate.objects.get().person_a_id, DuplicateCandidate.objects.get().person_b_id) == (
        stored.pk,
        new.pk,
    )


def test_merge_moves_the_merged_persons_other_pairs_to_the_kept_person(twins, city, operator):
    kept, dropped = twins
    third = person_in(KEL_A, name="Rizki Pratama", sex="L", birth_date=BORN, nik=None)
    services.duplicates_scan(actor=None)
    pairs = {(c.person_a_id, c.person_b_id): c for c in DuplicateCandidate.objects.all()}
    assert set(pairs) == {(kept.pk, dropped.pk), (kept.pk, third.pk), (dropped.pk, third.pk)}
    # The kept person's own pair with the third was dismissed: that decision stands.
    services.duplicate_mark_distinct(candidate=pairs[(kept.pk, third.pk)], actor=operator)
    fourth = person_in(KEL_A, name="M. Rizky Pratama", sex="L", birth_date=BORN, nik=None)
    low, high = sorted((dropped.pk, fourth.pk))
    moved = DuplicateCandidate.objects.create(person_a_id=low, person_b_id=high, score="0.800", reasons=[])

    services.duplicate_merge(candidate=pairs[(kept.pk, dropped.pk)], actor=operator, keep=kept)

    assert not DuplicateCandidate.objects.filter(pk=pairs[(dropped.pk, third.pk)].pk).exists()
    moved.refresh_from_db()
    assert (moved.person_a_id, moved.person_b_id, moved.status) == (kept.pk, fourth.pk, "terbuka")
    assert moved.score >= THRESHOLD and moved.reasons
    assert AuditEntry.objects.get(action="registry.person.merged").data["repointed"] == [moved.pk]


def test_merge_leaves_one_open_record_per_category_and_keeps_the_other_with_its_history(twins, operator, psm_a):
    from pilar.registry.models import PpksRecord

    kept, dropped = twins
    older = propose(psm_a, person=kept)
    newer = propose(psm_a, person=dropped)  # the same category, proposed again under the duplicate
    services.duplicates_scan(actor=None)

    services.duplicate_merge(candidate=DuplicateCandidate.objects.get(), actor=operator, keep=kept)

    open_records = PpksRecord.objects.open().filter(person=kept, category=older.category)
    assert list(open_records) == [older]
    newer.refresh_from_db()
    assert (newer.person_id, newer.status, newer.duplicate_of_id) == (kept.pk, "ditolak", older.pk)
    assert list(newer.events.values_list("action", flat=True)) == ["proposed", "merged_closed"]
    assert AuditEntry.objects.filter(action="registry.ppks.merged_closed", object_id=str(newer.pk)).exists()


def test_a_nik_one_digit_or_two_neighbours_apart_still_meets_its_twin():
    nik = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1)
    typo, swap = nik[:5] + "4" + nik[6:], nik[:2] + nik[3] + nik[2] + nik[4:]
    persons = [
        prepare(1, nik, None, "Budi Santoso", "L", BORN, 1),
        prepare(2, typo, None, "Budi Santosa", "L", date(1980, 1, 1), 1),  # typo in name, placeholder date
        prepare(3, swap, None, "Santoso Budi", "L", None, 1),  # reversed, no date
    ]
    assert {(a, b) for a, b, _s in find_pairs(persons)} >= {(1, 2), (1, 3)}
    assert "NIK hampir sama (satu angka salah ketik atau dua angka tertukar)" in reasons(persons[0], persons[1])


@pytest.mark.parametrize(
    ("a", "b", "born_b"),
    [
        ("Djoko Susilo", "Joko Susilo", BORN),
        ("Soeharto", "Suharto", BORN),
        ("Nurhayati", "Nur Hayati", BORN),
        ("Siti Aminah", "Aminah Siti", BORN),
        ("Drs. Ahmad Fauzi, S.Pd.", "Ahmad Fauzi", date(1981, 3, 5)),  # year one off
        ("Tjahja Kurnia", "Cahya Kurnia", date(1980, 1, 1)),  # only the year known
    ],
)
def test_office_variants_are_found(a, b, born_b):
    assert find_pairs([prepare(1, None, None, a, "L", BORN, 1), prepare(2, None, None, b, "L", born_b, 1)])


def test_twins_in_one_kk_are_not_proposed():
    kk = "3671010101200001"
    first = make_nik(kecamatan_code="367101", birth_date=BORN, sex="P", serial=1)
    second = make_nik(kecamatan_code="367101", birth_date=BORN, sex="P", serial=2)
    twins = [prepare(1, first, kk, "Rina Wati", "P", BORN, 1), prepare(2, second, kk, "Rini Wati", "P", BORN, 1)]
    assert find_pairs(twins) == []


def test_a_placeholder_birth_date_is_read_from_the_nik():
    nik = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1)
    typo = nik[:3] + "8" + nik[4:]  # region digit mistyped, date digits intact
    stored = prepare(2, typo, None, "Budi", "L", date(1980, 1, 1), 1)
    assert stored.born == BORN.toordinal()
    assert find_pairs([prepare(1, nik, None, "Budi Santoso", "L", BORN, 1), stored])


def test_a_nik_of_another_year_does_not_move_a_placeholder_date():
    nik = make_nik(kecamatan_code="367101", birth_date=date(1981, 3, 5), sex="L", serial=1)
    assert prepare(1, nik, None, "Budi", "L", date(1980, 1, 1), 1).born == date(1980, 1, 1).toordinal()


def test_a_first_name_slip_in_one_kk_is_not_taken_for_twins():
    kk = "3671010101200001"
    nik = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1)
    again = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=2)
    copy = [prepare(1, nik, kk, "Bambang Wijaya", "L", BORN, 1), prepare(2, again, kk, "Bmbang Wijaya", "L", BORN, 1)]
    assert find_pairs(copy)


def test_two_niks_on_two_kks_are_two_people():
    a = make_nik(kecamatan_code="367101", birth_date=BORN, sex="P", serial=1)
    b = make_nik(kecamatan_code="367101", birth_date=BORN, sex="P", serial=2)
    pair = [
        prepare(1, a, "3671010101200001", "Nining", "P", BORN, 1),
        prepare(2, b, "3671010101200002", "Nining Ramadhan", "P", BORN, 1),
    ]
    assert find_pairs(pair) == []


def test_a_dropped_middle_name_with_a_slip_is_found():
    pair = [
        prepare(1, None, None, "Sujono Abdullah Tukiman", "L", BORN, 1),
        prepare(2, None, None, "Sujono Tukimann", "L", BORN, 2),
    ]
    assert find_pairs(pair)


def test_scan_after_import_covers_persons_the_import_created_without_a_ppks_record(twins, city, operator):
    from django.utils import timezone

    from pilar.registry.dedup.tasks import scan_after_import_task
    from pilar.registry.models import ImportJob

    before = person_in(KEL_B, name="Siti Nurhayati", sex="P", birth_date=date(1975, 6, 2))
    started = timezone.now()
    member = person_in(KEL_B, name="Siti Nur Hayati", sex="P", birth_date=date(1975, 6, 2), nik=None)  # no record
    job = ImportJob.objects.create(
        user=operator,
        file_name="kk.csv",
        checksum="0" * 64,
        mode="valid-rows",
        status="selesai",
        created_count=1,
        started_at=started,
        finished_at=timezone.now(),
    )

    assert scan_after_import_task.enqueue(job.pk).return_value == 1
    pair = DuplicateCandidate.objects.get()
    assert (pair.person_a_id, pair.person_b_id) == (before.pk, member.pk)  # the twins were not in the job


# --- end to end: an office file with the usual mistakes, through the importer and the scan after it ---


OFFICE_HEADER = ["NO", "NIK", "NAMA", "L/P", "TGL LAHIR", "DESA/KELURAHAN", "JENIS PPKS"]


def _nik(born: date, sex: str, serial: int) -> str:
    return make_nik(kecamatan_code="367101", birth_date=born, sex=sex, serial=serial)


# (registered name, sex, born, the same person as a second office entered them: name, NIK, birth date as written)
OFFICE_MISTAKES = [
    ("Siti Aminah", "P", date(1962, 3, 5), "Hj. SITI AMINAH, S.Pd.", "", "05-03-1962"),  # titles, no NIK
    ("Budi Santoso", "L", date(1958, 4, 9), "Budi Snatoso", "", "09/04/1958"),  # one-letter typo
    ("Dewi Lestari", "P", date(1961, 4, 7), "Dewi Lestari", "", "04-07-1961"),  # day and month swapped
    ("Rahmat Hidayat", "L", date(1959, 8, 17), "HIDAYAT RAHMAT", "", "17 Agustus 1959"),  # name order
    ("Muhammad Yusuf", "L", date(1955, 2, 1), "Moh. Yusuf", "", "00-00-1955"),  # Moh., unknown day and month
    ("Nurhayati", "P", date(1957, 11, 23), "Nur Hayati", "", "1957"),  # split name, only the year
    ("Ahmad Fauzi", "L", date(1960, 6, 12), "H. Ahmad Fauzi", "typo", "12-06-1960"),  # H., one NIK digit off
    ("Djoko Susilo", "L", date(1956, 9, 30), "Joko Susilo", "", "30-09-1956"),  # old spelling dj/j
]


def test_an_office_file_with_the_usual_mistakes_meets_the_registered_persons(city, operator, tmp_path):
    import csv

    from pilar.registry.dedup.tasks import scan_after_import_task
    from pilar.registry.importer import import_file

    def write(name, rows):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerows([["DAFTAR LANJUT USIA TELANTAR KELURAHAN SUKARASA"], [], OFFICE_HEADER, *rows])
        return path

    registered, copies = [], []
    for serial, (name, sex, born, copy_name, copy_nik, written) in enumerate(OFFICE_MISTAKES, start=1):
        nik = _nik(born, sex, serial)
        registered.append([serial, nik, name, sex, born.strftime("%d-%m-%Y"), "Kel. Sukarasa", "Lansia Terlantar"])
        typo = nik[:-1] + str((int(nik[-1]) + 1) % 10) if copy_nik == "typo" else copy_nik  # the serial, mistyped
        copies.append([serial, typo, copy_name, sex, written, "SUKARASA", "Lanjut Usia Telantar"])
    copies.append([99, "", "Suparman", "L", "09-04-1958", "Sukarasa", "Lanjut Usia Telantar"])  # a stranger, same day
    first = import_file(write("terdaftar.csv", registered), user=operator, mode=ImportJob.Mode.ALL_OR_NOTHING)
    assert (first.status, first.created_count) == ("selesai", len(OFFICE_MISTAKES)), first.message
    second = import_file(write("kelurahan.csv", copies), user=operator, mode=ImportJob.Mode.ALL_OR_NOTHING)
    assert (second.status, second.created_count, second.error_count) == ("selesai", len(copies), 0), second.message
    scan_after_import_task.enqueue(second.pk)

    def by_row(job):  # the sheet's data rows start under the title, a blank row and the header (row 4)
        return list(Person.objects.filter(source_import=job.pk).order_by("source_row").values_list("pk", "name"))

    pairs = {tuple(sorted((a[0], b[0]))): (a[1], b[1]) for a, b in zip(by_row(first), by_row(second), strict=False)}
    found = {(c.person_a_id, c.person_b_id): c.reasons for c in DuplicateCandidate.objects.all()}
    assert set(found) == set(pairs), [pairs.get(pair, pair) for pair in set(found) ^ set(pairs)]
    swapped = next(pair for pair, names in pairs.items() if names == ("Dewi Lestari", "Dewi Lestari"))
    assert "Tanggal dan bulan lahir tertukar" in found[swapped]


# --- office mistakes found on the independent benchmark data (bench/dedup_office.py), 2026-12-07 ---

KK = "3671010101200001"


def _kk_pair(name_a, name_b, *, nik_a=True, nik_b=True, born_b=BORN, area_b=1, sex="L"):
    """Two entries on one KK: the first with serial 1, the second (if any NIK) with serial 2."""
    first = make_nik(kecamatan_code="367101", birth_date=BORN, sex=sex, serial=1) if nik_a else None
    second = make_nik(kecamatan_code="367101", birth_date=BORN, sex=sex, serial=2) if nik_b else None
    return [prepare(1, first, KK, name_a, sex, BORN, 1), prepare(2, second, KK, name_b, sex, born_b, area_b)]


def test_a_nik_with_a_mistyped_region_meets_a_reissued_one_in_the_same_kelurahan():
    original = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1)
    slipped = original[:4] + "10" + original[6:]  # the kecamatan digits exchanged
    reissued = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=2)
    pair = [
        prepare(1, reissued, None, "Budi Santoso", "L", BORN, 1),
        prepare(2, slipped, None, "BUDI SANTOSO", "L", BORN, 1),
    ]
    assert {(a, b) for a, b, _s in find_pairs(pair)} == {(1, 2)}
    said = "NIK berbeda pada kode wilayah (mungkin salah ketik); tanggal lahir dan kelamin di NIK cocok"
    assert said in reasons(*pair)


def test_niks_a_region_slip_apart_in_two_kelurahan_without_one_kk_stay_two_people():
    a = make_nik(kecamatan_code="367104", birth_date=BORN, sex="L", serial=2)
    b = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1)  # the neighbouring kecamatan
    pair = [prepare(1, a, None, "Budi Santoso", "L", BORN, 1), prepare(2, b, None, "Budi Santoso", "L", BORN, 2)]
    assert find_pairs(pair) == []
    assert "NIK berbeda: kemungkinan besar dua orang" in reasons(*pair)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Agus Purnama", "AGUSPUNAMA"),  # joined, with a slip
        ("Yayan Lubis", "Yayanloebis"),  # joined, in the old spelling
        ("Ani Aisyah Yayan", "AISSYAH YAYAN"),  # a word dropped, with a slip
        ("Wahyudi Susanto", "SUSANTP WAHYUDI"),  # reversed, with a slip
        ("Muhammad Slamet Wijaya", "Muhammad Slamrt Wijaya"),  # a slip after Muhammad
        ("Sugeng Riyadi", "Sugenh Riyadi"),  # the final letter, a keyboard neighbour
        ("Sri Bambang", "SI BAMBANG"),  # a letter dropped from a short first name
        ("Raina Mangunsong", "Raina Mangunsonl"),  # one given name, the slip in the family name
        ("Cagak Prastuti", "Cagam Prastuti"),  # a final consonant typed for another
    ],
)
def test_a_copy_in_one_kk_with_a_slip_is_not_taken_for_twins(a, b):
    assert {(x, y) for x, y, _s in find_pairs(_kk_pair(a, b))} == {(1, 2)}


@pytest.mark.parametrize(("a", "b"), [("Rina Wati", "Rini Wati"), ("Muhammad Rizki", "Muhammai Rizki")])
def test_twins_named_by_a_changed_final_letter_are_still_apart(a, b):
    assert find_pairs(_kk_pair(a, b, sex="P")) == []


def test_a_copy_without_nik_in_one_kk_with_a_final_vowel_slip_is_found():
    assert find_pairs(_kk_pair("Riyadi Sukarno", "RIYADO SUKARNO", nik_b=False))


def test_a_short_name_one_slip_off_in_one_kk_and_on_one_birth_date_is_found():
    assert find_pairs(_kk_pair("Sri", "Sti", nik_b=False, sex="P"))
    assert find_pairs(_kk_pair("Nur", "Nut", nik_a=False, sex="P"))


def test_short_names_one_slip_off_outside_one_kk_stay_apart():
    pair = [prepare(1, None, None, "Sri", "P", BORN, 1), prepare(2, None, None, "Sti", "P", BORN, 1)]
    assert find_pairs(pair) == []


def test_a_slip_that_the_spelling_key_makes_two_still_counts_as_one():
    assert score(one("Bayu"), one("Bsyu", pid=2)) >= THRESHOLD


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("Ust. Dian Wijaya", ("dian", "wijaya")),
        ("KYAI Abdullah", ("abdullah",)),
        ("Moehammad Rahmat", ("muhammad", "rahmat")),
        ("Ust", ("ust",)),  # alone it is the name
    ],
)
def test_matching_drops_short_religious_titles_and_reads_old_spellings_of_muhammad(name, tokens):
    assert match_tokens(name) == tokens


def test_a_final_vowel_slip_in_one_kk_with_a_mistyped_nik_serial_is_no_twin():
    pair = _kk_pair("Rina Rohayati", "Rini Rohayati", sex="P")
    mistyped = pair[0].nik[:13] + "8" + pair[0].nik[14:]  # serial 0001 typed 0081: twins' serials are 1 apart
    assert find_pairs([pair[0], pair[1]._replace(nik=mistyped)])


# --- a million persons: namesakes grow with the registry (bench/dedup.py --false, 2026-12-07) ---


def test_a_copy_without_nik_is_proposed_with_its_own_record_not_beside_a_namesake_born_that_day():
    registered = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1)
    namesake = make_nik(kecamatan_code="367104", birth_date=BORN, sex="L", serial=1)
    persons = [
        prepare(1, registered, "3671010101200001", "Budi Santoso", "L", BORN, 1),
        prepare(2, None, None, "BUDI SANTOSO", "L", BORN, 1),  # the copy, typed without NIK and KK
        prepare(3, namesake, "3671040101200007", "Budi Santoso", "L", BORN, 2),  # a stranger in another kelurahan
    ]
    assert {(a, b) for a, b, _s in find_pairs(persons)} == {(1, 2)}


def test_three_entries_of_one_person_are_all_proposed_though_one_copy_is_weaker():
    registered = make_nik(kecamatan_code="367101", birth_date=BORN, sex="L", serial=1)
    persons = [
        prepare(1, registered, "3671010101200001", "Budi Santoso", "L", BORN, 1),
        prepare(2, None, None, "BUDI SANTOSO", "L", BORN, 1),
        prepare(3, None, None, "Budi Snatoso", "L", date(1980, 1, 1), 1),  # a slip, only the year known
    ]
    assert {(a, b) for a, b, _s in find_pairs(persons)} == {(1, 2), (1, 3), (2, 3)}


def _registered(pid, name, born, serial, *, kel=1, sex="P"):
    nik = make_nik(kecamatan_code="367101", birth_date=born, sex=sex, serial=serial)
    return prepare(pid, nik, f"36710101012{pid:05d}", name, sex, born, kel)


def test_a_record_without_nik_date_or_kk_that_matches_three_namesakes_alike_is_proposed_with_none():
    namesakes = [_registered(i, "Endang", date(1950 + i, 3, 5), i) for i in (1, 2, 3)]
    copy = prepare(9, None, None, "ENDANG", "P", None, 1)
    assert find_pairs([*namesakes, copy]) == []
    assert {(a, b) for a, b, _s in find_pairs([namesakes[0], copy])} == {(1, 9)}  # alone, it is proposed
