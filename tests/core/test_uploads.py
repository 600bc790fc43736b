import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pilar.core import uploads


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_real_png_is_accepted_whatever_its_name():
    upload = SimpleUploadedFile("foto.pdf", png_bytes(), content_type="application/pdf")
    assert uploads.validate_upload(upload) == uploads.PNG


def test_a_pdf_is_recognised_by_its_bytes():
    upload = SimpleUploadedFile("surat.jpg", b"%PDF-1.7\n...", content_type="image/jpeg")
    assert uploads.validate_upload(upload) == uploads.PDF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a photo", "Jenis berkas tidak diterima. Yang diterima: JPG, PDF, PNG, WEBP."),
        (b"", "Berkas kosong."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "Gambar rusak atau tidak dapat dibaca."),
    ],
)
def test_a_wrong_empty_or_broken_file_is_refused_in_indonesian(content, message):
    with pytest.raises(ValidationError) as refused:
        uploads.validate_upload(SimpleUploadedFile("x.png", content))
    assert refused.value.messages == [message]


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    upload = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * 2048)
    with pytest.raises(ValidationError) as refused:
        uploads.validate_upload(upload, max_bytes=1024)
    message = refused.value.messages[0]
    assert message.startswith("Berkas terlalu besar (2,0") and "1,0\xa0KB" in message


def test_the_form_field_limits_kinds_and_keeps_the_detected_type():
    field = uploads.CheckedFileField(kinds=uploads.IMAGES)
    with pytest.raises(ValidationError):
        field.clean(SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    upload = field.clean(SimpleUploadedFile("a.png", png_bytes()))
    assert upload.checked_content_type == uploads.PNG
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/webp"


def test_a_checked_file_reaches_its_service_as_upload_with_its_type_beside_the_other_fields():
    upload = uploads.CheckedFileField(kinds=uploads.IMAGES).clean(SimpleUploadedFile("a.png", png_bytes()))
    arguments = uploads.upload_arguments({"file": upload, "caption": "Kunjungan"})
    assert arguments == {"upload": upload, "content_type": uploads.PNG, "caption": "Kunjungan"}
