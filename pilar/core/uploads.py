"""Checks for every uploaded photo or document: the type comes from the file's own bytes, never its name.

A phone camera photo is a JPEG whatever it is called, and a renamed executable is not a PDF. Images are also
opened with Pillow so that a truncated or forged image is refused before it is stored.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
IMAGES = frozenset({JPEG, PNG, WEBP})
DOCUMENTS = frozenset({PDF})
IMAGES_AND_DOCUMENTS = IMAGES | DOCUMENTS
MAX_BYTES = 5 * 1024 * 1024
LABELS = {JPEG: "JPG", PNG: "PNG", WEBP: "WEBP", PDF: "PDF"}


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce, or None when they are none of the accepted kinds."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def validate_upload(upload, *, kinds: frozenset[str] = IMAGES_AND_DOCUMENTS, max_bytes: int = MAX_BYTES) -> str:
    """The detected content type of ``upload``; ``ValidationError`` (Indonesian) when it is too big or not allowed."""
    allowed = ", ".join(sorted(LABELS[kind] for kind in kinds))
    if upload.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s); paling besar %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="too_big",
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind not in kinds:
        raise ValidationError(
            _("Jenis berkas tidak diterima. Yang diterima: %(allowed)s.") % {"allowed": allowed}, code="type"
        )
    if kind in IMAGES:
        _check_image(upload)
    return kind


def _check_image(upload) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="broken") from exc
    finally:
        upload.seek(0)


class CheckedFileField(forms.FileField):
    """A file field that refuses anything but the allowed kinds and sizes; ``cleaned_data`` keeps the upload,
    with ``upload.checked_content_type`` set to the detected type."""

    def __init__(self, *, kinds: frozenset[str] = IMAGES_AND_DOCUMENTS, max_bytes: int = MAX_BYTES, **kwargs):
        self.kinds, self.max_bytes = kinds, max_bytes
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Jenis: %(kinds)s; paling besar %(max)s.")
            % {"kinds": ", ".join(sorted(LABELS[k] for k in kinds)), "max": filesizeformat(max_bytes)},
        )
        super().__init__(**kwargs)
        accept = ",".join(sorted(kinds))
        self.widget.attrs.setdefault("accept", accept)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size") and upload is not initial:
            upload.checked_content_type = validate_upload(upload, kinds=self.kinds, max_bytes=self.max_bytes)
        return upload
