"""Mail reaches a real SMTP server from the environment alone (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
EMAIL_HOST_PASSWORD, EMAIL_USE_TLS), and a send that failed is shown to the admin on the operations page."""

import base64
import os
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pilar.notifications.models import OutgoingMail


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for one message: EHLO with AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        received = self.server.received  # type: ignore[attr-defined]
        self.reply("220 uji ESMTP")
        while line := self.rfile.readline().decode("latin-1").rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-uji")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                _zid, user, password = base64.b64decode(line.split()[2]).decode().split("\0")
                received["login"] = (user, password)
                self.reply("235 2.7.0 ok")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                received.setdefault("envelope", []).append(line)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 lanjut")
                body = []
                while (data := self.rfile.readline().decode("utf-8")) not in (".\r\n", ""):
                    body.append(data)
                received["message"] = "".join(body)
                self.reply("250 diterima")
            elif verb == "QUIT":
                self.reply("221 selesai")
                return
            else:
                self.reply("502 tidak dikenal")


@pytest.fixture
def smtp_server():
    server = socketserver.TCPServer(("127.0.0.1", 0), _Smtp)
    server.received = {}  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_mail_goes_to_the_smtp_server_named_in_the_environment(smtp_server, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "EMAIL_BACKEND")}
    env |= {
        "DEBUG": "1",
        "PILAR_DATA_DIR": str(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.server_address[1]),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "pilar",
        "EMAIL_HOST_PASSWORD": "sandi:dengan#tanda$khusus",
        "DEFAULT_FROM_EMAIL": "pilar@dinsos.contoh.id",
    }
    code = (
        "from django.core.mail import send_mail; from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND); "
        "send_mail('Uji surel Pilar', 'Isi', None, ['admin@dinsos.contoh.id'])"
    )
    out = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("pilar")), "shell", "-v0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out.strip() == "django.core.mail.backends.smtp.EmailBackend"
    got = smtp_server.received
    assert got["login"] == ("pilar", "sandi:dengan#tanda$khusus")
    assert "rcpt to:<admin@dinsos.contoh.id>" in [line.lower() for line in got["envelope"]]
    assert "Subject: Uji surel Pilar" in got["message"] and "From: pilar@dinsos.contoh.id" in got["message"]


def test_the_admin_sees_a_send_that_failed_on_the_operations_page(client, admin_user, operator):
    OutgoingMail.objects.create(
        to="psm.a@contoh.id",
        subject="Kasus baru di kelurahan Anda",
        body="-",
        attempts=3,
        last_error="SMTPAuthenticationError: 535 salah sandi",
    )
    client.force_login(admin_user)
    page = client.get("/operasi/").content.decode()
    assert "Kasus baru di kelurahan Anda" in page and "535 salah sandi" in page and "3 percobaan" in page
    client.force_login(operator)
    assert client.get("/operasi/").status_code == 403
