#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the Playwright browser tests.
# Playwright cannot download its own browsers here, so the tests launch this one.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    cat >&2 <<EOF
Chromium tidak ditemukan di $CHROMIUM dan skrip ini tidak dapat memasangnya
(bukan root dan sudo tanpa kata sandi tidak tersedia).
Pasang sendiri lalu ulangi:   sudo apt-get update && sudo apt-get install -y chromium

Chromium is missing at $CHROMIUM and this script cannot install it (not root, no
password-less sudo). Install it yourself, then run again:
    sudo apt-get update && sudo apt-get install -y chromium
EOF
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium is missing at $CHROMIUM and apt-get is not available: install Debian's 'chromium' package." >&2
    exit 1
fi

echo "Memasang chromium dari paket Debian / installing Debian's chromium ..."
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q chromium

if [[ ! -x "$CHROMIUM" ]]; then
    echo "apt-get finished but $CHROMIUM is still missing." >&2
    exit 1
fi
