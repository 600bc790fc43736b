"""Defect 2: each role sees a person's address, birth date and NIK on every surface exactly as the visibility
table says: the PPKS page and API, the household API (list and detail), the case page and API, the person page
and API. Where a role may open the surface, what the table shows must be there and what it hides must not."""

import pytest
from django.test import Client

from pilar.accounts.models import ApiToken, Role
from pilar.accounts.visibility import Level, visibility_for
from pilar.cases import services as case_services
from pilar.cases.models import Case
from pilar.registry import services
from pilar.registry.models import Category, Relationship
from tests.conftest import KEL_A
from tests.factories import PersonFactory, region, user_with_role
from tests.signin import PilarClient

ROLES = ["admin_user", "operator", "pimpinan", "keuangan", "tksk_a", "psm_a", "opd_user"]
SURFACES = {
    "ppks page": lambda w: f"/registri/{w['record'].pk}/",
    "ppks api": lambda w: f"/api/v1/ppks/{w['record'].pk}",
    "household api": lambda w: f"/api/v1/households/{w['household'].pk}",
    "household api list": lambda w: "/api/v1/households/?limit=100",
    "case page": lambda w: f"/kasus/{w['case'].pk}/",
    "case api": lambda w: f"/api/v1/cases/{w['case'].pk}",
    "person page": lambda w: f"/registri/orang/{w['person'].pk}/",
    "person api": lambda w: f"/api/v1/persons/{w['person'].pk}",
}
# Which object of the world decides the levels on each surface, and which planted values it shows.
VALUES = {
    "ppks": ("record", {"address": "Jalan Rekaman Uji 21"}),
    "household": ("household", {"address": "Jalan Keluarga Uji 5"}),
    "case": ("case", {"address": "Jalan Kasus Uji 9"}),
    "person": (None, {"birth_date": "1950-03-04", "address": "Gang Orang Uji 1"}),
}


@pytest.fixture
def keuangan(city):
    return user_with_role("keuangan", Role.KEUANGAN)


@pytest.fixture
def world(city, operator, tksk_a):
    from datetime import date

    person = PersonFactory(birth_date=date(1950, 3, 4), sex="L", village=region(KEL_A), address="Gang Orang Uji 1")
    household = services.household_create(
        actor=operator,
        kk_number="3671010101200301",
        kelurahan=region(KEL_A),
        address="Jalan Keluarga Uji 5",
        members=[(person, Relationship.HEAD)],
    )
    record = services.ppks_propose(
        actor=operator,
        category=Category.objects.get(code="PPKS-08"),
        kelurahan=region(KEL_A),
        source="operator",
        person=person,
        address="Jalan Rekaman Uji 21",
    )
    case = case_services.case_open(
        actor=operator,
        kelurahan=region(KEL_A),
        category=None,
        source=Case.Source.WALK_IN,
        summary="Lansia sendiri",
        person=person,
        address="Jalan Kasus Uji 9",
    )
    return {"person": person, "household": household, "record": record, "case": case}


def answer(user, path: str):
    if path.startswith("/api/"):
        return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"}).get(path)
    client = PilarClient()
    client.force_login(user)
    return client.get(path)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_on_every_surface_what_the_table_shows(request, world, role, surface):
    user = request.getfixturevalue(role)
    response = answer(user, SURFACES[surface](world))
    if response.status_code in (403, 404):
        return  # the role may not open this surface at all: nothing shown
    assert response.status_code == 200
    body = response.content.decode()
    kind = surface.split()[0]
    obj_key, planted = VALUES[kind]
    view = visibility_for(user, world[obj_key] if obj_key else None)
    person = world["person"]
    checks = {**planted, "nik": person.nik} if kind != "household" else planted
    for key, value in checks.items():
        if key == "birth_date" and not surface.endswith("api"):
            value = "4 Maret 1950"
        if key == "address" and surface == "person api":
            continue  # the person API carries no address
        shown = view.level(key) == Level.FULL
        assert (value in body) == shown, f"{role} on {surface}: {key} {'missing' if shown else 'leaked'}"
