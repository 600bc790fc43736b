"""Defect 3: registering a NIK or No. KK that exists outside the user's area reveals nothing; it becomes a
request to Dinsos, rate-limited and audited, which an operator resolves by moving the person or refusing."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pilar.accounts.models import ApiToken
from pilar.audit.models import AuditEntry
from pilar.identity.models import Person
from pilar.notifications.models import Notification
from pilar.registry import requests as routing
from pilar.registry.models import Household, Relationship
from pilar.registry.request_models import RegistrationRequest
from pilar.registry.services import household_create
from tests.conftest import KEL_A, KEL_B
from tests.factories import PersonFactory, region
from tests.registry.test_pages import new_person_form

PROPOSE = reverse("registry:ppks_propose")


@pytest.fixture
def elsewhere(city):
    """A person registered in kelurahan B (another kecamatan), whose NIK a PSM of A will type."""
    form = new_person_form()
    return PersonFactory(
        nik=form["nik"],
        name="Abah Rohim",
        sex="L",
        birth_date=date(1950, 2, 14),
        village=region(KEL_B),
        address="Jl. Rahasia B 4",
    )


def api(user):
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def test_page_routes_a_nik_registered_elsewhere_to_dinsos_without_saying_it_exists(client, psm_a, operator, elsewhere):
    client.force_login(psm_a)
    answer = client.post(PROPOSE, new_person_form(), follow=True)
    page = answer.content.decode()
    assert "sudah terdaftar" not in page and "Jl. Rahasia B 4" not in page and elsewhere.village.name not in page
    assert "diteruskan ke Dinas Sosial" in page
    request = RegistrationRequest.objects.get()
    assert (request.person, request.requested_by, request.kelurahan.code) == (elsewhere, psm_a, KEL_A)
    assert Person.objects.filter(nik=elsewhere.nik).count() == 1
    assert AuditEntry.objects.filter(action="registry.registration_request.created", actor=psm_a).exists()
    assert Notification.objects.filter(recipient=operator, kind="registry.registration_request").exists()


def test_api_answers_202_with_the_request_and_nothing_about_the_person(psm_a, elsewhere):
    payload = {k: v for k, v in new_person_form().items()}
    answer = api(psm_a).post("/api/v1/persons/", payload, content_type="application/json")
    assert answer.status_code == 202
    body = answer.json()
    assert set(body) == {"detail", "request"} and RegistrationRequest.objects.filter(pk=body["request"]).exists()
    assert "Rahasia" not in answer.content.decode() and str(elsewhere.pk) not in body["detail"]


def test_a_nik_the_user_may_see_is_still_refused_as_already_registered(client, psm_a, city):
    PersonFactory(nik=new_person_form()["nik"], village=region(KEL_A))
    client.force_login(psm_a)
    answer = client.post(PROPOSE, new_person_form())
    assert answer.status_code == 400 and "sudah terdaftar" in answer.content.decode()
    assert not RegistrationRequest.objects.exists()


def test_routed_attempts_are_limited_per_day_and_the_refusal_is_audited(psm_a, elsewhere, settings):
    settings.PILAR_REGISTRATION_REQUESTS_PER_DAY = 2
    client = api(psm_a)
    codes = [
        client.post("/api/v1/persons/", new_person_form(), content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [202, 202, 429]
    assert RegistrationRequest.objects.count() == 2
    assert AuditEntry.objects.filter(action="registry.registration_request.refused", actor=psm_a).count() == 1


def test_a_kk_registered_elsewhere_is_routed_too(psm_a, operator, city):
    head_b = PersonFactory(village=region(KEL_B))
    household_create(
        actor=operator, kk_number="3671030101200777", kelurahan=region(KEL_B), members=[(head_b, Relationship.HEAD)]
    )
    mine = PersonFactory(village=region(KEL_A))
    payload = {
        "kk_number": "3671030101200777",
        "kelurahan": KEL_A,
        "members": [{"person": mine.pk, "relationship": "kepala"}],
    }
    answer = api(psm_a).post("/api/v1/households/", payload, content_type="application/json")
    assert answer.status_code == 202, answer.content
    assert RegistrationRequest.objects.get().kind == RegistrationRequest.Kind.HOUSEHOLD
    assert Household.objects.count() == 1


def test_operator_moves_the_person_into_the_requesters_area(client, psm_a, operator, elsewhere):
    request = routing.person_register(actor=psm_a, data=_data())
    client.force_login(operator)
    assert client.get(reverse("registry:request_list")).status_code == 200
    assert "Abah Rohim" in client.get(request.get_absolute_url()).content.decode()
    answer = client.post(reverse("registry:request_move", args=[request.pk]), {"note": "Pindah domisili"})
    assert answer.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.village.code == KEL_A
    psm = Client()
    psm.force_login(psm_a)
    assert psm.get(reverse("registry:person_detail", args=[elsewhere.pk])).status_code == 200
    assert Notification.objects.filter(recipient=psm_a, kind="registry.registration_request.moved").exists()


def test_refusing_needs_a_reason_and_tells_the_requester(client, psm_a, operator, elsewhere):
    request = routing.person_register(actor=psm_a, data=_data())
    client.force_login(operator)
    assert client.post(reverse("registry:request_refuse", args=[request.pk]), {"note": ""}).status_code == 400
    assert client.post(reverse("registry:request_refuse", args=[request.pk]), {"note": "NIK salah"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RegistrationRequest.Status.REFUSED
    assert Notification.objects.filter(recipient=psm_a, kind="registry.registration_request.refused").exists()


@pytest.mark.parametrize("persona", ["psm_a", "tksk_a", "pimpinan"])
def test_only_dinsos_opens_the_request_queue(client, request, persona, psm_a, elsewhere):
    item = routing.person_register(actor=psm_a, data=_data())
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("registry:request_list")).status_code == 403
    assert client.get(item.get_absolute_url()).status_code == 403


def test_the_queue_needs_a_login(client, city):
    answer = client.get(reverse("registry:request_list"))
    assert answer.status_code == 302 and reverse("login") in answer.url


def _data():
    from pilar.registry.services import PersonData

    form = new_person_form()
    return PersonData(
        name=form["name"],
        sex=form["sex"],
        nik=form["nik"],
        birth_date=date(1950, 2, 14),
        address=form["address"],
        village=region(KEL_A),
    )


def test_correcting_a_nik_to_one_held_elsewhere_is_routed_too(tksk_a, elsewhere, city):
    mine = PersonFactory(nik=None, village=region(KEL_A), name="Abah Rohim", sex="L", birth_date=date(1950, 2, 14))
    answer = api(tksk_a).patch(
        f"/api/v1/persons/{mine.pk}", {"nik": elsewhere.nik, "reason": "KTP ditemukan"}, content_type="application/json"
    )
    assert answer.status_code == 202 and "sudah terdaftar" not in answer.content.decode()
    mine.refresh_from_db()
    assert mine.nik is None and RegistrationRequest.objects.get().person == elsewhere


def test_changing_a_kk_to_one_held_elsewhere_is_routed_too(tksk_a, operator, city):
    head_b = PersonFactory(village=region(KEL_B))
    household_create(
        actor=operator, kk_number="3671030101200888", kelurahan=region(KEL_B), members=[(head_b, Relationship.HEAD)]
    )
    mine = household_create(
        actor=operator,
        kk_number="3671010101200889",
        kelurahan=region(KEL_A),
        members=[(PersonFactory(village=region(KEL_A)), Relationship.HEAD)],
    )
    answer = api(tksk_a).patch(
        f"/api/v1/households/{mine.pk}",
        {"kk_number": "3671030101200888", "reason": "KK baru"},
        content_type="application/json",
    )
    assert answer.status_code == 202
    mine.refresh_from_db()
    assert mine.kk_number == "3671010101200889"
