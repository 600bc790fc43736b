"""Defect 7 and the upload limits of issue 10: bad input ends as a clean 400/413 with a message, never a 500."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pilar.accounts.models import ApiToken
from pilar.core import uploads
from pilar.registry.models import Evidence
from tests.registry.makers import propose
from tests.signin import PilarClient

API_LISTS = [
    "/api/v1/workers/",
    "/api/v1/ppks/",
    "/api/v1/persons/",
    "/api/v1/households/",
    "/api/v1/cases/",
    "/api/v1/referrals/",
    "/api/v1/complaints/",
    "/api/v1/enrollments/",
    "/api/v1/imports/",
    "/api/v1/trainings/",
    "/api/v1/payroll-runs/",
    "/api/v1/activity-reports/",
    "/api/v1/categories/",
    "/api/v1/regions/",
    "/api/v1/programs/",
    "/api/v1/agencies/",
]
PAGES = [
    "/registri/",
    "/pekerja/",
    "/kasus/",
    "/rujukan/",
    "/pengaduan/",
    "/program/penerima/",
    "/pelatihan/",
    "/kegiatan/",
    "/insentif/",
]


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


@pytest.mark.parametrize("path", API_LISTS)
@pytest.mark.parametrize(
    "query",
    [
        "offset=9223372036854775808",
        "offset=-1",
        "limit=0",
        "limit=501",
        "offset=99999999999999999999999999",
        "limit=abc",
    ],
)
def test_every_api_list_answers_400_with_a_message_to_an_out_of_range_window(admin_user, path, query):
    answer = api(admin_user).get(f"{path}?{query}")
    assert answer.status_code == 400, (path, query, answer.status_code)
    field = query.split("=")[0]
    assert answer.json()["errors"][field][0].startswith(field)


@pytest.mark.parametrize("path", ["/api/v1/ppks/", "/api/v1/workers/"])
def test_the_largest_offset_is_answered_with_an_empty_page(admin_user, path):
    answer = api(admin_user).get(f"{path}?offset=9223372036854775807&limit=500")
    assert answer.status_code == 200 and answer.json()["results"] == []


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("page", ["99999999999999999999999999999", "-1", "0", "x"])
def test_list_pages_take_any_page_number_without_failing(client, admin_user, path, page):
    client.force_login(admin_user)
    assert client.get(f"{path}?page={page}").status_code == 200


@pytest.mark.parametrize(
    "path", ["/registri/?q=ab%00c", "/registri/?kecamatan=%00", "/pekerja/?q=%01", "/registri/%00/", "/kasus/?q=%7f"]
)
def test_pages_refuse_control_characters_with_400(client, operator, path):
    client.force_login(operator)
    answer = client.get(path)
    assert answer.status_code == 400 and "karakter kontrol" in answer.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/v1/ppks/?q=%00", "/api/v1/persons/?q=a%00", "/api/v1/cases/?kecamatan=%00", "/api/v1/workers/%00"]
)
def test_api_refuses_control_characters_in_parameters_and_paths(operator, path):
    answer = api(operator).get(path)
    assert answer.status_code == 400 and "karakter kontrol" in answer.json()["detail"]


def test_token_endpoint_refuses_a_nul_in_the_username(city):
    answer = Client().post(
        "/api/v1/auth/token", {"username": "ad\u0000min", "password": "x"}, content_type="application/json"
    )
    assert answer.status_code == 400 and "karakter kontrol" in str(answer.json())


def test_login_form_refuses_a_nul_in_the_username(client, city):
    answer = client.post(reverse("login"), {"username": "ad\x00min", "password": "x"})
    assert answer.status_code == 400


def test_json_bodies_with_control_characters_are_refused(psm_a):
    answer = api(psm_a).post("/api/v1/persons/", {"name": "Budi\u0000", "sex": "L"}, content_type="application/json")
    assert answer.status_code == 400 and "name" in answer.json()["errors"]


def test_text_areas_may_still_hold_line_breaks_and_tabs(client, operator):
    from tests.complaints.conftest import resident_data

    answer = Client().post(reverse("complaints:submit"), resident_data(description="Baris satu\r\nBaris\tdua"))
    assert answer.status_code in (200, 302)


# --- images -------------------------------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size, built row by row: a few hundred KB however many pixels it claims."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer, row, body = zlib.compressobj(9), b"\x00" * (1 + (width + 7) // 8), io.BytesIO()
    for _ in range(height):
        body.write(packer.compress(row))
    body.write(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body.getvalue()) + chunk(b"IEND", b"")


@pytest.fixture
def record(psm_a):
    return propose(psm_a)


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (13000, 13000)])  # a bomb; 169 megapixels
def test_huge_images_are_refused_cleanly_with_their_size(psm_a, record, width, height):
    upload = SimpleUploadedFile("foto.png", png(width, height), content_type="image/png")
    answer = api(psm_a).post(f"/api/v1/ppks/{record.pk}/evidence", {"file": upload})
    assert answer.status_code == 400, answer.status_code
    assert "megapiksel" in str(answer.json()) and not Evidence.objects.exists()


def test_an_ordinary_photo_is_still_accepted(psm_a, record):
    upload = SimpleUploadedFile("foto.png", png(400, 300), content_type="image/png")
    assert api(psm_a).post(f"/api/v1/ppks/{record.pk}/evidence", {"file": upload}).status_code == 201


# --- sizes while the body streams ---------------------------------------------------------------


def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(psm_a, record):
    answer = api(psm_a).post(
        f"/api/v1/ppks/{record.pk}/evidence", {"file": io.BytesIO(b"x")}, CONTENT_LENGTH=str(40 * 1024 * 1024)
    )
    assert answer.status_code == 413 and "terlalu besar" in answer.json()["detail"]


def test_import_uploads_default_to_100_mb(operator):
    client = PilarClient()
    client.force_login(operator)
    answer = client.post(
        reverse("registry:import_list"),
        {"file": io.BytesIO(b"x")},
        CONTENT_LENGTH=str(101 * 1024 * 1024 + 2 * 1024 * 1024),
    )
    assert answer.status_code == 413 and "100,0" in answer.content.decode()
    assert uploads.import_max_bytes() == 100 * 1024 * 1024


def test_a_file_growing_past_its_limit_is_stopped_while_it_streams(operator, settings):
    settings.PILAR_IMPORT_MAX_BYTES = 50_000  # the declared length passes the early check; the stream does not
    client = PilarClient()
    client.force_login(operator)
    big = SimpleUploadedFile("data.csv", b"NIK,Nama\n" + b"3671011203150007,Budi\n" * 20_000)
    answer = client.post(reverse("registry:import_list"), {"file": big, "mode": "valid-rows"})
    assert answer.status_code == 413 and "Berkas terlalu besar" in answer.content.decode()


def test_the_streaming_handler_counts_each_file_separately():
    handler = uploads.LimitedUploadHandler()
    handler.limit = 10
    handler.new_file("file", "a.txt", "text/plain", 8)
    handler.receive_data_chunk(b"x" * 8, 0)
    handler.new_file("file", "b.txt", "text/plain", 8)
    handler.receive_data_chunk(b"x" * 8, 0)
    with pytest.raises(uploads.UploadTooLarge):
        handler.receive_data_chunk(b"x" * 3, 8)
