"""The installable field app: manifest, service worker and field home served by Pilar itself; the API
answers the browser's own session (after every sign-in step); signing out clears the device."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from pilar.accounts.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_pilar_installable_from_its_own_files(client):
    answer = client.get("/manifest.webmanifest")
    data = json.loads(answer.content)
    assert answer["Content-Type"] == "application/manifest+json"
    assert data["scope"] == "/" and data["start_url"] == "/lapangan/" and data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert icon["src"].startswith("/static/") and finders.find(icon["src"].removeprefix("/static/"))


def test_the_service_worker_is_served_from_the_root_and_precaches_only_pilars_files(client):
    answer = client.get("/sw.js")
    source = answer.content.decode()
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/javascript")
    assert "__VERSION__" not in source and "__ASSETS__" not in source
    assets = json.loads(re.search(r"var ASSETS = (\[.*?\]);", source).group(1))
    assert "/static/pilar/field/home.js" in assets and all(a.startswith("/static/") for a in assets)
    assert "http://" not in source and "https://" not in source  # no CDN


def test_the_field_home_needs_sign_in_and_holds_no_personal_data(client, psm_a, city):
    assert client.get("/lapangan/").status_code == 302
    client.force_login(psm_a)
    page = client.get("/lapangan/").content.decode()
    assert f'data-user="{psm_a.pk}"' in page and 'data-list="ppks"' in page and 'data-list="payslips"' in page
    home = page[page.index('id="field-home"') : page.index("</main>")]
    assert "<li>" not in home  # the lists are filled on the device, from the API


def test_field_workers_pages_offer_the_app_and_others_do_not_register_it(client, psm_a, operator):
    client.force_login(psm_a)
    assert f'<html lang="id" data-field-app data-user="{psm_a.pk}">' in client.get("/").content.decode()
    client.force_login(operator)
    assert "data-field-app" not in client.get("/").content.decode()


def test_the_api_answers_a_signed_in_session(client, psm_a):
    client.force_login(psm_a)
    assert client.get("/api/v1/ppks/?limit=5").status_code == 200
    assert Client().get("/api/v1/ppks/?limit=5").status_code == 401


def test_the_api_refuses_a_session_that_still_owes_its_second_factor(city):
    staff = user_with_role("staf", Role.OPERATOR)
    half = Client()
    half.force_login(staff)  # the password step only: no second factor in this session
    assert half.get("/api/v1/ppks/?limit=5").status_code == 401


def test_a_session_cannot_post_to_the_api_without_the_csrf_token(psm_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(psm_a)
    answer = browser.post("/api/v1/activity-reports/", {}, content_type="application/json")
    assert answer.status_code in (401, 403)


def test_signing_out_clears_the_devices_store_and_kept_pages(client, psm_a):
    client.force_login(psm_a)
    answer = client.post("/akun/keluar/")
    assert answer["Clear-Site-Data"] == '"cache", "storage"'


def test_the_mini_map_gives_one_kelurahan_outline_drawn_as_the_dashboard_draws_it(client, psm_a, city):
    url = "/lapangan/peta/36.71.01.1001.json"
    assert client.get(url).status_code == 302
    client.force_login(psm_a)
    data = client.get(url).json()
    assert data["code"] == "36.71.01.1001" and data["d"].startswith("M") and data["height"] > 0
    lon, lat = data["rings"][0][0]
    frame = data["frame"]
    x = (lon - frame["min_x"]) * frame["shrink"] * frame["scale"]
    assert 0 <= x <= data["width"] and f"{x:.1f}," in data["d"]  # the point of the outline, where the path has it
    missing = client.get("/lapangan/peta/99.99.json")
    assert missing.status_code == 404 and "belum dimuat" in missing.json()["detail"]
