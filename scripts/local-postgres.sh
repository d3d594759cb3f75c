#!/usr/bin/env bash
# A private PostgreSQL cluster in a directory: start (or reuse), print its URL, stop.
#
#   scripts/local-postgres.sh start DIR [--throwaway]   # prints the database URL on stdout
#   scripts/local-postgres.sh stop DIR
#   scripts/local-postgres.sh url DIR
#   scripts/local-postgres.sh psql DIR [psql args...]       # as the superuser, database costs
#
# The cluster listens only on a Unix socket in DIR/sock: no TCP port, so nothing else on the
# machine can collide with it or reach it, and trust auth is safe (the socket directory is
# private to its owner). --throwaway trades durability for speed (tests).
# PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` user, and when
# DIR sits where that user cannot reach (under /root), DIR becomes a link to /var/lib/costs/<name>.
set -euo pipefail

die() { echo "local-postgres: $*" >&2; exit 1; }

pg_bindir() {
  local d
  for d in "${COSTS_PG_BINDIR:-}" /usr/lib/postgresql/15/bin /usr/lib/postgresql/16/bin \
           /usr/lib/postgresql/17/bin /usr/lib/postgresql/14/bin /opt/homebrew/opt/postgresql@15/bin \
           /usr/local/opt/postgresql@15/bin "$(pg_config --bindir 2>/dev/null || true)"; do
    [ -n "$d" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  die "PostgreSQL server binaries not found; install postgresql-15 (Debian) or postgresql@15 (Homebrew)"
}

as_owner() {  # run a server command as the cluster's owner
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

action=${1:-}; dir=${2:-}; mode=${3:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
  die "usage: local-postgres.sh start|stop|url|psql|running DIR [--throwaway]"
fi
bindir=$(pg_bindir)
url="postgresql://postgres@/costs?host=$dir/sock"

case "$action" in
  url) echo "$url" ;;
  psql) shift 2; as_owner "$bindir/psql" -X -v ON_ERROR_STOP=1 -h "$dir/sock" -U postgres -d costs "$@" ;;
  running) as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true ;;
  start)
    if [ "$(id -u)" = 0 ] && [ ! -e "$dir" ]; then
      mkdir -p "$(dirname "$dir")"
      if ! runuser -u postgres -- test -x "$(dirname "$dir")" 2>/dev/null; then
        real="/var/lib/costs/$(echo "$dir" | tr '/' '_')"
        mkdir -p "$real"
        ln -s "$real" "$dir"
      fi
    fi
    mkdir -p "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir/data" "$dir/sock"
      chmod 700 "$dir/data" "$dir/sock"
      [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir/" "$dir/data" "$dir/sock"
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      opts="-c listen_addresses= -k $dir/sock"
      [ "$mode" = "--throwaway" ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      touch "$dir/server.log"; [ "$(id -u)" = 0 ] && chown postgres "$dir/server.log"
      as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null ||
        { tail -20 "$dir/server.log" >&2; die "the cluster in $dir did not start (log above)"; }
    fi
    if ! as_owner "$bindir/psql" -h "$dir/sock" -U postgres -d postgres -Atqc \
         "select 1 from pg_database where datname = 'costs'" | grep -q 1; then
      as_owner "$bindir/createdb" -h "$dir/sock" -U postgres costs
    fi
    echo "$url" ;;
  *) die "unknown action '$action'" ;;
esac
