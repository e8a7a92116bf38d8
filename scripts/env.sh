# Sourced by check.sh and test.sh: keep tools from writing into $HOME or shared /tmp folders.
root=$PWD
mkdir -p .cache
export XDG_CONFIG_HOME=$root/.cache/xdg-config XDG_CACHE_HOME=$root/.cache/xdg-cache
export MPLCONFIGDIR=$root/.cache/matplotlib DASK_TEMPORARY_DIRECTORY=$root/.cache/dask
export PYTEST_DEBUG_TEMPROOT=$root/.cache/pytest-tmp PAINMIND_DATA_DIR=$root/.cache/test-var
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$PYTEST_DEBUG_TEMPROOT"
unset DATABASE_URL

step() { printf '\n== %s\n' "$*"; }

# The lint step of `make check`, `make test` and .pre-commit-config.yaml, in one place.
lint() {
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  .venv/bin/mypy .
  .venv/bin/lint-imports --no-cache
}
