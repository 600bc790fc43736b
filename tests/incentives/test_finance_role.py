"""The finance staff (Keuangan Dinsos) check what an operator generated: they approve and take the bank file,
and can neither generate nor touch the registry."""

import pytest
from django.urls import reverse

from pilar.accounts.models import Role
from tests.factories import user_with_role

URL = "/api/v1/payroll-runs/"


@pytest.fixture
def keuangan(city):
    # Finance staff of Dinsos: payroll approval and bank files, city-wide, nothing else to change.
    return user_with_role("keuangan", Role.KEUANGAN)


def test_finance_approves_the_operators_run_and_downloads_the_bank_file(api_as, operator, keuangan, make_psm):
    make_psm()
    run = api_as(operator).post(URL, {"period": "2026-06"}, content_type="application/json").json()
    approved = api_as(keuangan).post(f"{URL}{run['id']}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "disetujui"
    bank_file = api_as(keuangan).get(f"{URL}{run['id']}/export/csv")
    assert bank_file.status_code == 200 and "Insentif PSM" in bank_file.content.decode("utf-8-sig")


def test_finance_cannot_generate_a_run_nor_see_the_registry(api_as, client, keuangan):
    assert api_as(keuangan).post(URL, {"period": "2026-06"}, content_type="application/json").status_code == 403
    assert api_as(keuangan).get("/api/v1/ppks/").status_code == 403
    client.force_login(keuangan)
    assert client.get(reverse("registry:ppks_list")).status_code == 403
    assert client.get(reverse("incentives:runs")).status_code == 200
