from datetime import timedelta

from django.utils import timezone

from pilar.accounts.models import ApiToken
from tests.conftest import PASSWORD
from tests.signin import enrol, totp_code


def test_token_is_issued_for_right_credentials_and_opens_the_api(client, operator):
    enrol(operator)
    data = {"username": "operator", "password": PASSWORD, "otp": totp_code(operator)}
    answer = client.post("/api/v1/auth/token", data, content_type="application/json")
    assert answer.status_code == 200
    token = answer.json()["token"]
    listed = client.get("/api/v1/regions/?level=kecamatan", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200 and listed.json()["count"] == 13


def test_wrong_credentials_answer_401(client, operator):
    answer = client.post(
        "/api/v1/auth/token", {"username": "operator", "password": "salah"}, content_type="application/json"
    )
    assert answer.status_code == 401
    assert "salah" in answer.json()["detail"]


def test_api_without_token_answers_401(client, city):
    assert client.get("/api/v1/workers/").status_code == 401


def test_expired_or_unknown_token_answers_401(client, operator):
    key = ApiToken.issue(operator)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get("/api/v1/workers/", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert client.get("/api/v1/workers/", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_only_the_hash_of_a_token_is_stored(operator):
    key = ApiToken.issue(operator)
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert ApiToken.objects.filter(key_hash=ApiToken.hash(key)).exists()


def test_repeated_failures_lock_the_token_endpoint_too(client, operator):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": "operator", "password": "salah"},
            content_type="application/json",
        )
    locked = client.post(
        "/api/v1/auth/token", {"username": "operator", "password": PASSWORD}, content_type="application/json"
    )
    assert locked.status_code == 429
    assert "terkunci" in locked.json()["detail"]


def test_openapi_schema_and_docs_are_served(client, city):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    paths = schema.json()["paths"]
    assert "/api/v1/workers/" in paths
    body = paths["/api/v1/workers/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"nik", "name", "birth_date", "role", "kelurahan"} <= set(body["properties"])
    assert body["properties"]["role"]["enum"] == ["psm", "tksk"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"cdn." not in docs.content
