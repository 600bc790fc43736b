"""The payroll run's steps come from one declaration (``pilar.incentives.workflow.PAYROLL``): the page's forms,
their URLs, the API endpoint and the guard every service calls."""

from datetime import date

import pytest
from django.urls import reverse

from pilar.core.workflow import Refused
from pilar.incentives import services
from pilar.incentives.models import PayrollRun
from pilar.incentives.workflow import PAYROLL

pytestmark = pytest.mark.django_db
JUNE = date(2026, 6, 1)


@pytest.fixture
def draft(operator, make_psm):
    make_psm()
    return services.payroll_generate(period=JUNE, actor=operator)


def test_the_maker_is_offered_only_the_discard_and_a_checker_both_steps(client, draft, operator, admin_user):
    client.force_login(operator)
    assert [i.step.name for i in client.get(draft.get_absolute_url()).context["steps"]] == ["discard"]
    client.force_login(admin_user)
    assert [i.step.name for i in client.get(draft.get_absolute_url()).context["steps"]] == ["approve", "discard"]


def test_discarding_from_the_page_goes_back_to_the_list_and_the_draft_is_gone(client, draft, operator):
    client.force_login(operator)
    response = client.post(reverse("incentives:run_discard", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("incentives:runs")
    assert not PayrollRun.objects.exists()


def test_an_approved_run_cannot_be_discarded_on_the_page_or_by_the_service(client, draft, operator, admin_user):
    services.payroll_approve(run=draft, actor=admin_user)
    client.force_login(operator)
    response = client.post(reverse("incentives:run_discard", args=[draft.pk]))
    assert response.status_code == 409
    assert "Penggajian yang sudah disetujui tidak dapat dihapus." in response.content.decode()
    with pytest.raises(Refused):
        services.payroll_discard(run=draft, actor=operator)
    assert PayrollRun.objects.get().status == PayrollRun.Status.APPROVED


def test_the_service_refuses_a_user_without_the_approval_permission(draft, pimpinan):
    refusal = PAYROLL.refusal(PAYROLL.step("approve"), pimpinan, draft)
    assert refusal is not None and refusal.status == 403
    with pytest.raises(Refused):
        services.payroll_approve(run=draft, actor=pimpinan)
    assert PayrollRun.objects.get().status == PayrollRun.Status.DRAFT
