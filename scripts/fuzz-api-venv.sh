#!/usr/bin/env bash
# The Python side of `npm run fuzz:api`: schemathesis, pinned, in a virtual environment under .data/ (gitignored),
# made once and reused. FUZZ_VENV names another folder. Needs python3 with venv (Debian: python3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
venv=${FUZZ_VENV:-.data/fuzz-venv}

if [[ "$("$venv/bin/schemathesis" --version 2>/dev/null || true)" != *"version $SCHEMATHESIS_VERSION" ]]; then
  echo "fuzz:api: installing schemathesis $SCHEMATHESIS_VERSION in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
