"""The workforce pages as the office uses them: search, filters, masking, forms and their refusals."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.identity.nik import make_nik
from pilar.workers import services
from pilar.workers.models import (
    BoardMembership,
    BoardPeriod,
    Decree,
    StatusChange,
    Worker,
    WorkerRole,
    WorkerStatus,
)
from tests.conftest import KEC_A, KEC_B, KEL_A, KEL_A2, KEL_B
from tests.factories import WorkerFactory, new_psm_data, region
from tests.signin import PilarClient

LIST = reverse("workers:list")
CREATE = reverse("workers:create")


new_psm_form = new_psm_data


def html(answer) -> str:
    return answer.content.decode()


def field_errors(answer, field: str) -> str:
    """The error list Django renders next to ``field`` (linked to it by aria-describedby)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html(answer), re.S)
    return found.group(1) if found else ""


def names(answer) -> list[str]:
    return [row["worker"].person.name for row in answer.context["rows"]]


@pytest.fixture
def roster(city):
    """Workers of two kelurahan of kecamatan A, one of kecamatan B, A's TKSK and one who stopped."""
    return SimpleNamespace(
        a1=WorkerFactory(region=region(KEL_A), person__name="Siti Aminah"),
        a2=WorkerFactory(region=region(KEL_A2), person__name="Budi Santoso"),
        b=WorkerFactory(region=region(KEL_B), person__name="Dewi Lestari"),
        tksk=WorkerFactory(role=WorkerRole.TKSK, region=region(KEC_A), person__name="Joko Prasetyo"),
        stopped=WorkerFactory(region=region(KEL_A), person__name="Rina Wati", status=WorkerStatus.STOPPED),
    )


# --- list ---------------------------------------------------------------------------------------


def test_list_finds_a_worker_by_part_of_the_name(client, operator, roster):
    client.force_login(operator)
    assert names(client.get(LIST, {"q": "aminah"})) == ["Siti Aminah"]


def test_list_finds_a_worker_by_whole_nik_or_its_last_four_digits(client, operator, roster):
    client.force_login(operator)
    assert names(client.get(LIST, {"q": roster.b.person.nik})) == ["Dewi Lestari"]
    assert "Dewi Lestari" in names(client.get(LIST, {"q": roster.b.person.nik[-4:]}))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kecamatan": KEC_A}, {"Siti Aminah", "Budi Santoso", "Joko Prasetyo", "Rina Wati"}),
        ({"kecamatan": KEC_A, "kelurahan": KEL_A2}, {"Budi Santoso"}),
        ({"status": "berhenti"}, {"Rina Wati"}),
        ({"role": "tksk"}, {"Joko Prasetyo"}),
        ({"kecamatan": KEC_B, "role": "psm", "status": "aktif"}, {"Dewi Lestari"}),
    ],
)
def test_list_filters_by_area_status_and_role(client, operator, roster, params, expected):
    client.force_login(operator)
    assert set(names(client.get(LIST, params))) == expected


def test_a_kelurahan_left_from_another_kecamatan_does_not_empty_the_list(client, operator, roster):
    client.force_login(operator)
    assert set(names(client.get(LIST, {"kecamatan": KEC_B, "kelurahan": KEL_A}))) == {"Dewi Lestari"}


def test_psm_list_contains_only_workers_of_its_own_kelurahan(client, psm_a, roster):
    client.force_login(psm_a)
    rows = client.get(LIST).context["rows"]
    assert rows and {row["worker"].kelurahan.code for row in rows} == {KEL_A}


def test_tksk_list_contains_its_whole_kecamatan_only(client, tksk_a, roster):
    client.force_login(tksk_a)
    rows = client.get(LIST).context["rows"]
    assert {row["worker"].kecamatan.code for row in rows} == {KEC_A}
    assert "Budi Santoso" in {row["worker"].person.name for row in rows}


def test_pagination_shows_25_a_page_and_its_links_keep_the_filters(client, operator, city):
    WorkerFactory.create_batch(30, region=region(KEL_A2))
    WorkerFactory(region=region(KEL_B))
    client.force_login(operator)
    first = client.get(LIST, {"kelurahan": KEL_A2, "role": "psm"})
    assert len(first.context["rows"]) == 25
    assert f'href="?kelurahan={KEL_A2}&amp;role=psm&amp;page=2"' in html(first)
    second = client.get(LIST, {"kelurahan": KEL_A2, "role": "psm", "page": 2})
    assert len(second.context["rows"]) == 5


def test_htmx_request_gets_only_the_results_fragment(client, operator, roster):
    client.force_login(operator)
    answer = client.get(LIST, {"q": "aminah"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    body = html(answer)
    assert "Siti Aminah" in body and "<table" in body
    assert "<html" not in body and 'class="filters"' not in body


def test_htmx_history_restore_gets_the_whole_page(client, operator, roster):
    client.force_login(operator)
    answer = client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in html(answer)


def test_list_page_works_without_javascript_and_wires_the_dependent_select(client, operator, roster):
    client.force_login(operator)
    body = html(client.get(LIST, {"kecamatan": KEC_A}))
    assert 'method="get"' in body and 'hx-get="/pekerja/"' in body
    assert f'hx-get="{reverse("regions:village_options")}"' in body
    assert f'value="{KEL_A2}"' in body  # the kelurahan options of the chosen kecamatan


def test_download_buttons_carry_the_current_filters_and_need_the_export_permission(client, operator, tksk_a, roster):
    client.force_login(operator)
    body = html(client.get(LIST, {"kecamatan": KEC_A, "status": "aktif"}))
    assert f"/pekerja/ekspor/?kecamatan={KEC_A}&amp;status=aktif&amp;format=csv" in body
    assert "Tambah PSM/TKSK" in body
    client.force_login(tksk_a)
    body = html(client.get(LIST))
    assert "Unduh CSV" not in body and "Tambah PSM/TKSK" not in body


def test_list_queries_do_not_grow_with_the_number_of_workers(client, operator, city, django_assert_max_num_queries):
    WorkerFactory.create_batch(5, region=region(KEL_A))
    client.force_login(operator)
    client.get(LIST)  # warm the per-process caches (content types) so both counts compare like for like
    with CaptureQueriesContext(connection) as five:
        client.get(LIST)
    WorkerFactory.create_batch(25, region=region(KEL_A2), role=WorkerRole.PSM)
    with django_assert_max_num_queries(len(five.captured_queries)):
        answer = client.get(LIST)
    assert len(answer.context["rows"]) == 25


# --- masking and the access log -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["pimpinan", "tksk_a", "psm_a"])
def test_nik_is_masked_for_readers_on_list_and_detail(client, request, persona, roster):
    client.force_login(request.getfixturevalue(persona))
    person = roster.a1.person
    for answer in (client.get(LIST), client.get(reverse("workers:detail", args=[roster.a1.pk]))):
        assert person.nik not in html(answer)
        assert person.masked_nik in html(answer)


def test_operator_sees_the_whole_nik_on_list_and_detail(client, operator, roster):
    client.force_login(operator)
    assert roster.a1.person.nik in html(client.get(LIST))
    assert roster.a1.person.nik in html(client.get(reverse("workers:detail", args=[roster.a1.pk])))


def test_showing_the_list_is_logged_with_the_number_of_rows(client, operator, roster):
    client.force_login(operator)
    client.get(LIST, {"kecamatan": KEC_A})
    log = PersonalDataAccess.objects.get()
    assert (log.channel, log.subject_count, log.unmasked, log.object_id) == ("page", 4, True, "")
    assert "kecamatan=36.71.01" in log.query


def test_showing_a_worker_is_logged_masked_for_the_head_of_office(client, pimpinan, roster):
    client.force_login(pimpinan)
    client.get(reverse("workers:detail", args=[roster.a1.pk]))
    log = PersonalDataAccess.objects.get()
    assert (log.channel, log.object_id, log.unmasked) == ("page", str(roster.a1.pk), False)
    assert log.user == pimpinan


# --- detail ---------------------------------------------------------------------------------------


def test_detail_shows_posting_decrees_status_and_board_seats(client, operator, roster):
    worker = roster.a1
    Decree.objects.create(worker=worker, number="400/77-Dinsos/2020", date=date(2020, 1, 6), issuer="Kepala Dinas")
    period = BoardPeriod.objects.create(start_year=2021, end_year=2026)
    BoardMembership.objects.create(period=period, position="sekretaris", worker=worker)
    client.force_login(operator)
    body = html(client.get(reverse("workers:detail", args=[worker.pk])))
    assert region(KEL_A).name in body and "6 Januari 2020" in body
    assert "400/77-Dinsos/2020" in body and "Sekretaris" in body and "2021–2026" in body
    for action in ("workers:edit", "workers:status", "workers:transfer", "workers:decree"):
        assert reverse(action, args=[worker.pk]) in body


def test_reader_sees_no_manage_buttons_and_no_birth_date(client, tksk_a, roster):
    client.force_login(tksk_a)
    body = html(client.get(reverse("workers:detail", args=[roster.a1.pk])))
    assert reverse("workers:edit", args=[roster.a1.pk]) not in body
    assert "Tempat, tanggal lahir" not in body
    assert "Jejak audit" not in body  # the audit trail needs audit.view


def test_audit_history_shows_old_and_new_values_to_the_operator(client, operator, roster):
    services.worker_update(worker=roster.a1, actor=operator, data={"address": "Jl. Baru No. 1"})
    client.force_login(operator)
    body = html(client.get(reverse("workers:detail", args=[roster.a1.pk])))
    assert "Jejak audit" in body and "Data diubah" in body
    assert "Jl. Baru No. 1" in body and "→" in body


def test_audit_history_hides_personal_values_from_the_head_of_office(client, operator, pimpinan, roster):
    services.worker_update(worker=roster.a1, actor=operator, data={"address": "Jl. Baru No. 1"})
    client.force_login(pimpinan)
    body = html(client.get(reverse("workers:detail", args=[roster.a1.pk])))
    assert "Data diubah" in body and "(disembunyikan)" in body
    assert "Jl. Baru No. 1" not in body


# --- create ---------------------------------------------------------------------------------------


def test_create_form_groups_fields_and_wires_the_kelurahan_select(client, operator, city):
    client.force_login(operator)
    body = html(client.get(CREATE))
    for legend in ("Data pribadi", "Alamat", "Tugas", "SK", "Rekening insentif"):
        assert f"<legend>{legend}</legend>" in body
    assert 'hx-target="#id_kelurahan"' in body and ">Simpan</button>" in body
    assert 'name="confirm_address"' not in body  # only asked for when the address differs


def test_operator_creates_a_psm_with_its_posting_and_audit_entry(client, operator, city):
    client.force_login(operator)
    answer = client.post(CREATE, new_psm_form(decree_number="400/1/2023", decree_issuer="Kepala Dinas Sosial"))
    worker = Worker.objects.get(person__name="Hj. Nur Aisyah, S.Pd.")
    assert answer.status_code == 302 and answer.url == reverse("workers:detail", args=[worker.pk])
    assert worker.kelurahan.code == KEL_A and worker.assignments.get().end_date is None
    assert worker.decrees.get().number == "400/1/2023"
    assert AuditEntry.objects.filter(action="workers.worker.created", object_id=str(worker.pk)).exists()
    assert "Data pekerja tersimpan." in html(client.get(answer.url))


def test_nik_contradicting_the_birth_date_is_shown_next_to_the_field_and_saves_nothing(client, operator, city):
    client.force_login(operator)
    before = Worker.objects.count()
    answer = client.post(CREATE, new_psm_form(birth_date="1990-01-01"))
    assert answer.status_code == 400
    assert "Tanggal lahir tidak sesuai dengan NIK" in field_errors(answer, "birth_date")
    assert 'aria-describedby="id_birth_date_error"' in html(answer)
    assert Worker.objects.count() == before


def test_address_of_another_kelurahan_needs_confirmation_before_saving(client, operator, city):
    client.force_login(operator)
    form = new_psm_form(village=KEL_A2)
    first = client.post(CREATE, form)
    assert first.status_code == 400
    assert "Permensos 10/2019" in field_errors(first, "confirm_address")
    assert 'name="confirm_address"' in html(first)
    assert not Worker.objects.exists()
    second = client.post(CREATE, form | {"confirm_address": "on"})
    assert second.status_code == 302 and Worker.objects.count() == 1


def test_second_active_tksk_in_a_kecamatan_is_refused_with_the_reason(client, operator, city):
    WorkerFactory(role=WorkerRole.TKSK, region=region(KEC_A))
    client.force_login(operator)
    answer = client.post(CREATE, new_psm_form(role="tksk", kelurahan="", village=""))
    assert answer.status_code == 400
    assert "sudah memiliki TKSK aktif" in field_errors(answer, "kecamatan")
    assert Worker.objects.tksk().count() == 1


def test_an_rt_rw_head_cannot_be_registered_as_psm(client, operator, city):
    client.force_login(operator)
    answer = client.post(CREATE, new_psm_form(is_rt_rw_head="on"))
    assert answer.status_code == 400
    assert "Ketua RT/RW tidak boleh menjadi PSM" in field_errors(answer, "is_rt_rw_head")
    assert not Worker.objects.exists()


def test_a_person_under_18_is_refused(client, operator, city):
    born = date(2008, 1, 1)
    nik = make_nik(kecamatan_code=KEC_A, birth_date=born, sex="P", serial=9)
    client.force_login(operator)
    answer = client.post(CREATE, new_psm_form(nik=nik, birth_date=born.isoformat()))
    assert answer.status_code == 400
    assert "Usia minimal 18" in field_errors(answer, "birth_date")
    assert not Worker.objects.exists()


def test_a_nik_already_registered_is_refused(client, operator, roster):
    person = roster.a1.person
    client.force_login(operator)
    form = new_psm_form(nik=person.nik, birth_date=person.birth_date.isoformat(), sex=person.sex, name="Orang Lain")
    answer = client.post(CREATE, form)
    assert answer.status_code == 400
    assert "NIK ini sudah terdaftar" in field_errors(answer, "nik")
    assert not Worker.objects.filter(person__name="Orang Lain").exists()


def test_a_post_without_csrf_token_is_refused(operator, city):
    strict = PilarClient(enforce_csrf_checks=True)
    strict.force_login(operator)
    assert strict.post(CREATE, new_psm_form()).status_code == 403
    assert not Worker.objects.exists()


# --- edit, status, transfer, decree -------------------------------------------------------------


def form_of(answer) -> dict[str, str]:
    """The edit form's current values, as a browser would send them back."""
    form = answer.context["form"]
    values = {name: form[name].value() for name in form.fields}
    return {k: ("on" if v is True else "" if v in (None, False) else str(v)) for k, v in values.items()}


def test_operator_changes_a_phone_number(client, operator, roster):
    url = reverse("workers:edit", args=[roster.a1.pk])
    client.force_login(operator)
    answer = client.post(url, form_of(client.get(url)) | {"phone": "0812-9999-8888"})
    assert answer.status_code == 302
    roster.a1.person.refresh_from_db()
    assert roster.a1.person.phone == "+6281299998888"
    assert AuditEntry.objects.filter(action="workers.worker.updated", object_id=str(roster.a1.pk)).exists()


def test_edit_with_a_bad_rt_shows_the_message_and_changes_nothing(client, operator, roster):
    url = reverse("workers:edit", args=[roster.a1.pk])
    client.force_login(operator)
    answer = client.post(url, form_of(client.get(url)) | {"rt": "12345", "phone": "0812-9999-8888"})
    assert answer.status_code == 400
    assert "RT berupa angka" in field_errors(answer, "rt")
    roster.a1.person.refresh_from_db()
    assert roster.a1.person.phone != "+6281299998888"


def test_operator_suspends_a_worker_with_a_reason(client, operator, roster):
    client.force_login(operator)
    url = reverse("workers:status", args=[roster.a1.pk])
    answer = client.post(url, {"status": "nonaktif", "on": "2024-05-01", "reason": "Sakit berkepanjangan"})
    assert answer.status_code == 302
    roster.a1.refresh_from_db()
    assert roster.a1.status == WorkerStatus.INACTIVE
    assert StatusChange.objects.filter(worker=roster.a1, status="nonaktif").exists()


def test_suspending_without_a_reason_is_refused(client, operator, roster):
    client.force_login(operator)
    url = reverse("workers:status", args=[roster.a1.pk])
    answer = client.post(url, {"status": "nonaktif", "on": "2024-05-01"})
    assert answer.status_code == 400
    assert "Alasan wajib diisi" in field_errors(answer, "reason")
    roster.a1.refresh_from_db()
    assert roster.a1.status == WorkerStatus.ACTIVE


def test_operator_transfers_a_psm_after_confirming_the_address(client, operator, roster):
    client.force_login(operator)
    url = reverse("workers:transfer", args=[roster.a1.pk])
    move = {"kelurahan": KEL_A2, "start_date": "2024-01-01", "note": "Permintaan lurah"}
    first = client.post(url, move)
    assert first.status_code == 400 and field_errors(first, "confirm_address")
    answer = client.post(url, move | {"confirm_address": "on"})
    assert answer.status_code == 302
    roster.a1.refresh_from_db()
    assert roster.a1.kelurahan.code == KEL_A2
    assert roster.a1.assignments.get(region__code=KEL_A).end_date == date(2023, 12, 31)


def test_transfer_dated_before_the_current_posting_is_refused(client, operator, roster):
    client.force_login(operator)
    url = reverse("workers:transfer", args=[roster.a1.pk])
    answer = client.post(url, {"kelurahan": KEL_A2, "start_date": "2019-01-01", "confirm_address": "on"})
    assert answer.status_code == 400
    assert "Tanggal mutasi harus setelah" in field_errors(answer, "start_date")
    roster.a1.refresh_from_db()
    assert roster.a1.kelurahan.code == KEL_A


def test_transfer_form_asks_a_tksk_for_a_kecamatan(client, operator, roster):
    client.force_login(operator)
    body = html(client.get(reverse("workers:transfer", args=[roster.tksk.pk])))
    assert 'name="kecamatan"' in body and 'name="kelurahan"' not in body


def test_operator_adds_a_decree(client, operator, roster):
    client.force_login(operator)
    data = {
        "kind": "perpanjangan",
        "number": "400/9/2024",
        "on": "2024-01-10",
        "issuer": "Kepala Dinas Sosial",
    }
    answer = client.post(reverse("workers:decree", args=[roster.a1.pk]), data)
    assert answer.status_code == 302
    assert roster.a1.decrees.get().number == "400/9/2024"
    trail = html(client.get(answer.url))
    assert "SK ditambahkan" in trail and "Nomor SK: 400/9/2024" in trail


def test_a_decree_number_given_twice_is_refused(client, operator, roster):
    Decree.objects.create(worker=roster.a1, number="400/9/2024", date=date(2024, 1, 10), issuer="Kepala Dinas")
    client.force_login(operator)
    data = {"kind": "perpanjangan", "number": "400/9/2024", "on": "2024-02-10", "issuer": "Kepala Dinas"}
    answer = client.post(reverse("workers:decree", args=[roster.a1.pk]), data)
    assert answer.status_code == 400
    assert "sudah tercatat" in field_errors(answer, "number")
    assert roster.a1.decrees.count() == 1


# --- coverage, board, home ------------------------------------------------------------------------


def test_coverage_marks_a_kelurahan_without_active_psm_in_words(client, operator, roster):
    client.force_login(operator)
    body = html(client.get(reverse("workers:coverage")))
    empty = region("36.71.01.1003").name
    assert re.search(rf'<tr class="gap-row">\s*<td[^>]*>\s*<a [^>]*>{empty}</a>', body)
    assert "Belum ada PSM aktif" in body
    assert not re.search(rf'<tr class="gap-row">\s*<td[^>]*>\s*<a [^>]*>{region(KEL_A).name}</a>', body)


def test_tksk_sees_coverage_of_its_kecamatan_only(client, tksk_a, roster):
    client.force_login(tksk_a)
    rows = client.get(reverse("workers:coverage")).context["rows"]
    assert [row["kecamatan"].code for row in rows] == [KEC_A]


def test_operator_sets_up_a_board_period_and_seats_its_holders_in_statute_order(client, operator, roster):
    client.force_login(operator)
    created = client.post(reverse("workers:board_period_create"), {"start_year": 2021, "end_year": 2026})
    period = BoardPeriod.objects.get()
    assert created.status_code == 302 and created.url.endswith(f"?period={period.pk}")
    seat_url = reverse("workers:board_member_set", args=[period.pk])
    assert client.post(seat_url, {"position": "anggota", "worker": roster.a2.pk}).status_code == 302
    assert client.post(seat_url, {"position": "ketua", "worker": roster.a1.pk}).status_code == 302
    body = html(client.get(reverse("workers:board"), {"period": period.pk}))
    assert body.index("Siti Aminah") < body.index("Budi Santoso")  # Ketua before Anggota
    membership = BoardMembership.objects.get(worker=roster.a2)
    assert client.post(reverse("workers:board_member_remove", args=[membership.pk])).status_code == 302
    assert not BoardMembership.objects.filter(worker=roster.a2).exists()


def test_a_taken_board_position_is_refused_with_the_holders_name(client, operator, roster):
    period = BoardPeriod.objects.create(start_year=2021, end_year=2026)
    BoardMembership.objects.create(period=period, position="ketua", worker=roster.a1)
    client.force_login(operator)
    url = reverse("workers:board_member_set", args=[period.pk])
    answer = client.post(url, {"position": "ketua", "worker": roster.a2.pk})
    assert answer.status_code == 400
    message = field_errors(answer, "position")
    assert "sudah dipegang" in message and "Siti Aminah" in message
    assert BoardMembership.objects.count() == 1


def test_readers_see_the_board_without_its_forms(client, pimpinan, roster):
    period = BoardPeriod.objects.create(start_year=2021, end_year=2026)
    BoardMembership.objects.create(period=period, position="ketua", worker=roster.a1)
    client.force_login(pimpinan)
    body = html(client.get(reverse("workers:board")))
    assert "Siti Aminah" in body
    assert "Tetapkan pengurus" not in body and "Periode baru" not in body


def test_home_page_shows_the_workforce_counts_of_the_users_area(client, tksk_a, roster):
    client.force_login(tksk_a)
    answer = client.get(reverse("home"))
    assert answer.context["counts"] == {"psm_active": 2, "tksk_active": 1, "inactive": 0, "stopped": 1}
    assert "PSM aktif" in html(answer) and reverse("workers:coverage") in html(answer)
