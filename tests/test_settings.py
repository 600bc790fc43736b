import os
import subprocess
import sys


def test_the_web_server_refuses_to_start_without_a_secret_key_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env["PILAR_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-c", "import pilar.wsgi"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY wajib diisi" in result.stderr
