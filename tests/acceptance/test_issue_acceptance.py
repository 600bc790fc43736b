"""The foundation's 'done when', checked the way the office will: seed the demo, then ask the API."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import WorkerFactory, region

PASSWORD = "demo-pilar-2026"


def token(client, username: str) -> dict[str, str]:
    answer = client.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.mark.django_db
def test_after_seed_demo_the_api_reports_the_kota_tangerang_workforce(client):
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())
    admin = token(client, "admin")

    def count(path: str) -> int:
        answer = client.get(path, headers=admin)
        assert answer.status_code == 200
        return answer.json()["count"]

    assert count("/api/v1/regions/?level=kecamatan") == 13
    assert count("/api/v1/regions/?level=kelurahan") == 104
    assert count("/api/v1/workers/?role=psm&status=aktif") == 987
    assert count("/api/v1/workers/?role=tksk") == 13

    psm = token(client, "psm.3671011001.1")
    mine = client.get("/api/v1/workers/?limit=500", headers=psm).json()
    assert mine["count"] > 0
    assert {item["kelurahan"] for item in mine["results"]} == {"36.71.01.1001"}
    elsewhere = WorkerFactory(region=region("36.71.02.1001"))
    assert client.get(f"/api/v1/workers/{elsewhere.pk}", headers=psm).status_code == 404
