#!/usr/bin/env bash
# make screenshots: the browser suite's screenshot test against the demo, writing the patient
# home, the check-in, My cycle and the clinician's patient page at 1280 px and 360 px into
# docs/screenshots/ (the README shows them). Needs what `make test` needs: run that once first.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
bash scripts/install.sh test
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "make screenshots: Chromium is missing; run 'make test' once (it installs Debian's chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
PAINMIND_SCREENSHOTS="$PWD/docs/screenshots" .venv/bin/pytest -q -p no:cacheprovider tests/e2e/test_screenshots.py
ls -1 docs/screenshots/*.png
