"""Another kota installs Pilar: its own regions, empty program/agency/rate tables, no Tangerang name on any page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PILAR = Path(sys.executable).with_name("pilar")
# Kota Tangerang and the kecamatan names that exist nowhere in Kota Bandung (Neglasari and Sukarasa do).
TANGERANG_NAMES = r"\b(Tangerang|Batuceper|Cipondoh|Ciledug|Karawaci|Jatiuwung|Periuk|Karang Tengah|Larangan)\b"


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def bandung(tmp_path_factory) -> dict[str, str]:
    """A fresh SQLite installation for Kota Bandung (32.73): migrate and load-regions, nothing else."""
    folder = tmp_path_factory.mktemp("bandung")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "DATABASE_URL": f"sqlite:///{folder / 'pilar.sqlite3'}",
        "PILAR_REGION": "32.73",
        "PILAR_DATA_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "pilar.settings_test",
        "PYTHONPATH": str(ROOT),
    }
    _run([str(PILAR), "migrate", "--noinput", "-v0"], env)
    _run([str(PILAR), "load-regions"], env)
    return env


def test_a_fresh_bandung_install_has_empty_program_agency_and_rate_tables(bandung):
    out = _run(
        [
            str(PILAR),
            "shell",
            "-v0",
            "-c",
            "from pilar.programs.models import Program; from pilar.accounts.models import Agency; "
            "from pilar.incentives.models import IncentiveRate; "
            "print(Program.objects.count(), Agency.objects.count(), IncentiveRate.objects.count())",
        ],
        bandung,
    )
    assert out.split() == ["0", "0", "0"]
    refused = subprocess.run(  # noqa: S603
        [str(PILAR), "load-region-data"], env=bandung, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0 and "Tidak ada paket data bawaan untuk 32.73" in refused.stderr


def test_no_page_of_a_bandung_install_names_tangerang(bandung):
    report = json.loads(_run([sys.executable, str(Path(__file__).with_name("crawl.py")), TANGERANG_NAMES], bandung))
    assert report["pages"] > 100  # every page without arguments, and the records' pages reached by links
    assert report["hits"] == {}
