#!/bin/sh
# Chromium for the dashboard's browser tests, as `make test` runs them under CI=true:
# install Debian's chromium when it is missing. The tests start it themselves
# (--headless --no-sandbox --disable-gpu --disable-background-networking, a fresh
# --user-data-dir); elsewhere they skip and say why. Nothing downloads a browser of its own.
set -eu

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "tools/ci/chromium.sh: needs root (or sudo) to install chromium" >&2
    exit 1
  fi
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (Debian package)..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "chromium ready: $(chromium --version 2>/dev/null | tail -n 1)"
