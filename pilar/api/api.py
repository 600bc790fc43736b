"""Pilar's JSON API, ``/api/v1/``: thin endpoints over the same forms, selectors and services as the pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from pilar.api.auth import BearerToken, PasswordChangeRequired, SignedInSession
from pilar.api.parser import BodyRefused, CheckedParser
from pilar.core.errors import DomainError
from pilar.core.workflow import Refused

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail"],
}
ERROR_TEXT = {
    "400": "Isian atau parameter tidak valid (pesan per isian di errors)",
    "401": "Belum masuk atau token tidak berlaku",
    "403": "Tidak berhak atas tindakan ini",
    "404": "Tidak ditemukan atau di luar wilayah pengguna",
    "409": "Bertentangan dengan keadaan data (mis. langkah yang tidak diizinkan tahapnya)",
    "413": "Berkas terlalu besar",
}


class PilarAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema with the error answers every operation can give, so clients and fuzzers know them."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"].setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                codes = ["400"]
                codes += ["401", "403"] if operation.get("security") else []
                codes += ["404"] if "{" in path else []
                codes += ["409"] if method != "get" else []
                body = operation.get("requestBody", {}).get("content", {})
                codes += ["413"] if "multipart/form-data" in body else []
                responses = operation.setdefault("responses", {})
                for code in codes:
                    responses.setdefault(
                        code,
                        {
                            "description": ERROR_TEXT[code],
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    )
        return schema


api = PilarAPI(
    title="Pilar API",
    version="1",
    description="API Pilar untuk Dinas Sosial: wilayah, pekerja sosial (PSM/TKSK). "
    "Masuk dengan POST /api/v1/auth/token, lalu kirim header `Authorization: Bearer <token>`.",
    auth=[BearerToken(), SignedInSession()],
    urls_namespace="api-v1",
    parser=CheckedParser(),
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    """Field errors in Bahasa Indonesia: ``{"errors": {"field": ["message"]}}``."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": _("Data tidak valid."), "errors": errors}, status=400)


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc: SchemaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", []) if part not in ("body", "query", "path", "payload")]
        field = ".".join(loc) or "__all__"
        errors.setdefault(field, []).append(_schema_message(field, item))
    return api.create_response(request, {"detail": _("Data tidak valid."), "errors": errors}, status=400)


def _schema_message(field: str, item: dict) -> str:
    """An Indonesian message for the common schema errors: a number out of range or not a number at all."""
    ctx, kind = item.get("ctx") or {}, item.get("type", "")
    if kind in ("greater_than_equal", "greater_than"):
        return _("%(field)s paling kecil %(limit)s.") % {"field": field, "limit": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("%(field)s paling besar %(limit)s.") % {"field": field, "limit": ctx.get("le", ctx.get("lt"))}
    if kind.startswith("int_"):
        return _("%(field)s harus bilangan bulat.") % {"field": field}
    return _("Format isian tidak valid.")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Ninja's own refusals; a body our parser refused keeps its field and Indonesian message."""
    if isinstance(exc.__cause__, BodyRefused):
        return on_validation_error(request, exc.__cause__)
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):
        detail = _("Badan permintaan tidak dapat dibaca (bukan JSON yang valid).")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    errors = {exc.field or "__all__": [exc.message]}
    return api.create_response(request, {"detail": exc.message, "errors": errors}, status=409)


@api.exception_handler(Refused)
def on_refused(request, exc: Refused):
    """A workflow step refused by its declaration: 403 not the user's to take, 409 no longer where it starts."""
    body: dict = {"detail": exc.message}
    if exc.status != 403 and exc.errors:
        body["errors"] = {exc.field or "__all__": [exc.message]}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    detail = str(exc) or _("Anda tidak memiliki izin untuk tindakan ini.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(PasswordChangeRequired)
def on_password_change_required(request, exc: PasswordChangeRequired):
    return api.create_response(request, {"detail": str(exc), "password_change_required": True}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Tidak ditemukan.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Belum masuk atau token tidak berlaku.")}, status=401)


from pilar.api import routes  # noqa: E402,F401  (registers the routers on ``api``)
