from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from pilar.api.auth import issue_token

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class ErrorOut(Schema):
    detail: str


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut})
def token(request, credentials: Credentials):
    """Tukar nama pengguna dan kata sandi dengan token Bearer."""
    key = issue_token(request, credentials.username, credentials.password)
    if key is None:
        return Status(401, {"detail": _("Nama pengguna atau kata sandi salah, atau akun terkunci sementara.")})
    return Status(200, {"token": key})
