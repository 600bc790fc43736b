"""Payroll guards: files only of approved runs; the current, unfinished month only when explicitly allowed."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from pilar.incentives import services
from pilar.incentives.models import PayrollRun

pytestmark = pytest.mark.django_db
JUNE = date(2026, 6, 1)


@pytest.fixture
def draft(operator, make_psm):
    make_psm()
    return services.payroll_generate(period=JUNE, actor=operator)


def test_a_draft_run_offers_no_file_and_the_server_refuses_one(client, operator, draft):
    client.force_login(operator)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("incentives:run_export", args=[draft.pk, "csv"]) not in page
    assert reverse("incentives:run_export", args=[draft.pk, "pdf"]) not in page
    assert "tersedia setelah penggajian disetujui" in page
    for fmt in ("csv", "xlsx", "pdf"):
        answer = client.get(reverse("incentives:run_export", args=[draft.pk, fmt]), follow=True)
        assert answer.redirect_chain[-1][0] == draft.get_absolute_url()
        assert "hanya tersedia untuk penggajian yang sudah disetujui" in answer.content.decode()


def test_an_approved_run_offers_its_files(client, operator, admin_user, draft):
    services.payroll_approve(run=draft, actor=admin_user)
    client.force_login(operator)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("incentives:run_export", args=[draft.pk, "csv"]) in page
    assert client.get(reverse("incentives:run_export", args=[draft.pk, "csv"])).status_code == 200


def test_approval_asks_first_and_names_the_total(client, admin_user, draft):
    client.force_login(admin_user)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert '<details class="confirm" data-confirm>' in page
    assert "Ya, setujui penggajian" in page and "jumlah Rp 500.000" in page


def test_the_current_month_is_refused_unless_allowed_and_the_allowance_is_audited(client, operator, make_psm):
    make_psm()
    this_month = timezone.localdate().replace(day=1)
    with pytest.raises(DomainError) as refused:
        services.payroll_generate(period=this_month, actor=operator)
    assert refused.value.field == "period" and "belum selesai" in refused.value.message
    client.force_login(operator)
    period = f"{this_month:%Y-%m}"
    answer = client.post(reverse("incentives:runs"), {"period": period, "rule": "prorated"})
    assert answer.status_code == 400 and "belum selesai" in answer.content.decode()
    assert not PayrollRun.objects.exists()
    answer = client.post(reverse("incentives:runs"), {"period": period, "rule": "prorated", "allow_unfinished": "on"})
    run = PayrollRun.objects.get()
    assert answer.status_code == 302 and run.period == this_month
    entry = AuditEntry.objects.filter(action="incentives.run.generated").latest("pk")
    assert entry.data["unfinished_month"] is True


def test_the_api_refuses_the_current_month_unless_allowed(api_as, operator, make_psm):
    make_psm()
    period = f"{timezone.localdate():%Y-%m}"
    refused = api_as(operator).post("/api/v1/payroll-runs/", {"period": period}, content_type="application/json")
    assert refused.status_code == 400 and "belum selesai" in refused.content.decode()
    allowed = api_as(operator).post(
        "/api/v1/payroll-runs/", {"period": period, "allow_unfinished": True}, content_type="application/json"
    )
    assert allowed.status_code == 201
