#!/usr/bin/env bash
# Regenerate constraints.txt: install pyproject.toml's dependencies (with [dev] and [bench]) into a clean
# temporary venv and freeze exactly what got installed.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --disable-pip-version-check -q -e '.[dev,bench]'
{
    echo "# The lock: exact pins of everything 'pip install -e .[dev,bench]' installs. Regenerate with 'make lock'"
    echo "# (a clean temporary venv, then 'pip freeze --exclude-editable'). Used as: pip install -c constraints.txt"
    "$tmp/venv/bin/python" -m pip freeze --disable-pip-version-check --exclude-editable
} > constraints.txt.new
mv constraints.txt.new constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) pins"
