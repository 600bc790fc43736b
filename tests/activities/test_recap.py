from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from pilar.activities import services
from pilar.activities.recap import build_recap
from pilar.regions.models import Region
from tests.activities.makers import SEPT, case_assigned_to, report_for, submitted
from tests.conftest import KEC_A, KEL_A, KEL_A2
from tests.factories import WorkerFactory, psm_user, region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def october(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 5))


@pytest.fixture
def september(psm_a, psm_b, tksk_a):
    """Kelurahan A: one accepted, one submitted, one draft; A2: one returned, one PSM silent; B: one accepted."""
    case_assigned_to(psm_a, datetime(2026, 9, 4, 9, tzinfo=ZoneInfo("Asia/Jakarta")))
    services.report_accept(actor=tksk_a, report=submitted(psm_a, visits=10, cases_handled=1, info_relayed=2))
    submitted(psm_user("psm.a.2", KEL_A), visits=4, cases_handled=0, info_relayed=1)
    report_for(psm_user("psm.a.3", KEL_A), visits=50)
    returned = submitted(psm_user("psm.a2.1", KEL_A2), visits=7)
    services.report_return(actor=tksk_a, report=returned, reason="Kurang rinci")
    WorkerFactory(region=region(KEL_A2))
    submitted(psm_b, visits=99)


def test_recap_counts_per_kelurahan_the_reports_that_reached_the_tksk(september):
    recap = build_recap(period=SEPT, kecamatan=Region.objects.get(code=KEC_A))
    rows = {row.region.code: row for row in recap.rows}
    a, a2 = rows[KEL_A], rows[KEL_A2]
    assert (a.psm, a.submitted, a.accepted, a.missing, a.visits, a.cases_handled, a.info_relayed) == (
        3,
        2,
        1,
        1,
        14,
        1,
        3,
    )
    assert (a2.psm, a2.submitted, a2.accepted, a2.missing, a2.visits) == (2, 0, 0, 2, 0)
    assert len(recap.rows) == Region.objects.filter(parent__code=KEC_A).count()
    assert (recap.total.psm, recap.total.visits) == (5, 14)  # Kecamatan B's report stays out


def test_city_recap_has_one_row_per_kecamatan(september):
    recap = build_recap(period=SEPT, kecamatan=None)
    assert len(recap.rows) == 13
    assert recap.total.visits == 14 + 99


def test_recap_xlsx_holds_the_same_figures_as_the_page(client, september, tksk_a):
    client.force_login(tksk_a)
    page = client.get(reverse("activities:recap"), {"period": "2026-09"})
    assert page.context["recap"].kecamatan.code == KEC_A  # a TKSK's recap is their own kecamatan
    answer = client.get(reverse("activities:recap_xlsx"), {"period": "2026-09", "kecamatan": KEC_A})
    assert answer["Content-Disposition"].endswith('rekap-kegiatan-psm-367101-2026-09.xlsx"')
    sheet = CalamineWorkbook.from_filelike(BytesIO(answer.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][0].startswith("Rekap kegiatan PSM Kecamatan Tangerang")
    sukarasa = next(row for row in sheet if row[0] == "Sukarasa")
    assert [int(v) for v in sukarasa[1:]] == [3, 2, 1, 1, 14, 0, 0, 1, 3]
    assert sheet[-1][0] == "Jumlah"


def test_recap_print_has_the_signature_block(client, september, tksk_a):
    client.force_login(tksk_a)
    page = client.get(reverse("activities:recap_print"), {"period": "2026-09"})
    assert page.status_code == 200
    assert "TKSK Kecamatan Tangerang" in page.text and "main-nav" not in page.text


def test_recap_with_a_bad_month_says_so(client, tksk_a):
    client.force_login(tksk_a)
    page = client.get(reverse("activities:recap"), {"period": "bulan lalu"})
    assert page.status_code == 400 and "TTTT-BB" in page.text


def test_recap_costs_a_fixed_number_of_queries(september, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        recap = build_recap(period=SEPT, kecamatan=None)
        [row.region.name for row in recap.rows]


def test_recap_lists_the_psm_who_have_not_submitted_yet(client, september, tksk_a):
    client.force_login(tksk_a)
    page = client.get(reverse("activities:recap"), {"period": "2026-09"})
    missing = page.context["missing"]
    # Sukarasa: the one with a draft; Sukaasih: the returned one and the silent one.
    assert [w.kelurahan.code for w in missing] == [KEL_A, KEL_A2, KEL_A2]
    assert "3 PSM belum mengajukan laporan" in page.text


def test_a_psm_sees_the_recap_figures_but_not_who_has_not_reported(client, september, psm_a):
    client.force_login(psm_a)
    page = client.get(reverse("activities:recap"), {"period": "2026-09"})
    assert page.status_code == 200 and page.context["missing"] == []
