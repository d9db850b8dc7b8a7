#!/usr/bin/env bash
# Installs everything the tests need and runs the whole suite: lint, the layer contract, the tests,
# and the packaged build's self-test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --dev

export QT_QPA_PLATFORM=offscreen
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import contract"
.venv/bin/lint-imports
echo "== types"
.venv/bin/mypy
echo "== packaged build"
.venv/bin/pyinstaller --noconfirm --log-level WARN build.spec
echo "== tests"
.venv/bin/python -m pytest -q -p no:cacheprovider
