"""Read ``/etc/pilar.env`` literally: ``KEY=value`` per line, no shell expansion, no escapes.

Sourcing the file with ``sh`` (``set -a; . /etc/pilar.env``) breaks on an ordinary Django secret key: ``$``,
``&``, ``(``, ``#`` or a quote change or cut the value. Pilar reads the file itself (``PILAR_ENV_FILE``), so
the value is exactly the characters after the first ``=``. One pair of matching surrounding quotes is removed,
so a file written for systemd's ``EnvironmentFile`` reads the same. Blank lines and lines starting with ``#``
are skipped; variables already in the environment win.
"""

import os
from pathlib import Path


class EnvFileError(ValueError):
    pass


def parse(text: str, source: str = "") -> dict[str, str]:
    values = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        if not sep or not key.replace("_", "").isalnum():
            raise EnvFileError(f"{source}:{number}: baris harus berbentuk NAMA=nilai")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def load(path: str | os.PathLike[str]) -> dict[str, str]:
    """Put the file's variables into ``os.environ`` (unless already set); returns what the file holds."""
    values = parse(Path(path).read_text(encoding="utf-8"), str(path))
    for key, value in values.items():
        os.environ.setdefault(key, value)
    return values
