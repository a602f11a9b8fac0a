#!/usr/bin/env bash
# Make sure Debian's Chromium is installed at /usr/bin/chromium for the browser tests
# (tests/browser). Playwright drives this binary; it never downloads a browser of its own.
# Installs with apt as root, or through sudo when not root; exits 1 with a message otherwise.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

install_cmd='apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'
echo "ensure_chromium: $CHROMIUM is missing; installing Debian's chromium with apt-get" >&2

fail() {
    cat >&2 <<MSG
ensure_chromium: could not install chromium ($1).
Install it yourself, then rerun the tests:
    sudo apt-get update && sudo apt-get install -y chromium
MSG
    exit 1
}

if [ "$(id -u)" -eq 0 ]; then
    bash -c "$install_cmd" || fail "apt-get failed"
elif command -v sudo >/dev/null 2>&1; then
    sudo bash -c "$install_cmd" || fail "not root, and sudo apt-get failed"
else
    fail "not root and no sudo"
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
"$CHROMIUM" --version >&2 || true
