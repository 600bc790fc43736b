"""The dashboard page: who may open it, what it shows each area, bad filters, downloads, an empty registry."""

import io

import openpyxl
import pytest

from tests.conftest import KEC_A, KEC_B, KEL_A

URL = "/dasbor/"


def test_the_dashboard_needs_a_login(client, city):
    answer = client.get(URL)
    assert answer.status_code == 302 and "/akun/masuk/" in answer.url


def test_agency_users_may_not_open_the_dashboard(client, opd_user):
    client.force_login(opd_user)
    assert client.get(URL).status_code == 403


def test_an_empty_registry_renders_a_dashboard_of_zeros(client, pimpinan):
    client.force_login(pimpinan)
    answer = client.get(URL)
    body = answer.content.decode()
    assert answer.status_code == 200
    assert "Belum ada PPKS yang ditetapkan dalam cakupan ini." in body
    assert 'class="choropleth"' in body and body.count('<path d="M') == 104


VIEWS = [
    "",
    f"?kecamatan={KEC_A}",
    f"?kelurahan={KEL_A}",
    "?peta=change",
    "?peta=ppks_per_psm",
    "?urut=-ppks_active",
    "?period=2026-Q4",
    "?months=36",
]


@pytest.mark.parametrize("query", VIEWS)
def test_every_view_of_the_dashboard_renders(client, pimpinan, registry, query):
    client.force_login(pimpinan)
    assert client.get(URL + query).status_code == 200


def test_the_tksk_sees_its_own_kecamatan_only(client, tksk_a, registry):
    client.force_login(tksk_a)
    body = client.get(URL).content.decode()
    assert "Tangerang" in body and "Batuceper" not in body
    from pilar.regions.models import Region

    # The kelurahan of Kecamatan Tangerang only, on the map.
    assert body.count('<path d="M') == Region.objects.villages().filter(parent__code=KEC_A).count() == 8
    assert f"kecamatan={KEC_B}" not in body


def test_every_number_links_to_the_registry_rows_it_counts(client, pimpinan, registry):
    client.force_login(pimpinan)
    body = client.get(URL, {"kecamatan": KEC_A}).content.decode()
    assert f"/registri/?status=ditetapkan&amp;kecamatan={KEC_A}&amp;kelurahan={KEL_A}" in body


def test_a_bad_period_is_named_and_the_page_still_shows(client, pimpinan):
    client.force_login(pimpinan)
    answer = client.get(URL, {"period": "bulan lalu"})
    assert answer.status_code == 400
    assert "Periode tidak dikenal" in answer.content.decode() and "Angka utama" in answer.content.decode()


def test_the_category_table_downloads_with_numbers_and_a_totals_row(client, pimpinan, registry):
    client.force_login(pimpinan)
    answer = client.get(URL, {"unduh": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kategori" and rows[-1][0] == "Jumlah"
    assert rows[-1][-1] == 6 and isinstance(rows[1][-1], int)  # the restricted persons stay out, as in the registry
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref
    csv = client.get(URL, {"unduh": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[-1].endswith(",6")
