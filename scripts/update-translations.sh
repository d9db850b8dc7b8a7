#!/usr/bin/env bash
# After changing texts in the code: extract them and update the English catalogue; then fill in
# the empty msgstr entries in resources/locale/en/LC_MESSAGES/postwijs.po.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel -q extract --no-location --sort-output -k N_ -o resources/locale/postwijs.pot app connectors ui
if [ -f resources/locale/en/LC_MESSAGES/postwijs.po ]; then
  .venv/bin/pybabel -q update --no-fuzzy-matching -w 100 -i resources/locale/postwijs.pot -d resources/locale -D postwijs -l en
else
  .venv/bin/pybabel -q init -i resources/locale/postwijs.pot -d resources/locale -D postwijs -l en
fi
.venv/bin/pybabel -q compile -d resources/locale -D postwijs
