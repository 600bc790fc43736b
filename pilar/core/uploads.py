"""Checks for every uploaded photo or document: the type comes from the file's own bytes, never its name.

A phone camera photo is a JPEG whatever it is called, and a renamed executable is not a PDF. Images are also
opened with Pillow so that a truncated or forged image is refused before it is stored.
"""

import warnings
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilar.core.forms import form_arguments

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
IMAGES = frozenset({JPEG, PNG, WEBP})
DOCUMENTS = frozenset({PDF})
IMAGES_AND_DOCUMENTS = IMAGES | DOCUMENTS
MAX_BYTES = 5 * 1024 * 1024
# A phone photo has 12–50 megapixels; a 169-megapixel image is an attack on the server's memory, not evidence.
DEFAULT_MAX_PIXELS = 50_000_000
MAX_FILES_PER_REQUEST = 5  # the house assessment sends up to three photos; a little room for the other fields
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


def validate_upload(upload: Any, *, kinds: frozenset[str] = IMAGES_AND_DOCUMENTS, max_bytes: int = MAX_BYTES) -> str:
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


def size_of(upload: "UploadedFile[bytes]") -> int:
    """The size Django measured while receiving ``upload`` (its uploads always have one; the type allows None)."""
    if upload.size is None:
        raise ValueError(f"upload {upload.name!r} has no size")
    return upload.size


def max_pixels() -> int:
    return int(getattr(settings, "PILAR_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def _check_image(upload: Any) -> None:
    """Refuse a broken image, and one whose size in pixels would exhaust memory when decoded.

    The size is read from the header before anything is decoded; Pillow's own bomb guards (a warning past
    ``MAX_IMAGE_PIXELS``, an error past twice that) become errors too, for images that lie in their header.
    """
    from PIL import Image, UnidentifiedImageError

    limit = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.width * image.height > limit:
                    raise _too_many_pixels(image.width * image.height, limit)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(None, limit) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="broken") from exc
    finally:
        upload.seek(0)


def _too_many_pixels(pixels: int | None, limit: int) -> ValidationError:
    if pixels is None:
        message = _("Gambar terlalu besar; paling besar %(max)s megapiksel.") % {"max": limit // 1_000_000}
    else:
        message = _("Gambar terlalu besar (%(px)s megapiksel); paling besar %(max)s megapiksel.") % {
            "px": pixels // 1_000_000,
            "max": limit // 1_000_000,
        }
    return ValidationError(message, code="pixels")


# --- while the body streams -------------------------------------------------------------------------


class UploadTooLarge(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def import_max_bytes() -> int:
    """The import file limit: ``PILAR_IMPORT_MAX_MB`` (default 100 MB)."""
    return int(getattr(settings, "PILAR_IMPORT_MAX_BYTES", 100 * 1024 * 1024))


def _import_paths() -> tuple[str, ...]:
    return reverse("registry:import_list"), reverse("api-v1:list_imports")


def file_limit_for(path: str) -> int:
    """The largest single file an address accepts: an import file, or a photo/document."""
    return import_max_bytes() if path.startswith(_import_paths()) else MAX_BYTES


def _too_large(limit: int, size: int | None = None) -> str:
    if size is None:
        return _("Berkas terlalu besar; paling besar %(max)s.") % {"max": filesizeformat(limit)}
    return _("Berkas terlalu besar (%(size)s); paling besar %(max)s.") % {
        "size": filesizeformat(size),
        "max": filesizeformat(limit),
    }


def body_too_big(request: Any) -> str | None:
    """A message when the declared body is larger than any upload the address accepts, before reading it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    limit = file_limit_for(request.path)
    allowed = limit * (1 if limit > MAX_BYTES else MAX_FILES_PER_REQUEST) + 1024 * 1024
    return _too_large(limit, length) if length > allowed else None


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops the request once a file passes its address's limit,
    so a client without ``Content-Length`` cannot make the server store a huge file first."""

    def __init__(self, request: Any = None):
        super().__init__(request)
        self.limit = file_limit_for(request.path) if request is not None else MAX_BYTES
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(_too_large(self.limit))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class CheckedFileField(forms.FileField):
    """A file field that refuses anything but the allowed kinds and sizes; ``cleaned_data`` keeps the upload,
    with ``upload.checked_content_type`` set to the detected type."""

    def __init__(
        self, *, kinds: frozenset[str] = IMAGES_AND_DOCUMENTS, max_bytes: int = MAX_BYTES, **kwargs: Any
    ) -> None:
        self.kinds, self.max_bytes = kinds, max_bytes
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Jenis: %(kinds)s; paling besar %(max)s.")
            % {"kinds": ", ".join(sorted(LABELS[k] for k in kinds)), "max": filesizeformat(max_bytes)},
        )
        super().__init__(**kwargs)
        accept = ",".join(sorted(kinds))
        self.widget.attrs.setdefault("accept", accept)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size") and upload is not initial:
            upload.checked_content_type = validate_upload(upload, kinds=self.kinds, max_bytes=self.max_bytes)
        return upload


# The keyword the services that store a file give it: a form's ``file`` field is their ``upload``.
UPLOAD = {"file": "upload"}


def upload_arguments(cleaned: dict[str, Any]) -> dict[str, Any]:
    """A storing service's keyword arguments from a form with one ``CheckedFileField`` named ``file``: the other
    fields by name, the file as ``upload`` and the type it was checked to be as ``content_type``."""
    return form_arguments(cleaned, UPLOAD) | {"content_type": cleaned["file"].checked_content_type}


def serve_upload(file: Any, content_type: str, filename: str) -> Any:
    """An uploaded file as a download: never rendered by the browser as part of Pilar's own origin.

    A PDF could carry JavaScript and an image a polyglot: every upload is served with
    ``Content-Security-Policy: sandbox`` (no scripts, no forms, no same-origin access) and ``nosniff``; PDFs
    go out as attachments, photos inline (they are shown in the pages) but in the same sandbox.
    """
    from django.http import FileResponse

    response = FileResponse(file, content_type=content_type, as_attachment=content_type == PDF, filename=filename)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self' data:"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
