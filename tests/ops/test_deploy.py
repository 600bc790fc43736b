"""The production files: the env file read literally, systemd units that verify, nginx configs that parse."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pilar.core.envfile import EnvFileError, parse

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# What Django's get_random_secret_key() may produce, and what breaks `set -a; . /etc/pilar.env`.
NASTY_KEY = "a$b&c(d)e*f#g!h^i%j-k_l=m+n'o\"p`q s"


def test_an_env_file_value_is_every_character_after_the_first_equals_sign():
    text = f"# komentar\n\nSECRET_KEY={NASTY_KEY}\nexport DEBUG=0\nQUOTED='a b $c'\nDQ=\"x#y\"\n"
    assert parse(text) == {"SECRET_KEY": NASTY_KEY, "DEBUG": "0", "QUOTED": "a b $c", "DQ": "x#y"}


def test_a_malformed_env_line_names_its_line():
    with pytest.raises(EnvFileError, match="pilar.env:2"):
        parse("DEBUG=0\nini bukan variabel\n", "/etc/pilar.env")


def test_pilar_reads_a_secret_key_with_special_characters_from_its_env_file(tmp_path):
    env_file = tmp_path / "pilar.env"
    env_file.write_text(f"SECRET_KEY={NASTY_KEY}\nPILAR_REGION=32.73\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "PILAR_REGION", "DJANGO_SETTINGS_MODULE"}}
    env |= {"PILAR_ENV_FILE": str(env_file), "PILAR_DATA_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY); print(settings.PILAR_REGION)"
    done = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("pilar")), "shell", "-v0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-2:] == [NASTY_KEY, "32.73"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_systemd_units_verify(tmp_path):
    for unit in (DEPLOY / "systemd").glob("*.service"):
        # Point the unit at this checkout and an existing user, as an installation would have them.
        venv = Path(sys.executable).parent.parent
        text = unit.read_text().replace("/opt/pilar/.venv", str(venv)).replace("/opt/pilar", str(ROOT))
        text = text.replace("=pilar\n", "=root\n")
        (tmp_path / unit.name).write_text(text.replace("/var/lib/pilar", str(tmp_path)))
    units = sorted(str(p) for p in tmp_path.glob("*.service"))
    assert len(units) == 2
    done = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, check=False)  # noqa: S603, S607
    problems = [line for line in done.stderr.splitlines() if "pilar-" in line]
    assert done.returncode == 0 and not problems, done.stderr


@pytest.mark.skipif(not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists(), reason="nginx is not installed")
@pytest.mark.parametrize("site", ["pilar-https.conf", "pilar-intranet.conf"])
def test_the_nginx_configs_parse(tmp_path, site):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    text = (DEPLOY / "nginx" / site).read_text()
    if "ssl_certificate" in text:
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=pilar",
                "-keyout",
                str(tmp_path / "key.pem"),
                "-out",
                str(tmp_path / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )
        text = text.replace("/etc/ssl/pilar/fullchain.pem", str(tmp_path / "cert.pem"))
        text = text.replace("/etc/ssl/pilar/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n"
    )
    done = subprocess.run(  # noqa: S603
        [nginx, "-t", "-q", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_example_env_and_the_nginx_configs_agree_on_the_client_address():
    from pilar.core.envfile import parse as parse_env
    from pilar.core.net import parse_proxies

    example = parse_env((DEPLOY / "pilar.env.example").read_text())
    proxies = parse_proxies(example["PILAR_TRUSTED_PROXIES"])
    assert {str(network) for network in proxies} >= {"127.0.0.1/32", "::1/128"}  # nginx on the app's machine
    for site in ("pilar-https.conf", "pilar-intranet.conf"):
        text = (DEPLOY / "nginx" / site).read_text()
        # nginx appends the address it saw, so the right-most untrusted hop is the client.
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text, site
        assert "proxy_pass http://pilar_app;" in text and "server 127.0.0.1:8000;" in text, site
