"""The payroll pages: who may see and do what, bad input, the maker-checker message, payslips, budget."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from pilar.audit.models import PersonalDataAccess
from pilar.incentives import services
from pilar.incentives.models import Adjustment, IncentiveRate, PayrollRun
from pilar.incentives.selectors import budget
from tests.incentives.conftest import bulk_psm

pytestmark = pytest.mark.django_db
JUNE = date(2026, 6, 1)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def draft(operator, make_psm):
    make_psm()
    make_psm(left_on=date(2026, 6, 10))
    return services.payroll_generate(period=JUNE, actor=operator)


def test_payroll_pages_require_login(client, draft):
    line = draft.lines.first()
    pages = [
        ("runs", []),
        ("run_detail", [draft.pk]),
        ("run_export", [draft.pk, "csv"]),
        ("mine", []),
        ("payslip", [line.pk]),
        ("budget", []),
        ("rates", []),
        ("adjustments", []),
    ]
    for name, args in pages:
        response = client.get(reverse(f"incentives:{name}", args=args))
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    for name in ("run_approve", "run_discard"):
        response = client.post(reverse(f"incentives:{name}", args=[draft.pk]))
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert PayrollRun.objects.get().status == PayrollRun.Status.DRAFT


def test_operator_generates_a_run_from_the_page(client, operator, make_psm):
    make_psm()
    response = login(client, operator).post(reverse("incentives:runs"), {"period": "2026-06", "rule": "full"})
    run = PayrollRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert (run.rule, run.line_count) == ("full", 1)


def test_bad_period_on_the_page_shows_a_message_and_saves_nothing(client, operator):
    response = login(client, operator).post(reverse("incentives:runs"), {"period": "juni 2026"})
    assert response.status_code == 400
    assert "Periode harus berbentuk TTTT-BB" in response.content.decode()
    assert not PayrollRun.objects.exists()


def test_generating_an_approved_month_on_the_page_says_why(client, operator, admin_user, draft):
    services.payroll_approve(run=draft, actor=admin_user)
    response = login(client, operator).post(reverse("incentives:runs"), {"period": "2026-06"})
    assert response.status_code == 400 and "sudah disetujui dan terkunci" in response.content.decode()


def test_generator_sees_why_they_cannot_approve_and_the_post_is_refused(client, operator, draft):
    page = login(client, operator).get(draft.get_absolute_url()).content.decode()
    assert (
        "persetujuan harus oleh pengguna lain" in page
        and reverse("incentives:run_approve", args=[draft.pk]) not in page
    )
    response = client.post(reverse("incentives:run_approve", args=[draft.pk]), follow=True)
    assert "persetujuan harus oleh pengguna lain" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PayrollRun.Status.DRAFT


def test_second_user_approves_from_the_page(client, admin_user, draft):
    response = login(client, admin_user).post(reverse("incentives:run_approve", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PayrollRun.Status.APPROVED and draft.approved_by == admin_user


def test_run_detail_lists_lines_and_exclusions_in_few_queries_and_logs_the_view(
    client, operator, draft, django_assert_max_num_queries
):
    login(client, operator)
    client.get(draft.get_absolute_url())  # warm the session and access caches
    with django_assert_max_num_queries(20):
        page = client.get(draft.get_absolute_url()).content.decode()
    assert "Rp 666.667" in page and "aktif terakhir 10 Juni 2026" in page
    assert PersonalDataAccess.objects.filter(user=operator, channel="page").exists()


def test_psm_cannot_see_runs_and_gets_404_for_a_run(client, psm_a, draft):
    login(client, psm_a)
    assert client.get(reverse("incentives:runs")).status_code == 403
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.post(reverse("incentives:run_approve", args=[draft.pk])).status_code == 404
    assert client.get(reverse("incentives:run_export", args=[draft.pk, "csv"])).status_code == 404


def test_pimpinan_reads_runs_but_cannot_generate_approve_or_download_bank_files(client, pimpinan, admin_user, draft):
    services.payroll_approve(run=draft, actor=admin_user)
    login(client, pimpinan)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.post(reverse("incentives:runs"), {"period": "2026-05"}).status_code == 403
    assert client.post(reverse("incentives:run_approve", args=[draft.pk])).status_code == 403
    assert client.get(reverse("incentives:run_export", args=[draft.pk, "xlsx"])).status_code == 403
    assert client.get(reverse("incentives:run_export", args=[draft.pk, "pdf"])).status_code == 200


def test_bank_file_has_account_holder_bank_amount_and_description(client, operator, admin_user, draft):
    services.payroll_approve(run=draft, actor=admin_user)
    response = login(client, operator).get(reverse("incentives:run_export", args=[draft.pk, "csv"]))
    rows = [row.split(";") for row in response.content.decode("utf-8-sig").strip().splitlines()]
    assert rows[0][:6] == ["no", "nomor_rekening", "nama_pemilik_rekening", "bank", "jumlah", "keterangan"]
    line = draft.lines.order_by("name").first()
    row = next(r for r in rows[1:] if r[1] == line.account_number)
    assert row[2:6] == [line.account_holder, "Bank BJB", str(int(line.amount)), "Insentif PSM Juni 2026"]
    assert PersonalDataAccess.objects.filter(user=operator, channel="export", unmasked=True).exists()


def test_psm_sees_own_payslips_only(client, operator, admin_user, psm_a, psm_b):
    run = services.payroll_generate(period=JUNE, actor=operator)
    login(client, psm_a)
    assert client.get(reverse("incentives:mine")).content.decode().count("incentives/slip/") == 0  # still a draft
    services.payroll_approve(run=run, actor=admin_user)
    own = run.lines.get(worker__user=psm_a)
    other = run.lines.get(worker__user=psm_b)
    page = client.get(reverse("incentives:mine")).content.decode()
    assert reverse("incentives:payslip", args=[own.pk]) in page
    assert reverse("incentives:payslip", args=[other.pk]) not in page
    slip = client.get(reverse("incentives:payslip", args=[own.pk])).content.decode()
    assert "Rp 500.000" in slip and own.account_number not in slip  # masked
    assert client.get(reverse("incentives:payslip", args=[other.pk])).status_code == 404
    pdf = client.get(reverse("incentives:payslip", args=[own.pk]), {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("incentives:payslip", args=[other.pk]), {"format": "pdf"}).status_code == 404


def test_adding_a_rate_with_bad_amount_shows_a_message_and_saves_nothing(client, operator):
    before = IncentiveRate.objects.count()
    response = login(client, operator).post(reverse("incentives:rates"), {"effective_from": "2027-01", "amount": "abc"})
    assert response.status_code == 400 and "Masukkan jumlah rupiah" in response.content.decode()
    response = client.post(reverse("incentives:rates"), {"effective_from": "2027-01", "amount": "Rp 600.000"})
    assert response.status_code == 302 and IncentiveRate.objects.count() == before + 1


def test_correction_form_refuses_unknown_psm_and_records_a_valid_one(client, operator, admin_user, draft):
    services.payroll_approve(run=draft, actor=admin_user)
    login(client, operator)
    bad = client.post(
        reverse("incentives:adjustments"), {"worker": 999999, "paid_month": "2026-06", "amount": "1000", "reason": "x"}
    )
    assert bad.status_code == 400 and "tidak ditemukan" in bad.content.decode() and not Adjustment.objects.exists()
    worker = draft.lines.first().worker_id
    ok = client.post(
        reverse("incentives:adjustments"),
        {"worker": worker, "paid_month": "2026-06", "amount": "25.000", "reason": "kurang"},
    )
    assert ok.status_code == 302 and Adjustment.objects.get().amount == Decimal(25000)


def test_budget_of_987_active_psm_for_a_year_is_rp_5_922_000_000(client, operator, city):
    bulk_psm(987, joined_on=date(2020, 1, 1))
    months = budget(2024)
    assert {m.active_psm for m in months} == {987}
    assert sum(m.planned for m in months) == Decimal(5_922_000_000)
    page = login(client, operator).get(reverse("incentives:budget"), {"year": 2024}).content.decode()
    assert "Rp 5.922.000.000" in page


def test_budget_uses_the_rate_of_each_month(city):
    bulk_psm(10, joined_on=date(2018, 1, 1))
    assert budget(2019)[11].rate == Decimal(350000) and budget(2020)[0].rate == Decimal(500000)
    assert sum(m.planned for m in budget(2019)) == Decimal(10 * 350000 * 12)
