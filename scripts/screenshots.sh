#!/usr/bin/env bash
# Screenshots of every page and dialog under a real X server (Xvfb), for review, at the two
# laptop sizes: screenshots/1280x720/*.png and screenshots/1024x700/*.png
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
for size in 1280x720 1024x700; do
  QT_QPA_PLATFORM=xcb PYTHONPATH="$PWD" xvfb-run -a -s "-screen 0 ${size}x24" \
    "$PYTHON" scripts/screenshots.py "${1:-screenshots}/$size"
done
