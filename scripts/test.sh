#!/usr/bin/env bash
# make test: install, provide Chromium and a throwaway PostgreSQL, lint, type-check, check the
# import layers, then the whole suite on SQLite and on PostgreSQL (browser tests and the generated
# schemathesis API cases of tests/schema/ included). Stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
is_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
  if is_root && command -v apt-get >/dev/null 2>&1; then
    [ -n "${_apt_updated:-}" ] || { apt-get update -qq; _apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    return 1
  fi
}

step "install (.venv, pinned by constraints.txt)"
bash scripts/install.sh test

step "system packages: Chromium and PostgreSQL"
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  apt_install chromium || { echo "make test: Chromium is missing; install Debian's 'chromium' package (needs root) or set CHROMIUM_PATH" >&2; exit 1; }
fi
# shellcheck source=scripts/pgtmp.sh
source scripts/pgtmp.sh
if [ -z "$(pgtmp_bin)" ]; then
  apt_install postgresql || { echo "make test: PostgreSQL server binaries are missing; install Debian's 'postgresql' package (needs root)" >&2; exit 1; }
fi
echo "chromium: $(${CHROMIUM_PATH:-chromium} --version 2>/dev/null | head -n 1); postgres: $("$(pgtmp_bin)/postgres" --version)"

step "lint, types and import layers"
lint

step "tests on SQLite"
.venv/bin/pytest -q -p no:cacheprovider

step "tests on PostgreSQL"
pgtmp_start
trap 'pgtmp_stop "$PGTMP_DIR"' EXIT
.venv/bin/pytest -q -p no:cacheprovider
