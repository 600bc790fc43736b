"""The start page lists the work waiting for each user, counted in their own area only."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from pilar.incentives.models import PayrollRun, ProrationRule
from pilar.registry import services
from tests.registry.makers import propose

HOME = reverse("home")


def queue_text(client, user) -> str:
    client.force_login(user)
    body = client.get(HOME).content.decode()
    return body.split('id="h-queue"', 1)[1].split("</section>", 1)[0]


def test_the_tksk_sees_the_proposals_of_the_kecamatan_waiting_for_verification(client, psm_a, psm_b, tksk_a):
    propose(psm_a)
    propose(psm_a)
    propose(psm_b, kelurahan_code="36.71.03.1001")  # another kecamatan: not the TKSK's work
    text = queue_text(client, tksk_a)
    assert '<span class="value">2</span> <span class="label">Usulan PPKS menunggu verifikasi</span>' in text
    assert "?status=diusulkan" in text


def test_a_psm_sees_only_their_own_returned_proposals_and_nothing_of_another_kelurahan(client, psm_a, psm_b, tksk_a):
    record = propose(psm_a)
    services.ppks_return(record=record, actor=tksk_a, reason="Foto KTP buram")
    assert "Usulan Anda yang perlu diperbaiki" in queue_text(client, psm_a)
    assert "Tidak ada pekerjaan yang menunggu." in queue_text(client, psm_b)


def test_a_payroll_run_waits_for_a_second_user_not_for_the_one_who_generated_it(client, operator, admin_user):
    PayrollRun.objects.create(
        period=date(2026, 10, 1), rule=ProrationRule.FULL, generated_by=operator, generated_at=timezone.now()
    )
    assert "Daftar insentif menunggu persetujuan Anda" in queue_text(client, admin_user)
    assert "Daftar insentif menunggu persetujuan Anda" not in queue_text(client, operator)


def test_the_start_page_stays_a_handful_of_queries(client, operator, django_assert_max_num_queries):
    client.force_login(operator)
    client.get(HOME)
    with django_assert_max_num_queries(25):
        assert client.get(HOME).status_code == 200
