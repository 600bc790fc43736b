"""`pilar seed-demo`: Kota Tangerang's workforce as the articles describe it, the same on every run."""

import hashlib
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from pilar.accounts.models import Role, RoleAssignment, User
from pilar.identity.models import Person
from pilar.identity.nik import check_nik_consistency, parse_nik
from pilar.regions.models import Region
from pilar.workers.models import Assignment, BoardMembership, Worker

PASSWORD = "demo-pilar-2026"


def seed(**kwargs) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def active_psm_on(day: date) -> int:
    open_on = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    return Assignment.objects.filter(open_on, role="psm").values("worker").distinct().count()


def fingerprint() -> str:
    rows = [
        list(Person.objects.order_by("pk").values_list()),
        list(Worker.objects.order_by("pk").values_list()),
        list(User.objects.order_by("pk").values_list("username", "password", "is_staff")),
        list(Assignment.objects.order_by("pk").values_list()),
        list(BoardMembership.objects.order_by("pk").values_list()),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_demo_has_the_kota_tangerang_workforce_of_the_articles():
    printed = seed(password=PASSWORD)
    city = Region.objects.within("36.71")
    assert city.kecamatan().count() == 13 and city.villages().count() == 104
    assert Worker.objects.psm().active().count() == 987
    assert Worker.objects.tksk().active().count() == 13
    assert Worker.objects.psm().active().values("kelurahan").distinct().count() == 104
    assert active_psm_on(date(2018, 3, 27)) == 823
    assert active_psm_on(date(2023, 3, 16)) == 987
    assert Worker.objects.filter(status="berhenti").count() == 25
    assert "psm.3671011001.1" in printed and PASSWORD in printed


@pytest.mark.django_db
def test_demo_niks_are_valid_and_match_birth_date_and_sex():
    seed(password=PASSWORD)
    for nik, born, sex in Person.objects.values_list("nik", "birth_date", "sex"):
        parse_nik(nik)
        assert check_nik_consistency(nik, birth_date=born, sex=sex) == []


@pytest.mark.django_db
def test_demo_users_have_their_roles_and_areas(client):
    seed(password=PASSWORD)
    for village in Region.objects.within("36.71").villages():
        assert User.objects.filter(username=f"psm.{village.digits}.1").exists()
    psm = RoleAssignment.objects.select_related("region").get(user__username="psm.3671011001.1")
    assert (psm.role, psm.region.code) == (Role.PSM, "36.71.01.1001")
    tksk = RoleAssignment.objects.select_related("region").get(user__username="tksk.367101")
    assert (tksk.role, tksk.region.code) == (Role.TKSK, "36.71.01")
    assert RoleAssignment.objects.get(user__username="opd.dinkes").agency.code == "dinkes"
    assert User.objects.get(username="admin").is_superuser
    assert Worker.objects.get(user__username="psm.3671011001.1").kelurahan.code == "36.71.01.1001"
    answer = client.post("/akun/masuk/", {"username": "psm.3671011001.1", "password": PASSWORD})
    assert answer.status_code == 302


@pytest.mark.django_db
def test_demo_ipsm_board_has_one_active_psm_per_seat():
    seed(password=PASSWORD)
    seats = BoardMembership.objects.select_related("worker", "period")
    assert {s.period.start_year for s in seats} == {2021}
    singles = [s.position for s in seats if s.position != "anggota"]
    assert sorted(singles) == sorted(["ketua", "wakil_ketua", "sekretaris", "bendahara"])
    assert all(s.worker.role == "psm" and s.worker.status == "aktif" for s in seats)


@pytest.mark.django_db
def test_running_the_seed_twice_changes_nothing():
    seed(password=PASSWORD)
    before = fingerprint()
    printed = seed(password=PASSWORD)
    assert fingerprint() == before
    assert "0 pekerja" in printed


@pytest.mark.django_db
def test_without_a_password_one_random_password_is_printed_and_kept_afterwards():
    first = seed()
    password = first.split("Kata sandi semua akun: ")[1].split()[0]
    assert User.objects.get(username="operator").check_password(password)
    assert "tidak berubah" in seed()
    assert User.objects.get(username="tksk.367113").check_password(password)


@pytest.mark.django_db
def test_an_empty_password_is_refused():
    with pytest.raises(CommandError, match="tidak boleh kosong"):
        seed(password=" ")
