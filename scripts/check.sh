#!/usr/bin/env bash
# make check: the fast loop. Lint, format, types, import layers and the pure-core tests, in
# seconds; no Chromium or PostgreSQL needed. `make test` runs everything on both databases.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
bash scripts/install.sh test
step "lint, types and layers"
lint
step "core tests"
.venv/bin/pytest -q -p no:cacheprovider -m "not slow" tests/core
