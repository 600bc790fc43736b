"""The production web server's settings (pilar/gunicorn_conf.py): the application imported once, before the fork."""

import os
import subprocess
import sys
from pathlib import Path

from pilar import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_processes_are_forked_from_an_application_already_imported():
    # A replaced process then starts at once instead of importing Django and Pilar again while the others serve.
    assert gunicorn_conf.preload_app is True
    assert gunicorn_conf.max_requests >= 10_000  # at 60 requests/s, one process replaced every few minutes


def test_importing_the_application_opens_no_database_connection(tmp_path):
    # gunicorn's master imports pilar.wsgi before it forks (preload_app): a connection opened then would be one
    # socket shared by every process, their queries interleaved on it.
    code = (
        "import pilar.wsgi\n"
        "from django.db import connections\n"
        "print(sum(c.connection is not None for c in connections.all()))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PILAR_ENV_FILE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "pilar.settings",
        "DEBUG": "0",
        "SECRET_KEY": "tests-" + "k" * 50,
        "PILAR_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "0"
