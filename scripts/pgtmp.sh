#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks.
#   source scripts/pgtmp.sh start   -> exports PGTMP_DIR and DATABASE_URL
#   scripts/pgtmp.sh stop DIR       -> stops it and removes DIR
# As root (CI), initdb/pg_ctl run as the 'postgres' OS user, which refuses root.
pgtmp_bin() {
  local c
  c=$(command -v pg_ctl 2>/dev/null || true)
  [ -n "$c" ] && { dirname "$(readlink -f "$c")"; return; }
  c=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$c" ] && [ -x "$c/pg_ctl" ] && echo "$c"
}

pgtmp_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u "${PGTMP_OSUSER:-postgres}" -- "$@"; else "$@"; fi
}

pgtmp_start() {
  local bin dir port
  bin=$(pgtmp_bin)
  [ -n "$bin" ] || { echo "PostgreSQL server binaries (initdb, pg_ctl) are missing" >&2; return 1; }
  if [ "$(id -u)" = 0 ] && ! id -u "${PGTMP_OSUSER:-postgres}" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "${PGTMP_OSUSER:-postgres}"
  fi
  dir=$(mktemp -d /tmp/pgtmp.XXXXXX)
  [ "$(id -u)" = 0 ] && chown "${PGTMP_OSUSER:-postgres}:" "$dir"
  chmod 700 "$dir"
  pgtmp_as "$bin/initdb" -D "$dir/data" -U app --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  # Retry: the free port we probe can be taken before the server binds it.
  for _ in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if pgtmp_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null; then
      pgtmp_as "$bin/createdb" -h "$dir" -p "$port" -U app painmind
      export PGTMP_DIR=$dir
      export DATABASE_URL="postgresql://app@127.0.0.1:$port/painmind"
      return 0
    fi
  done
  cat "$dir/server.log" >&2
  return 1
}

pgtmp_stop() {
  local dir=${1:-${PGTMP_DIR:-}} bin
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  bin=$(pgtmp_bin)
  pgtmp_as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) pgtmp_start ;;
  stop) pgtmp_stop "${2:-}" ;;
  "") ;;  # sourced for its functions
  *) echo "usage: pgtmp.sh start|stop DIR" >&2; exit 2 ;;
esac
