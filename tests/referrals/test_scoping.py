"""Agency users see only what is addressed to their agency, and only the minimum of the case."""

import pytest
from django.urls import reverse

from pilar.audit.models import PersonalDataAccess
from pilar.referrals.models import Referral
from tests.registry.makers import propose


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def two_referrals(referral_a, case_b, psm_b, send, disnaker):
    # One referral of case A to Dinkes (referral_a), one of case B to Disnaker.
    return referral_a, send(case_b, psm_b, to=disnaker, reason="Pelatihan kerja untuk anak sulung")


def test_each_role_sees_its_own_referrals(
    two_referrals, opd_user, opd_disnaker, psm_a, psm_b, tksk_a, operator, pimpinan
):
    to_dinkes, to_disnaker = two_referrals

    def seen(user):
        return set(Referral.objects.visible_to(user))

    assert seen(opd_user) == {to_dinkes}
    assert seen(opd_disnaker) == {to_disnaker}
    assert seen(psm_a) == {to_dinkes}
    assert seen(psm_b) == {to_disnaker}
    assert seen(tksk_a) == {to_dinkes}
    assert seen(operator) == seen(pimpinan) == {to_dinkes, to_disnaker}


def test_an_agency_user_gets_404_on_another_agencys_referral(client, two_referrals, opd_disnaker):
    to_dinkes, _ = two_referrals
    response = login(client, opd_disnaker).get(reverse("referrals:detail", args=[to_dinkes.pk]))
    assert response.status_code == 404


def test_an_agency_user_cannot_answer_another_agencys_referral(client, two_referrals, opd_disnaker):
    to_dinkes, _ = two_referrals
    response = login(client, opd_disnaker).post(reverse("referrals:accept", args=[to_dinkes.pk]))
    assert response.status_code == 404
    assert Referral.objects.get(pk=to_dinkes.pk).status == "terkirim"


def test_a_psm_sees_the_referral_but_may_not_answer_it(client, referral_a, psm_a):
    response = login(client, psm_a).post(reverse("referrals:accept", args=[referral_a.pk]))
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral_a.pk).status == "terkirim"


def test_the_head_of_office_reads_but_does_not_answer(client, referral_a, pimpinan):
    login(client, pimpinan)
    assert client.get(reverse("referrals:detail", args=[referral_a.pk])).status_code == 200
    assert client.post(reverse("referrals:decline", args=[referral_a.pk]), {"reason": "x"}).status_code == 403


def test_the_agency_reads_the_minimum_of_the_case(client, referral_a, case_a, opd_user):
    response = login(client, opd_user).get(reverse("referrals:detail", args=[referral_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for needed in ("Ibu Siti Aminah", case_a.kelurahan.name, "Pemeriksaan kesehatan lansia", referral_a.contact_name):
        assert needed in body
    assert "RAHASIA-RINGKASAN" not in body  # the case's summary stays with Dinsos
    assert "Jl. Ki Samaun" not in body
    assert case_a.get_absolute_url() not in body  # no link to a case page it could not open anyway


def test_viewing_a_referral_is_logged_as_personal_data_access(client, referral_a, opd_user):
    login(client, opd_user).get(reverse("referrals:detail", args=[referral_a.pk]))
    logged = PersonalDataAccess.objects.get(user=opd_user, object_id=str(referral_a.pk))
    assert logged.channel == PersonalDataAccess.Channel.PAGE


@pytest.fixture
def registered_case(make_case, psm_a, send):
    """A registered person with a PPKS record, whose case is referred to Dinkes."""
    record = propose(psm_a)
    case = make_case(psm_a, person=record.person, subject_name="")
    send(case, psm_a)
    return case, record


def test_an_agency_user_gets_404_on_the_case_and_registry_pages(client, registered_case, opd_user):
    case, record = registered_case
    login(client, opd_user)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("registry:person_detail", args=[record.person_id])).status_code == 404
    assert client.get(reverse("registry:ppks_detail", args=[record.pk])).status_code == 404


def test_an_agency_user_gets_404_on_registry_and_case_api(api_as, registered_case, opd_user):
    case, record = registered_case
    client = api_as(opd_user)
    assert client.get(f"/api/v1/persons/{record.person_id}").status_code == 404
    assert client.get(f"/api/v1/ppks/{record.pk}").status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
