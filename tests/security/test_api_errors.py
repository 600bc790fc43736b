"""Every answer under /api/ is JSON with a message, also where no endpoint was reached (found by schemathesis)."""

from django.test import Client


def test_an_api_address_that_matches_no_endpoint_answers_json_404(api_as, operator):
    answer = api_as(operator).get("/api/v1/referrals/%25abc")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "Tidak ditemukan."}


def test_a_page_address_that_matches_nothing_still_answers_with_the_html_page(client, operator):
    client.force_login(operator)
    answer = client.get("/rujukan/%25abc/")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("text/html")


def test_a_multipart_body_without_a_boundary_is_a_400_with_a_message(db):
    answer = Client().post("/api/v1/auth/password", b"x", content_type="multipart/form-data")
    assert answer.status_code == 400
    assert answer.json()["detail"] == "Badan permintaan tidak dapat dibaca (formulir multipart rusak)."
