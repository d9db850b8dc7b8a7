#!/usr/bin/env bash
# Installs what Postwijs needs on a fresh Debian-like machine: the Debian packages Qt and the tests
# need (as root), a virtual environment in .venv with the Python packages, and the compiled
# translations. Safe to run again: it only adds what is missing.
#   scripts/install.sh          the app
#   scripts/install.sh --dev    the app plus everything the test suite and the build need
set -euo pipefail
cd "$(dirname "$0")/.."

extras="i18n"
debs=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
      libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
if [ "${1:-}" = "--dev" ]; then
  extras="dev"
  debs+=(xvfb x11-utils imagemagick poppler-utils)
  # The connector tests keep secrets in a real Secret Service: gnome-keyring-daemon on a private
  # D-Bus bus that tests/connectors/conftest.py starts and unlocks itself.
  debs+=(gnome-keyring dbus-daemon)
fi

missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Debian-pakketten installeren: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Deze Debian-pakketten ontbreken en er is geen root-toegang: ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[${extras}]"
.venv/bin/pybabel -q compile -d resources/locale -D postwijs

# The tests' own servers and oracles, each pinned by its package-lock.json (node and npm come with
# the machine): the official twitter-text (X counting), a real Bluesky PDS with an in-memory PLC
# directory (better-sqlite3 compiles with the machine's g++), and a certified OAuth 2.0 server.
# `npm ci` runs again only when a lock file changed.
if [ "$extras" = "dev" ]; then
  for folder in tests/oracle tests/servers/pds tests/servers/oidc; do
    stamp="$folder/node_modules/.postwijs-lock-sha256"
    wanted=$(sha256sum "$folder/package-lock.json" | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
      npm ci --prefix "$folder" --no-audit --no-fund --loglevel=error
      echo "$wanted" > "$stamp"
    fi
  done
fi
