#!/usr/bin/env bash
# Create .venv and install PainMind with the pinned versions in constraints.txt.
#   scripts/install.sh          runtime only (make demo)
#   scripts/install.sh test     with test tools (make test)
# Skips the install when nothing it depends on changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/.."
extra=${1:-}
VENV=${VENV:-.venv}
UV_VERSION=0.13.9
export UV_CACHE_DIR=${UV_CACHE_DIR:-$PWD/.cache/uv}

py=${PYTHON:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
  echo "install: python3 (3.11 or newer) is missing: install it, e.g. apt-get install python3 python3-venv" >&2; exit 1
fi
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "install: PainMind needs Python 3.11 or newer, found $("$py" --version 2>&1)" >&2; exit 1
fi

# The system libraries WeasyPrint (the PDF report, docs/exchange.md) loads at run time: pango
# >= 1.44 and HarfBuzz's subsetter (without it WeasyPrint 70 warns, an error under our pytest
# settings). The fonts ship with PainMind. Installed from apt when missing and we are root, like
# scripts/test.sh's Chromium and PostgreSQL; otherwise one clear line says what to install.
system_libs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)
missing_libs() {
  local so
  [ -x "$ldconfig_bin" ] || return 0  # no way to ask (not glibc): WeasyPrint will say itself
  for so in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do
    "$ldconfig_bin" -p 2>/dev/null | grep -q "$so" || { echo "$so"; return; }
  done
}
if [ -n "$(missing_libs)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    # shellcheck disable=SC2086 # a list of package names
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $system_libs >/dev/null
  fi
  if [ -n "$(missing_libs)" ]; then
    echo "install: $(missing_libs) is missing: install the system packages $system_libs (needs root), e.g. apt-get install $system_libs" >&2; exit 1
  fi
fi

# Our own code's .pyc, refreshed on every call (0.1 s when current): PYTHONDONTWRITEBYTECODE is
# often set (here and in CI), and then Python reads .pyc files but never writes them.
own_bytecode() { "$VENV/bin/python" -m compileall -q -j 0 painmind config benchmarks >/dev/null; }

# This script is part of the hash: a change to how it installs (bytecode) reinstalls once.
hash=$(cat pyproject.toml constraints.txt scripts/install.sh | sha256sum | cut -c1-16)
stamp="$VENV/.painmind-installed"
if [ -f "$stamp" ]; then
  read -r have_hash have_extra < "$stamp" || true
  # A test install also serves the demo; a demo install does not serve the tests.
  if [ "$have_hash" = "$hash" ] && { [ -z "$extra" ] || [ "${have_extra:-}" = "$extra" ]; }; then
    own_bytecode
    exit 0
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$py" -m venv "$VENV"
fi
# uv installs the pinned set in seconds (pip re-downloads everything: no cache here).
if ! "$VENV/bin/python" -m uv --version 2>/dev/null | grep -q " $UV_VERSION"; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
target="."
[ -n "$extra" ] && target=".[$extra]"
# With bytecode, or every run recompiles Django, pandas, SciPy… (1.9 s of a 2.9 s start, measured
# with PYTHONDONTWRITEBYTECODE=1).  uv compiles what it installs; compileall catches packages a
# venv had from before this rule (once: it skips a .pyc that is current).
"$VENV/bin/python" -m uv pip install --quiet --compile-bytecode --python "$VENV/bin/python" -c constraints.txt -e "$target"
site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
"$VENV/bin/python" -m compileall -qq -j 0 "$site" || true  # some packages ship test files that do not compile
own_bytecode
echo "$hash $extra" > "$stamp"
