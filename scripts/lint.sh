#!/usr/bin/env bash
# Formats and lints the committed Python files (the test command checks the same with --check).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.py' | xargs -0 .venv/bin/ruff format -q
git ls-files -z '*.py' | xargs -0 .venv/bin/ruff check -q --fix
