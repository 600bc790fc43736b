"""A restricted person leaks through no export or report: one test per surface, each also checking that the
Admin Dinsos still gets the row (so that a test passing on an empty file cannot pass)."""

import csv
import io
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from pilar.registry import services as registry
from pilar.registry.models import PpksRecord
from pilar.rights.services import person_restrict
from tests.api.conftest import api_as  # noqa: F401
from tests.conftest import KEC_A, KEL_A
from tests.registry.makers import POOR_FAMILY, household_in, propose


def _validated(record, checker):
    registry.ppks_verify(record=record, actor=checker, result="ditemukan")
    return registry.ppks_validate(record=record, actor=checker)


@pytest.fixture
def people(psm_a, tksk_a, operator, admin_user):
    """One visible PPKS person, one restricted, and a family record whose head is restricted."""
    shown = propose(psm_a).person
    hidden = propose(psm_a).person
    family = household_in(actor=operator, size=2)
    head = family.head
    _validated(propose(psm_a, household=family, category=POOR_FAMILY), operator)
    for person in (hidden, head):
        person_restrict(person=person, actor=admin_user, reason="keberatan sedang diperiksa")
    return {"shown": shown, "hidden": hidden, "head": head, "family": family}


def _body(answer) -> bytes:
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


def _cells(answer, kind: str) -> str:
    body = _body(answer)
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
    return "\n".join("|".join(str(cell) for cell in row) for row in rows)


def _export(client, user, kind: str, layout: str) -> str:
    client.force_login(user)
    answer = client.get("/registri/ekspor/", {"format": kind, "layout": layout})
    assert answer.status_code == 200
    return _cells(answer, kind)


@pytest.mark.parametrize("layout", ["pilar", "dtks"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_registry_exports_leave_out_restricted_persons_and_the_families_they_head(
    client, operator, admin_user, people, kind, layout
):
    seen = _export(client, operator, kind, layout)
    assert people["shown"].nik in seen
    assert people["hidden"].nik not in seen and people["hidden"].name not in seen
    assert people["family"].kk_number not in seen and people["head"].name not in seen
    admin = _export(client, admin_user, kind, layout)
    assert people["hidden"].nik in admin and people["family"].kk_number in admin


def test_the_registry_list_and_api_leave_out_a_family_headed_by_a_restricted_person(
    client,
    api_as,  # noqa: F811
    operator,
    admin_user,
    people,
):
    record = PpksRecord.objects.get(household=people["family"])
    assert not PpksRecord.objects.visible_to(operator).filter(pk=record.pk).exists()
    assert api_as(operator).get(f"/api/v1/ppks/{record.pk}").status_code == 404
    assert api_as(admin_user).get(f"/api/v1/ppks/{record.pk}").status_code == 200


def test_dashboards_do_not_count_a_family_headed_by_a_restricted_person(api_as, operator, admin_user, people):  # noqa: F811
    def active(user, **params):
        return api_as(user).get("/api/v1/dashboard/", params).json()["totals"]["ppks_active"]

    listed = api_as(operator).get("/api/v1/ppks/", {"status": "ditetapkan", "limit": 1}).json()["count"]
    assert active(operator) == listed == 0
    assert active(operator, kecamatan=KEC_A) == 0 and active(operator, kelurahan=KEL_A) == 0
    assert active(admin_user) == 1


def test_workforce_exports_leave_out_a_restricted_psm(client, operator, admin_user, psm_a, psm_b):
    person_restrict(person=psm_a.worker.person, actor=admin_user, reason="keberatan")
    for kind in ("csv", "xlsx"):
        client.force_login(operator)
        seen = _cells(client.get("/pekerja/ekspor/", {"format": kind}), kind)
        assert psm_b.worker.person.name in seen and psm_a.worker.person.name not in seen
        client.force_login(admin_user)
        assert psm_a.worker.person.name in _cells(client.get("/pekerja/ekspor/", {"format": kind}), kind)


def test_the_not_reported_list_of_the_recap_does_not_name_a_restricted_psm(client, tksk_a, admin_user, psm_a):
    person_restrict(person=psm_a.worker.person, actor=admin_user, reason="keberatan")
    month = f"{date.today():%Y-%m}"
    client.force_login(tksk_a)
    page = client.get("/kegiatan/rekap/", {"period": month, "kecamatan": KEC_A}).content.decode()
    assert psm_a.worker.person.name not in page
    client.force_login(admin_user)
    page = client.get("/kegiatan/rekap/", {"period": month, "kecamatan": KEC_A}).content.decode()
    assert psm_a.worker.person.name in page


def test_the_data_quality_figures_do_not_count_a_family_headed_by_a_restricted_person(operator, admin_user, people):
    from pilar.stats.quality import quality_rows, totals

    listed = PpksRecord.objects.visible_to(operator).count()
    assert totals(quality_rows(operator, "kelurahan")).total == listed == 1
    assert totals(quality_rows(admin_user, "kelurahan")).total == 3
