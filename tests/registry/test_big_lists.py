"""The registry list and API at a million records: counts that stop or come from the summary tables, deep pages
by cursor, and searches for a very common word, always within the user's scope.

The caps are lowered here (``COUNT_CAP``, ``SEARCH_COUNT_CAP``) so that a handful of records behaves as a
million does."""

import re

import pytest
from django.db import connection

from pilar.core import paging
from pilar.identity import search
from pilar.registry import selectors
from pilar.registry.models import PpksRecord
from pilar.rights.services import person_restrict
from pilar.stats import tally
from pilar.stats.counts import ppks_estimate
from tests.conftest import KEC_A, KEL_A, KEL_A2, KEL_B
from tests.registry.test_pages import LIST, html, make_household, make_person, make_record, shown_records

PPKS = "/api/v1/ppks/"


@pytest.fixture
def spread(psm_a, operator):
    """Seven records: four in A (Sukarasa), one in A2 (same kecamatan), two in B (another kecamatan); oldest first."""
    records = [make_record(psm_a) for _ in range(4)]
    records.append(make_record(operator, kelurahan=KEL_A2))
    records += [make_record(operator, kelurahan=KEL_B) for _ in range(2)]
    return records


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 2)


def walk(client, url: str) -> list[int]:
    """Every id the API lists, following ``next`` from the first page."""
    seen: list[int] = []
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    return seen


# --- counts ----------------------------------------------------------------------------------------


def test_a_list_under_the_cap_is_counted_exactly(api_as, client, operator, spread):
    body = api_as(operator).get(PPKS, {"limit": 2}).json()
    assert (body["count"], body["count_exact"]) == (7, True)
    client.force_login(operator)
    assert "Menampilkan 1–7 dari 7 data PPKS" in html(client.get(LIST))


def test_above_the_cap_the_count_comes_from_the_summary_tables_marked_approximate(
    api_as, client, operator, spread, small_caps
):
    tally.rebuild()
    make_record(operator)  # after the rebuild: the tables hear of it through its event, applied by the dashboard
    body = api_as(operator).get(PPKS, {"limit": 2}).json()
    assert (body["count"], body["count_exact"]) == (7, False)
    client.force_login(operator)
    page = html(client.get(LIST))
    assert "dari ± 7 data PPKS" in page and "perkiraan dari ringkasan registri" in page


def test_the_estimate_follows_the_users_area_and_the_filters(psm_a, tksk_a, operator, spread, small_caps):
    tally.rebuild()
    assert ppks_estimate(psm_a, selectors.PpksFilter()) == 4
    assert ppks_estimate(tksk_a, selectors.PpksFilter()) == 5
    assert ppks_estimate(operator, selectors.PpksFilter()) == 7
    assert ppks_estimate(operator, selectors.PpksFilter(kecamatan=KEC_A)) == 5
    assert ppks_estimate(operator, selectors.PpksFilter(kelurahan=KEL_B, status="diusulkan")) == 2
    assert ppks_estimate(operator, selectors.PpksFilter(status="ditetapkan")) == 0
    assert ppks_estimate(tksk_a, selectors.PpksFilter(kelurahan=KEL_B)) == 0
    # A search or an import is not in the tables: those lists count themselves.
    assert ppks_estimate(operator, selectors.PpksFilter(q="mak")) is None


def test_one_imports_records_are_counted_exactly_whatever_their_number(api_as, operator, spread, small_caps):
    # The office checks this figure against the rows of its file: never "more than" or "about".
    from pilar.registry.models import ImportJob

    job = ImportJob.objects.create(
        user=operator, file_name="bnba.xlsx", checksum="0" * 64, mode="valid-rows", status="selesai", created_count=6
    )
    PpksRecord.objects.filter(pk__in=[r.pk for r in spread[:6]]).update(import_job=job)
    tally.rebuild()
    body = api_as(operator).get(PPKS, {"import": job.pk, "limit": 2}).json()
    assert (body["count"], body["count_exact"]) == (6, True)


def test_each_area_sees_the_count_of_its_own_records_on_page_and_api(
    api_as, client, psm_a, psm_b, tksk_a, spread, small_caps
):
    tally.rebuild()
    for user, expected in ((psm_a, 4), (tksk_a, 5), (psm_b, 2)):
        body = api_as(user).get(PPKS, {"limit": 100}).json()
        assert body["count"] == expected == len(body["results"]), user
        client.force_login(user)
        answer = client.get(LIST)
        assert f"dari {'± ' if expected > 3 else ''}{expected} data PPKS" in html(answer), user


def test_records_of_restricted_persons_leave_the_estimate_except_for_the_admin(
    api_as, operator, admin_user, spread, small_caps
):
    person_restrict(person=spread[0].person, actor=admin_user, reason="permintaan subjek data")
    tally.rebuild()
    assert api_as(operator).get(PPKS).json()["count"] == 6 == PpksRecord.objects.visible_to(operator).count()
    assert api_as(admin_user).get(PPKS).json()["count"] == 7


def test_a_search_for_a_common_word_says_more_than_its_cap(api_as, client, operator, psm_a, small_caps):
    for _ in range(3):
        make_record(psm_a, person=make_person(name="Muhammad Rizki"))
    make_record(psm_a, person=make_person(name="Siti Aminah"))
    body = api_as(operator).get(PPKS, {"q": "muhammad"}).json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (2, False, 3)
    persons = api_as(operator).get("/api/v1/persons/", {"q": "muhammad"}).json()
    assert (persons["count"], persons["count_exact"], len(persons["results"])) == (2, False, 3)
    client.force_login(operator)
    page = html(client.get(LIST, {"q": "muhammad"}))
    assert "lebih dari 2 data PPKS" in page and "Persempit pencarian" in page
    assert api_as(operator).get(PPKS, {"q": "aminah"}).json()["count_exact"] is True


def test_a_search_counts_only_the_users_area(api_as, psm_b, psm_a, operator):
    make_record(psm_a, person=make_person(name="Muhammad Rizki"))
    make_record(operator, kelurahan=KEL_B, person=make_person(KEL_B, name="Muhammad Yusuf"))
    body = api_as(psm_b).get(PPKS, {"q": "muhammad"}).json()
    assert body["count"] == 1 and [item["name"] for item in body["results"]] == ["Muhammad Yusuf"]


# --- deep pages by cursor --------------------------------------------------------------------------


def test_api_cursor_walks_the_whole_list_newest_first_without_gaps(api_as, operator, spread):
    api = api_as(operator)
    assert walk(api, f"{PPKS}?limit=3") == [r.pk for r in reversed(spread)]
    last = api.get(PPKS, {"limit": 3, "cursor": "b0"}).json()
    assert [item["id"] for item in last["results"]] == [r.pk for r in reversed(spread[:3])]
    assert last["next"] is None and "cursor=b" in last["previous"]
    back = api.get(last["previous"]).json()
    assert [item["id"] for item in back["results"]] == [r.pk for r in reversed(spread[3:6])]


def test_api_cursor_stays_in_the_psms_area_and_filters(api_as, psm_a, spread):
    mine = [r.pk for r in reversed(spread[:4])]
    assert walk(api_as(psm_a), f"{PPKS}?limit=1") == mine
    assert walk(api_as(psm_a), f"{PPKS}?limit=1&kelurahan={KEL_B}") == []


def test_api_offset_keeps_working_and_points_to_the_cursor(api_as, operator, spread):
    body = api_as(operator).get(PPKS, {"limit": 2, "offset": 2}).json()
    assert [item["id"] for item in body["results"]] == [spread[4].pk, spread[3].pk]
    assert f"cursor=a{spread[3].pk}" in body["next"] and "offset" not in body["next"]
    assert f"cursor=b{spread[4].pk}" in body["previous"]
    assert api_as(operator).get(PPKS, {"limit": 2, "offset": 6}).json()["next"] is None


def test_api_refuses_a_malformed_cursor(api_as, operator):
    assert api_as(operator).get(PPKS, {"cursor": "x1; drop"}).status_code == 400


def test_page_beyond_the_numbered_ones_explains_and_offers_cursor_links(client, operator, spread, small_caps):
    tally.rebuild()
    client.force_login(operator)
    answer = client.get(LIST, {"page": 31999})
    assert answer.status_code == 200 and answer.context["rows"] == []
    assert "Halaman 31999 terlalu jauh" in html(answer) and "Persempit daftar dengan saringan" in html(answer)
    assert "cursor=b0" in html(answer)


def test_page_walks_past_the_numbered_pages_by_cursor_to_the_last(client, operator, spread, small_caps):
    tally.rebuild()
    client.force_login(operator)
    first = client.get(LIST)  # numbered pages cover 3 rows: one page of 25 holding 3
    newest = [r.pk for r in reversed(spread)]
    assert [row["record"].pk for row in first.context["rows"]] == newest[:3]
    following = re.search(r'href="\?cursor=(a\d+)" [^>]*rel="next"', html(first)).group(1)
    second = client.get(LIST, {"cursor": following})
    assert [row["record"].pk for row in second.context["rows"]] == newest[3:]
    assert "Menampilkan 4 data PPKS dari ± 7" in html(second)
    last = client.get(LIST, {"cursor": "b0"})
    assert shown_records(last) == set(newest)


def test_page_cursor_shows_only_the_tksks_kecamatan(client, tksk_a, spread):
    client.force_login(tksk_a)
    assert shown_records(client.get(LIST, {"cursor": f"a{spread[-1].pk + 1}"})) == {r.pk for r in spread[:5]}
    assert shown_records(client.get(LIST, {"cursor": "b0", "kelurahan": KEL_A})) == {r.pk for r in spread[:4]}


def test_a_person_search_past_its_cap_lists_the_newest_first_and_in_name_order_below_it(
    api_as, operator, psm_b, monkeypatch, small_caps
):
    zaki, ali, budi = (make_person(name=f"Muhammad {name}") for name in ("Zaki", "Ali", "Budi"))
    yusuf = make_person(KEL_B, name="Muhammad Yusuf")
    over = api_as(operator).get("/api/v1/persons/", {"q": "muhammad"}).json()
    assert over["count_exact"] is False
    assert [p["id"] for p in over["results"]] == [yusuf.pk, budi.pk, ali.pk, zaki.pk]
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 10)
    within = api_as(operator).get("/api/v1/persons/", {"q": "muhammad"}).json()
    assert (within["count"], within["count_exact"]) == (4, True)
    assert [p["id"] for p in within["results"]] == [ali.pk, budi.pk, yusuf.pk, zaki.pk]
    # The PSM of B finds only the person of its own kelurahan, whatever the order.
    assert [p["id"] for p in api_as(psm_b).get("/api/v1/persons/", {"q": "muhammad"}).json()["results"]] == [yusuf.pk]


# --- a common word past its cap: the same rows, read newest first -----------------------------------------


def test_a_common_word_past_its_cap_lists_the_same_records_newest_first_in_the_users_area(
    api_as, client, tksk_a, operator, psm_a, admin_user, small_caps
):
    mine = [make_record(psm_a, person=make_person(name=f"Muhammad {n}")) for n in ("Ali", "Budi", "Cahya", "Dodi")]
    siti = make_record(psm_a, person=make_person(name="Siti Aminah"))
    make_record(operator, kelurahan=KEL_B, person=make_person(KEL_B, name="Muhammad Yusuf"))
    person_restrict(person=mine[1].person, actor=admin_user, reason="permintaan subjek data")
    client.force_login(tksk_a)
    first = client.get(LIST, {"q": "muhammad"})
    assert "lebih dari 2 data PPKS" in html(first)
    # Newest first, in the TKSK's kecamatan, without the restricted person's record: as the list always showed them
    # (the numbered page holds as many as were counted, the rest follow by cursor).
    assert [row["record"].pk for row in first.context["rows"]] == [mine[3].pk, mine[2].pk]
    assert shown_records(client.get(LIST, {"q": "muhammad", "cursor": f"a{mine[2].pk}"})) == {mine[0].pk}
    assert shown_records(client.get(LIST, {"q": "muhammad", "cursor": "b0"})) == {mine[0].pk, mine[2].pk, mine[3].pk}
    assert shown_records(client.get(LIST, {"q": "aminah"})) == {siti.pk}  # under the cap: counted, the same rows
    body = api_as(tksk_a).get(PPKS, {"q": "muhammad"}).json()
    assert (body["count"], body["count_exact"]) == (2, False)
    assert [item["id"] for item in body["results"]] == [mine[3].pk, mine[2].pk, mine[0].pk]
    assert walk(api_as(tksk_a), f"{PPKS}?q=muhammad&limit=1") == [mine[3].pk, mine[2].pk, mine[0].pk]


def test_a_name_with_few_matches_lists_them_newest_first_sorted_after_they_are_found(api_as, client, operator, psm_a):
    # PostgreSQL misjudges a long name's matches and, asked for the newest 25 by id, walked every record
    # backwards to find the few (6.7 s at a million records): the few are found first and then sorted.
    found = [make_record(psm_a, person=make_person(name="Salsabila Sihombing")) for _ in range(3)]
    make_record(psm_a, person=make_person(name="Salsabila Putri"))
    newest = [r.pk for r in reversed(found)]
    client.force_login(operator)
    page = client.get(LIST, {"q": "salsabila sihombing"})
    assert [row["record"].pk for row in page.context["rows"]] == newest
    assert "Menampilkan 1–3 dari 3 data PPKS" in html(page)
    body = api_as(operator).get(PPKS, {"q": "Salsabila Sihombing", "limit": 2}).json()
    assert (body["count"], body["count_exact"]) == (3, True)
    assert walk(api_as(operator), f"{PPKS}?q=salsabila+sihombing&limit=2") == newest
    records, total = selectors.ppks_found(operator, selectors.PpksFilter(q="salsabila sihombing"))
    order = str(records.query).split("ORDER BY")[-1]
    # On PostgreSQL by an expression no index serves, so the trigram index finds them; elsewhere by id.
    assert ("+ 0" in order) is (connection.vendor == "postgresql") and total.exact
    # A NIK is found by its unique index and keeps the id order.
    assert len(found[0].person.nik) == 16
    nik_records, _ = selectors.ppks_found(operator, selectors.PpksFilter(q=found[0].person.nik))
    assert "+ 0" not in str(nik_records.query).split("ORDER BY")[-1]


# --- the households' API pages as the registry's ----------------------------------------------------------


def test_api_households_page_by_cursor_within_the_area_with_a_count_that_stops(api_as, psm_a, operator, small_caps):
    HOUSEHOLDS = "/api/v1/households/"
    mine = [make_household() for _ in range(4)]
    other = make_household(KEL_B)
    newest = [h.pk for h in reversed([*mine, other])]
    body = api_as(operator).get(HOUSEHOLDS, {"limit": 2}).json()
    assert (body["count"], body["count_exact"], [h["id"] for h in body["results"]]) == (3, False, newest[:2])
    assert walk(api_as(operator), f"{HOUSEHOLDS}?limit=2") == newest
    assert walk(api_as(psm_a), f"{HOUSEHOLDS}?limit=1") == newest[1:]
    # ``offset`` keeps working and points to the cursor; the last page by cursor, and back.
    body = api_as(operator).get(HOUSEHOLDS, {"limit": 2, "offset": 2}).json()
    assert [h["id"] for h in body["results"]] == newest[2:4]
    assert f"cursor=a{newest[3]}" in body["next"] and f"cursor=b{newest[2]}" in body["previous"]
    last = api_as(operator).get(HOUSEHOLDS, {"limit": 2, "cursor": "b0"}).json()
    assert [h["id"] for h in last["results"]] == newest[3:] and last["next"] is None
    assert api_as(psm_a).get(HOUSEHOLDS, {"kelurahan": KEL_B}).json()["count"] == 0
