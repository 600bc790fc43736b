"""``/api/v1/reports``: the archive, making a report (201), its stored files; 400 in Indonesian, scoped."""

import pytest
from django.utils import timezone

from pilar.reports import services
from pilar.reports.filters import Period
from pilar.reports.models import ReportKind, ReportSnapshot

URL = "/api/v1/reports/"


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def test_head_of_office_makes_a_report_and_finds_it_in_the_archive(api_as, registry, pimpinan):
    client = api_as(pimpinan)
    made = client.post(URL, {"kind": "ppks", "period": this_month()}, content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind"] == "ppks" and body["period"] == this_month() and len(body["checksum"]) == 64
    listed = client.get(URL).json()
    assert listed["count"] == 1
    item = listed["results"][0]
    assert {"id", "kind", "period", "created_at", "checksum"} <= set(item) and item["id"] == body["id"]


def test_the_files_are_the_stored_bytes(api_as, registry, operator):
    snapshot = services.report_generate(
        kind=ReportKind.CASES, period=Period(*[timezone.localdate().replace(day=1)] * 2, this_month()), actor=operator
    )
    client = api_as(operator)
    pdf = client.get(f"{URL}{snapshot.pk}/pdf")
    xlsx = client.get(f"{URL}{snapshot.pk}/xlsx")
    assert pdf.status_code == 200 and pdf.content == bytes(snapshot.pdf) and pdf["Content-Type"] == "application/pdf"
    assert xlsx.status_code == 200 and xlsx.content == bytes(snapshot.xlsx)
    assert client.get(f"{URL}{snapshot.pk + 1}/pdf").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"kind": "neraca", "period": "2026-01"}, "kind", "Jenis laporan neraca tidak dikenal"),
        ({"kind": "ppks", "period": "2026-13"}, "period", "2026-11 (bulan) atau 2026 (tahun)"),
        ({"kind": "ppks", "period": "2999"}, "period", "belum dimulai"),
        ({"kind": "ppks"}, "period", "tidak boleh kosong"),
    ],
)
def test_a_bad_kind_or_period_answers_400_naming_the_field(api_as, city, operator, payload, field, words):
    response = api_as(operator).post(URL, payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert any(words.lower() in m.lower() for m in response.json()["errors"][field]), response.json()
    assert not ReportSnapshot.objects.exists()


@pytest.mark.parametrize("persona", ["tksk_a", "psm_a", "opd_user"])
def test_area_roles_get_no_reports(api_as, request, persona, operator):
    snapshot = services.report_generate(
        kind=ReportKind.WORKFORCE,
        period=Period(*[timezone.localdate().replace(day=1)] * 2, this_month()),
        actor=operator,
    )
    client = api_as(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"kind": "ppks", "period": "2026"}, content_type="application/json").status_code == 403
    assert client.get(f"{URL}{snapshot.pk}/pdf").status_code == 404


def test_the_schema_documents_the_report_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/reports/", "/api/v1/reports/{snapshot_id}/pdf", "/api/v1/reports/{snapshot_id}/xlsx"} <= set(paths)
    body = paths["/api/v1/reports/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"kind", "period"}
    assert "application/pdf" in paths["/api/v1/reports/{snapshot_id}/pdf"]["get"]["responses"]["200"]["content"]
