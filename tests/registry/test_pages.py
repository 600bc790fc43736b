"""The PPKS registry pages as the office uses them: list, detail and timeline, proposal, the verval steps."""

import itertools
import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilar.audit.models import PersonalDataAccess
from pilar.identity.models import Person, Sex
from pilar.identity.nik import make_nik, mask_nik
from pilar.registry import services
from pilar.registry.models import Category, PpksEvent, PpksRecord, Relationship
from tests.conftest import KEC_A, KEL_A, KEL_A2, KEL_B
from tests.factories import region

LIST = reverse("registry:ppks_list")
PROPOSE = reverse("registry:ppks_propose")
ELDERLY = "PPKS-08"  # Lanjut Usia Telantar: a category for one person
POOR_FAMILY = "PPKS-24"  # Fakir Miskin: a category for a household
_serials = itertools.count(5001)


# --- data through the services, as the pages and the API make it --------------------------------


def make_person(
    kelurahan: str = KEL_A, *, name: str = "Mak Ijah", born: date = date(1948, 5, 9), sex: str = Sex.FEMALE
):
    nik = make_nik(kecamatan_code=kelurahan[:8], birth_date=born, sex=sex, serial=next(_serials))
    data = services.PersonData(name=name, sex=sex, nik=nik, birth_date=born, village=region(kelurahan))
    return services.person_create(actor=None, data=data)


def make_record(actor, *, kelurahan: str = KEL_A, category: str = ELDERLY, person=None, household=None):
    if person is None and household is None:
        person = make_person(kelurahan)
    return services.ppks_propose(
        actor=actor,
        category=Category.objects.get(code=category),
        kelurahan=region(kelurahan),
        source="psm",
        person=person,
        household=household,
    )


def make_household(kelurahan: str = KEL_A):
    head, child = make_person(kelurahan, name="Pak Darto", sex=Sex.MALE), make_person(kelurahan, name="Sri")
    kk = f"{kelurahan[:8].replace('.', '')}{next(_serials) + 1_200_000_000:010d}"
    members = [(head, Relationship.HEAD), (child, Relationship.CHILD)]
    return services.household_create(actor=None, kk_number=kk, kelurahan=region(kelurahan), members=members)


def html(answer) -> str:
    return answer.content.decode()


def detail(record) -> str:
    return reverse("registry:ppks_detail", args=[record.pk])


def act(record, name: str) -> str:
    return reverse(f"registry:ppks_{name}", args=[record.pk])


def shown_records(answer) -> set[int]:
    return {row["record"].pk for row in answer.context["rows"]}


# --- list ---------------------------------------------------------------------------------------


def test_psm_list_shows_only_its_kelurahan_with_masked_niks(client, psm_a, operator):
    mine, neighbour, far = (
        make_record(psm_a),
        make_record(operator, kelurahan=KEL_A2),
        make_record(operator, kelurahan=KEL_B),
    )
    client.force_login(psm_a)
    answer = client.get(LIST)
    assert answer.status_code == 200
    assert shown_records(answer) == {mine.pk}
    assert neighbour.pk not in shown_records(answer) and far.pk not in shown_records(answer)
    assert mask_nik(mine.person.nik) in html(answer) and mine.person.nik not in html(answer)
    assert "Lanjut Usia Telantar" in html(answer) and "Diusulkan" in html(answer)


def test_operator_list_shows_the_whole_city_with_full_niks(client, operator, psm_a):
    records = [make_record(psm_a), make_record(operator, kelurahan=KEL_B)]
    client.force_login(operator)
    answer = client.get(LIST)
    assert shown_records(answer) == {r.pk for r in records}
    assert all(r.person.nik in html(answer) for r in records)


def test_pimpinan_list_masks_niks(client, pimpinan, psm_a):
    record = make_record(psm_a)
    client.force_login(pimpinan)
    page = html(client.get(LIST))
    assert mask_nik(record.person.nik) in page and record.person.nik not in page


def test_list_filters_by_area_category_status_and_search(client, operator, tksk_a, psm_a):
    a = make_record(psm_a)
    b = make_record(operator, kelurahan=KEL_B)
    poor = make_record(psm_a, category=POOR_FAMILY, household=make_household())
    services.ppks_verify(record=a, actor=tksk_a, result="ditemukan")
    client.force_login(operator)
    assert shown_records(client.get(LIST, {"kecamatan": KEC_A})) == {a.pk, poor.pk}
    assert shown_records(client.get(LIST, {"kecamatan": KEC_A, "kelurahan": KEL_A})) == {a.pk, poor.pk}
    # A kelurahan left over from another kecamatan is dropped rather than emptying the list.
    assert shown_records(client.get(LIST, {"kecamatan": KEC_A, "kelurahan": KEL_B})) == {a.pk, poor.pk}
    assert shown_records(client.get(LIST, {"category": POOR_FAMILY})) == {poor.pk}
    assert shown_records(client.get(LIST, {"status": "diverifikasi"})) == {a.pk}
    assert shown_records(client.get(LIST, {"q": b.person.nik})) == {b.pk}
    assert shown_records(client.get(LIST, {"q": "mak ijah"})) == {a.pk, b.pk}


def test_household_record_is_listed_under_its_head(client, psm_a):
    record = make_record(psm_a, category=POOR_FAMILY, household=make_household())
    client.force_login(psm_a)
    page = html(client.get(LIST))
    assert "Pak Darto" in page and "Keluarga (KK)" in page and record.category.name in page


def test_htmx_request_gets_only_the_results(client, psm_a):
    make_record(psm_a)
    client.force_login(psm_a)
    answer = client.get(LIST, {"status": "diusulkan"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "<html" not in html(answer) and "<table" in html(answer) and "Menampilkan 1–1 dari 1" in html(answer)


def test_list_pages_by_25(client, operator):
    person = make_person()
    for _ in range(27):
        make_record(operator, person=person)
    client.force_login(operator)
    first, last = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(first.context["rows"]) == 25 and len(last.context["rows"]) == 2
    assert 'rel="next"' in html(first)


def test_list_logs_the_personal_data_shown(client, pimpinan, psm_a):
    for _ in range(2):
        make_record(psm_a)
    client.force_login(pimpinan)
    client.get(LIST)
    log = PersonalDataAccess.objects.get(user=pimpinan)
    assert (log.channel, log.subject_count, log.unmasked) == ("page", 2, False)


def _list_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_the_rows(client, operator, psm_a, django_assert_max_num_queries):
    for _ in range(4):
        make_record(psm_a)
    make_record(psm_a, category=POOR_FAMILY, household=make_household())
    few = _list_queries(client, operator)
    for _ in range(24):
        make_record(psm_a)
    make_record(psm_a, category=POOR_FAMILY, household=make_household())
    assert PpksRecord.objects.count() == 30
    client.force_login(operator)
    with django_assert_max_num_queries(few):
        client.get(LIST)


def test_nav_links_to_the_registry_for_those_who_may_see_it(client, psm_a, opd_user):
    client.force_login(psm_a)
    assert f'href="{LIST}"' in html(client.get(reverse("home")))
    client.force_login(opd_user)
    assert f'href="{LIST}"' not in html(client.get(reverse("home")))


# --- detail -------------------------------------------------------------------------------------


def test_detail_shows_subject_category_location_and_timeline(client, tksk_a, psm_a):
    record = make_record(psm_a)
    client.force_login(tksk_a)
    answer = client.get(detail(record))
    page = html(answer)
    assert answer.status_code == 200
    assert record.person.name in page and record.person.nik in page  # the TKSK checks against the KTP
    assert "berusia 60 tahun atau lebih" in page  # the category's definition
    assert "Sukarasa" in page and "Temuan lapangan PSM" in page
    assert len(answer.context["timeline"]) == 1 and "Diusulkan" in page
    assert 'action="{}"'.format(act(record, "verify")) in page
    assert PersonalDataAccess.objects.filter(user=tksk_a, object_id=str(record.pk), unmasked=True).exists()


def test_detail_masks_nik_for_psm_and_pimpinan(client, psm_a, pimpinan):
    record = make_record(psm_a)
    for user in (psm_a, pimpinan):
        client.force_login(user)
        page = html(client.get(detail(record)))
        assert mask_nik(record.person.nik) in page and record.person.nik not in page
        assert "9 Mei 1948" not in page  # the birth date is personal data too


def test_household_record_shows_its_members(client, operator, psm_a):
    household = make_household()
    record = make_record(psm_a, category=POOR_FAMILY, household=household)
    client.force_login(operator)
    page = html(client.get(detail(record)))
    assert "Pak Darto" in page and "Sri" in page and "Kepala keluarga" in page and household.kk_number in page


def test_duplicate_proposal_links_to_the_earlier_record(client, psm_a, tksk_a):
    first = make_record(psm_a)
    second = make_record(psm_a, person=first.person)
    client.force_login(tksk_a)
    page = html(client.get(detail(second)))
    assert "Kemungkinan data ganda" in page and f'href="{detail(first)}"' in page


def test_reader_sees_no_action_forms(client, pimpinan, psm_a):
    record = make_record(psm_a)
    client.force_login(pimpinan)
    answer = client.get(detail(record))
    assert answer.context["forms"] == {} and "<textarea" not in html(answer)


def test_actions_offered_follow_status_and_permission(client, operator, tksk_a, psm_a):
    record = make_record(psm_a)
    client.force_login(operator)
    assert set(client.get(detail(record)).context["forms"]) == {"verify", "return", "reject"}
    services.ppks_verify(record=record, actor=tksk_a, result="ditemukan")
    assert set(client.get(detail(record)).context["forms"]) == {"validate", "return", "reject"}
    client.force_login(tksk_a)
    assert set(client.get(detail(record)).context["forms"]) == {"return", "reject"}


def test_own_proposal_shows_no_checking_actions(client, operator, tksk_a):
    record = make_record(operator)
    client.force_login(operator)
    assert client.get(detail(record)).context["forms"] == {}
    services.ppks_verify(record=record, actor=tksk_a, result="ditemukan")
    assert client.get(detail(record)).context["forms"] == {}


# --- the workflow through the pages -------------------------------------------------------------


def new_person_form(**overrides) -> dict[str, str]:
    born = date(1950, 2, 14)
    return {
        "nik": make_nik(kecamatan_code=KEC_A, birth_date=born, sex=Sex.MALE, serial=4321),
        "name": "Abah Rohim",
        "sex": Sex.MALE,
        "birth_place": "Tangerang",
        "birth_date": born.isoformat(),
        "address": "Jl. Ki Samaun Gg. Mawar",
        "rt": "2",
        "rw": "5",
        "village": KEL_A,
    } | overrides


def test_psm_proposes_tksk_verifies_operator_validates(client, psm_a, tksk_a, operator):
    client.force_login(psm_a)
    answer = client.post(PROPOSE, new_person_form())
    person = Person.objects.get(name="Abah Rohim")
    assert answer.status_code == 302 and answer.url == f"{PROPOSE}?person={person.pk}"
    step2 = client.get(answer.url)
    assert "Data orang tersimpan" in html(step2)
    assert step2.context["form"]["kelurahan"].value() == KEL_A
    answer = client.post(
        answer.url,
        {
            "person": person.pk,
            "category": ELDERLY,
            "kelurahan": KEL_A,
            "rt": "002",
            "rw": "005",
            "address": "Jl. Ki Samaun Gg. Mawar",
            "notes": "Tinggal sendiri, tidak ada keluarga.",
        },
    )
    record = PpksRecord.objects.get(person=person)
    assert answer.status_code == 302 and answer.url == detail(record)
    assert "Usulan PPKS tersimpan" in html(client.get(answer.url))
    assert (record.status, record.reported_by, record.source) == ("diusulkan", psm_a, "psm")

    client.force_login(tksk_a)
    answer = client.post(act(record, "verify"), {"result": "ditemukan", "note": "Sesuai KTP."}, follow=True)
    assert "Hasil verifikasi lapangan tersimpan" in html(answer)
    client.force_login(operator)
    answer = client.post(act(record, "validate"), {"note": ""}, follow=True)
    page = html(answer)
    assert "Data PPKS ditetapkan" in page
    record.refresh_from_db()
    assert record.status == "ditetapkan" and record.verified_by == tksk_a and record.validated_by == operator
    timeline = answer.context["timeline"]
    assert [item["event"].actor for item in timeline] == [psm_a, tksk_a, operator]
    assert [str(item["to"]) for item in timeline] == ["Diusulkan", "Diverifikasi", "Ditetapkan"]
    steps = re.findall(r"<li>\s*<strong>(.*?)</strong>", page)
    assert steps == ["Diusulkan", "Verifikasi lapangan", "Ditetapkan"]
    assert all(str(user) in page for user in (psm_a, tksk_a, operator))


def test_returned_record_is_fixed_and_resubmitted_by_the_proposer(client, psm_a, tksk_a):
    record = make_record(psm_a)
    client.force_login(tksk_a)
    client.post(act(record, "return"), {"reason": "Alamat tidak lengkap."})
    client.force_login(psm_a)
    assert set(client.get(detail(record)).context["forms"]) == {"resubmit"}
    answer = client.post(act(record, "resubmit"), {"note": "Alamat dilengkapi.", "address": "Jl. Baru 3", "rt": "1"})
    assert answer.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.address, record.rt) == ("diusulkan", "Jl. Baru 3", "001")


def test_validated_record_exits_with_date_and_reason(client, psm_a, tksk_a, operator):
    record = make_record(psm_a)
    services.ppks_verify(record=record, actor=tksk_a, result="ditemukan")
    services.ppks_validate(record=record, actor=operator)
    client.force_login(tksk_a)
    answer = client.post(act(record, "exit"), {"on": "2026-01-05", "reason": "meninggal"}, follow=True)
    assert "dikeluarkan dari registri" in html(answer)
    record.refresh_from_db()
    assert (record.status, record.exit_date, record.exit_reason) == ("keluar", date(2026, 1, 5), "meninggal")


def test_reject_needs_a_reason(client, psm_a, tksk_a):
    record = make_record(psm_a)
    client.force_login(tksk_a)
    answer = client.post(act(record, "reject"), {"reason": "  "})
    assert answer.status_code == 400 and "Alasan wajib diisi." in html(answer)
    record.refresh_from_db()
    assert record.status == "diusulkan" and record.events.count() == 1


def test_verify_needs_a_result(client, psm_a, tksk_a):
    record = make_record(psm_a)
    client.force_login(tksk_a)
    answer = client.post(act(record, "verify"), {"note": "Sudah dicek."})
    assert answer.status_code == 400
    assert "Hasil verifikasi lapangan wajib dipilih." in html(answer) and 'aria-invalid="true"' in html(answer)
    record.refresh_from_db()
    assert record.status == "diusulkan" and record.events.count() == 1


def test_step_the_status_does_not_allow_is_refused_with_its_reason(client, psm_a, operator):
    record = make_record(psm_a)
    client.force_login(operator)
    answer = client.post(act(record, "validate"), {"note": ""})
    # The workflow's refusal: 409, the record as it is now with the reason said above it.
    assert answer.status_code == 409 and "Hanya data yang sudah diverifikasi" in html(answer)
    assert PpksRecord.objects.get(pk=record.pk).status == "diusulkan"


def test_nobody_checks_their_own_proposal(client, tksk_a, operator):
    mine = make_record(tksk_a)
    client.force_login(tksk_a)
    answer = client.post(act(mine, "verify"), {"result": "ditemukan"})
    assert answer.status_code == 403 and "Anda tidak dapat memverifikasi usulan Anda sendiri." in html(answer)
    assert PpksRecord.objects.get(pk=mine.pk).status == "diusulkan"

    theirs = make_record(operator)
    services.ppks_verify(record=theirs, actor=tksk_a, result="ditemukan")
    client.force_login(operator)
    answer = client.post(act(theirs, "validate"), {"note": ""})
    assert answer.status_code == 403 and "Anda tidak dapat menetapkan usulan Anda sendiri." in html(answer)
    assert PpksRecord.objects.get(pk=theirs.pk).status == "diverifikasi"
    assert not PpksEvent.objects.filter(record=theirs, action="validated").exists()


# --- proposal -----------------------------------------------------------------------------------


def test_person_search_finds_only_persons_in_the_users_area(client, psm_a):
    here, there = make_person(KEL_A, name="Mak Onah"), make_person(KEL_B, name="Mak Onih")
    client.force_login(psm_a)
    answer = client.get(PROPOSE, {"q": "mak"})
    assert [row["person"] for row in answer.context["matches"]] == [here]
    assert mask_nik(here.nik) in html(answer) and there.name not in html(answer)
    assert client.get(PROPOSE, {"q": here.nik}).context["matches"][0]["person"] == here


def test_psm_kelurahan_choices_are_its_own(client, psm_a):
    person = make_person()
    client.force_login(psm_a)
    answer = client.get(PROPOSE, {"person": person.pk})
    assert [v.code for v in answer.context["form"].fields["kelurahan"].queryset] == [KEL_A]
    assert [v.code for v in client.get(PROPOSE).context["form"].fields["village"].queryset] == [KEL_A]


def test_psm_cannot_propose_in_another_kelurahan(client, psm_a):
    person = make_person()
    client.force_login(psm_a)
    answer = client.post(
        f"{PROPOSE}?person={person.pk}", {"person": person.pk, "category": ELDERLY, "kelurahan": KEL_B}
    )
    # Only its own kelurahan is offered; another one sent anyway is refused on the field.
    assert answer.status_code == 400 and "kelurahan" in answer.context["form"].errors
    assert not PpksRecord.objects.exists()


def test_psm_cannot_open_a_person_outside_its_area_for_a_proposal(client, psm_a):
    stranger = make_person(KEL_B)
    client.force_login(psm_a)
    assert client.get(PROPOSE, {"person": stranger.pk}).status_code == 404


def test_new_person_with_a_nik_that_contradicts_the_birth_date_is_refused(client, psm_a):
    client.force_login(psm_a)
    answer = client.post(PROPOSE, new_person_form(birth_date="1951-02-14"))
    assert answer.status_code == 400 and "Data belum tersimpan" in html(answer)
    assert not Person.objects.filter(name="Abah Rohim").exists()


def test_family_category_without_a_household_is_refused_with_a_message(client, psm_a):
    person = make_person()
    client.force_login(psm_a)
    answer = client.post(
        f"{PROPOSE}?person={person.pk}", {"person": person.pk, "category": POOR_FAMILY, "kelurahan": KEL_A}
    )
    assert answer.status_code == 400 and "untuk keluarga" in html(answer)
    assert not PpksRecord.objects.exists()


def test_family_category_is_proposed_for_the_persons_household(client, psm_a):
    household = make_household()
    client.force_login(psm_a)
    url = f"{PROPOSE}?person={household.head_id}"
    answer = client.post(
        url, {"person": household.head_id, "household": household.pk, "category": POOR_FAMILY, "kelurahan": KEL_A}
    )
    assert answer.status_code == 302
    assert PpksRecord.objects.get().household == household


# --- person -------------------------------------------------------------------------------------


def test_person_page_shows_households_and_records_in_scope(client, psm_a, tksk_a):
    household = make_household()
    record = make_record(psm_a, person=household.head)
    client.force_login(psm_a)
    answer = client.get(reverse("registry:person_detail", args=[household.head_id]))
    page = html(answer)
    assert answer.status_code == 200
    assert mask_nik(household.head.nik) in page and household.head.nik not in page
    assert "Kepala keluarga" in page and f'href="{detail(record)}"' in page
    assert PersonalDataAccess.objects.filter(user=psm_a, object_id=str(household.head_id)).exists()
    client.force_login(tksk_a)
    assert household.head.nik in html(client.get(reverse("registry:person_detail", args=[household.head_id])))


# --- the field form's verification runs the same step ----------------------------------------------------------


def test_field_verification_of_ones_own_or_an_already_verified_record_is_refused_with_its_reason(client, tksk_a, psm_a):
    """The offline field form calls the same guarded service: its refusal is the form with the reason (400, as the
    field app answers the server's call), never a 500."""
    client.force_login(tksk_a)
    mine = make_record(tksk_a)
    page = client.get(reverse("field:verval", args=[mine.pk]))
    seen = re.search(r'name="seen" value="([^"]+)"', page.content.decode()).group(1)
    answer = client.post(
        reverse("field:verval", args=[mine.pk]),
        {"result": "ditemukan", "seen": seen},
        headers={"Idempotency-Key": "field-own-1"},
    )
    assert answer.status_code == 400 and "Anda tidak dapat memverifikasi usulan Anda sendiri." in html(answer)
    assert PpksRecord.objects.get(pk=mine.pk).status == "diusulkan"

    done = make_record(psm_a)
    services.ppks_verify(record=done, actor=tksk_a, result="ditemukan")
    page = client.get(reverse("field:verval", args=[done.pk]))
    seen = re.search(r'name="seen" value="([^"]+)"', page.content.decode()).group(1)
    answer = client.post(
        reverse("field:verval", args=[done.pk]),
        {"result": "ditemukan", "seen": seen},
        headers={"Idempotency-Key": "field-done-1"},
    )
    assert answer.status_code == 400 and "Hanya usulan berstatus diusulkan" in html(answer)
    assert PpksEvent.objects.filter(record=done, action="verified").count() == 1
