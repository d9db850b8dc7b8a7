#!/usr/bin/env bash
# Installs Postwijs (see install.sh) and starts it. Arguments go to the app, e.g. --data-dir DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/python -m app "$@"
