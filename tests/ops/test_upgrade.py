"""The documented upgrade sequence, run on an installation one release behind (its newest migrations unapplied)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PILAR = str(Path(sys.executable).with_name("pilar"))


def test_the_upgrade_sequence_backs_up_migrates_and_ends_healthy(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {
        "DEBUG": "1",
        "PILAR_DATA_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "PILAR_BACKUP_DIR": str(tmp_path / "backups"),
        "PYTHONPATH": str(ROOT),
    }

    def pilar(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([PILAR, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
        assert (done.returncode == 0) == ok, done.stdout + done.stderr
        return done

    pilar("migrate", "--noinput", "-v0")
    # The release before this one: without the data-subject rights and the person restriction.
    pilar("migrate", "rights", "zero", "-v0")
    pilar("migrate", "identity", "0003", "-v0")

    refused = pilar("upgrade-check", ok=False)
    assert "identity.0004_person_restriction" in refused.stdout and "Belum ada cadangan" in refused.stderr
    pilar("backup")  # 1. backup (the worker is not running here: 2. is a systemctl stop)
    ready = pilar("upgrade-check")
    assert "rights.0001_initial" in ready.stdout and "Siap diperbarui" in ready.stdout
    pilar("migrate", "--noinput", "-v0")  # 4.
    pilar("collectstatic", "--noinput", "-v0")
    pilar("load-regions")  # 5.
    assert "Tidak ada migrasi tertunda" in pilar("upgrade-check").stdout
    doctor = pilar("doctor").stdout  # 7.
    assert "OK    migrations" in doctor and "OK    backup" in doctor
