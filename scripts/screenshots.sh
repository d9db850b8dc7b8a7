#!/usr/bin/env bash
# Screenshots of the main screens under a real X server (Xvfb), for review: screenshots/*.png
set -euo pipefail
cd "$(dirname "$0")/.."
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py "${1:-screenshots}"
