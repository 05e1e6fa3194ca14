#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on this machine, for the PostgreSQL tests and `npm run test:scale`.
#
#   DATABASE_URL=$(bash scripts/postgres-local.sh start /tmp/docket-pg)   # prints the URL, nothing else
#   bash scripts/postgres-local.sh stop /tmp/docket-pg                    # stops it and removes the directory
#
# It needs PostgreSQL's server binaries (initdb, pg_ctl): Debian/Ubuntu `apt-get install -y postgresql`,
# macOS `brew install postgresql@15`, or set PG_BIN to their folder. The cluster trusts local connections
# (no password), listens on 127.0.0.1 on a free port and keeps everything in the directory given. initdb
# refuses to run as root, so as root the cluster belongs to the `postgres` user (which Debian's package
# creates). Progress goes to stderr; stdout carries only the URL.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
command=$1
dir=$2

find_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  # Debian and Ubuntu keep each major version apart; take the newest.
  local debian
  debian=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$debian" ]]; then echo "$debian"; return; fi
  if command -v pg_config >/dev/null; then pg_config --bindir; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
}

pg_bin=$(find_pg_bin)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
  echo "no PostgreSQL server binaries found (initdb): apt-get install -y postgresql, brew install postgresql@15, or set PG_BIN" >&2
  exit 1
fi

as_pg=()
if [[ $(id -u) -eq 0 ]]; then as_pg=(runuser -u postgres --); fi

case "$command" in
  start)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir"; fi
    # A port the OS reports free right now (the pinned Node: the system one may be too old for npx).
    port=$(cd "$(dirname "$0")/.." && npx node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
    "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log"
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
    echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }') on port $port, data in $dir" >&2
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
