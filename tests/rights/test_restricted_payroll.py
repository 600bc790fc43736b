"""A PSM whose processing is restricted (UU PDP) is still paid: the line stays in the run, its total and the bank
file, but its name is withheld on screen and in the API from everyone but the Admin Dinsos and the PSM."""

from datetime import date

import pytest

from pilar.accounts.models import Role, User
from pilar.incentives import exports, selectors, services
from pilar.rights.services import person_restrict
from tests.conftest import KEL_B
from tests.factories import user_with_role
from tests.incentives.conftest import (
    default_rates,  # noqa: F401  (autouse: the shipped rate schedule)
    make_psm,  # noqa: F401
)

JUNE = date(2026, 6, 1)
WITHHELD = str(selectors.RESTRICTED_NAME)


@pytest.fixture
def paid(operator, admin_user, make_psm):  # noqa: F811
    own = User.objects.create_user("psm.dibatasi", password=None)
    restricted = make_psm(account="0099887766", user=own)
    other = make_psm(kelurahan=KEL_B)
    person_restrict(person=restricted.person, actor=admin_user, reason="keberatan sedang diperiksa")
    run = services.payroll_generate(period=JUNE, actor=operator)
    run = services.payroll_approve(run=run, actor=admin_user)
    return run, restricted, other


@pytest.fixture
def keuangan(city):
    return user_with_role("keuangan", Role.KEUANGAN)


def test_a_restricted_psm_is_still_paid_and_in_the_bank_file(paid):
    run, restricted, _other = paid
    line = run.lines.get(worker=restricted)
    assert line.amount > 0 and run.line_count == 2 and not run.exclusions.filter(worker=restricted).exists()
    bank = exports.bank_csv(run).decode("utf-8-sig")
    assert "0099887766" in bank and restricted.account_holder in bank  # the bank needs whom to pay


def test_the_run_page_and_the_api_withhold_a_restricted_psms_name(client, api_as, keuangan, admin_user, paid):
    run, restricted, other = paid
    name = restricted.person.name
    client.force_login(keuangan)
    page = client.get(f"/insentif/{run.pk}/").content.decode()
    assert name not in page and WITHHELD in page and other.person.name in page
    line = run.lines.get(worker=restricted)
    slip = client.get(f"/insentif/slip/{line.pk}/").content.decode()
    assert name not in slip and restricted.account_holder not in slip and WITHHELD in slip
    body = api_as(keuangan).get(f"/api/v1/payroll-runs/{run.pk}").json()
    assert {row["name"] for row in body["lines"]} == {WITHHELD, other.person.name}
    paged = api_as(keuangan).get(f"/api/v1/payroll-runs/{run.pk}/lines").json()["results"]
    assert WITHHELD in {row["name"] for row in paged} and name not in str(paged)
    assert sum(row["amount"] for row in body["lines"]) == body["total"]  # the totals still count the line
    client.force_login(admin_user)
    assert name in client.get(f"/insentif/{run.pk}/").content.decode()


def test_the_psm_still_sees_their_own_name(paid):
    _run, restricted, _other = paid
    assert restricted.pk in selectors.withheld_workers(user_with_role("operator.dua", Role.OPERATOR))
    assert restricted.pk not in selectors.withheld_workers(restricted.user)
