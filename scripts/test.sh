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
# The whole suite takes about ten minutes; should it ever stall past fifty, SIGABRT has faulthandler
# print every thread's stack and the run ends red, well within CI's own limit.
timeout --signal=ABRT --kill-after=60 3000 .venv/bin/python -m pytest -q -p no:cacheprovider
