#!/usr/bin/env bash
# A private PostgreSQL server for the tests: installed from Debian's packages when missing, its own data folder under
# /tmp, a free loopback port, run as the `postgres` user when this runs as root. Exports WEFT_TEST_POSTGRES (a URL)
# for the tests.
#
#   source scripts/ensure-postgres.sh     # what scripts/test.sh does: the server stops when that shell exits
#   scripts/ensure-postgres.sh            # starts one and prints the export line; stop it with
#   scripts/ensure-postgres.sh stop DIR   # (DIR is printed with it)
#
# Safe to run again: when WEFT_TEST_POSTGRES already answers, nothing is done.

weft_pg_main() {
  local pg_user="weft" pg_password="weft" pg_database="weft_test"
  WEFT_PG_STARTED=""

  if [ -n "${WEFT_TEST_POSTGRES:-}" ] && command -v psql >/dev/null 2>&1 \
      && psql "$WEFT_TEST_POSTGRES" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    echo "PostgreSQL for the tests: already running"
    return 0
  fi

  local bindir
  bindir=$(weft_pg_bindir)
  if [ -z "$bindir" ]; then
    echo "installing PostgreSQL from Debian's packages"
    if [ "$(id -u)" -ne 0 ]; then
      echo "weft: error: PostgreSQL is not installed and this is not root; install the postgresql package" >&2
      return 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(weft_pg_bindir)
    if [ -z "$bindir" ]; then
      echo "weft: error: PostgreSQL's initdb was not found after installing it" >&2
      return 1
    fi
  fi

  # initdb and postgres refuse to run as root: as root they run as the postgres user the package created.
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    as=(runuser -u postgres --)
  fi

  WEFT_PG_DIR=$(mktemp -d /tmp/weft-pg.XXXXXX)
  chmod 0755 "$WEFT_PG_DIR"
  printf '%s\n' "$pg_password" >"$WEFT_PG_DIR/pwfile"
  [ ${#as[@]} -eq 0 ] || chown -R postgres: "$WEFT_PG_DIR"
  "${as[@]}" "$bindir/initdb" -D "$WEFT_PG_DIR/data" -U "$pg_user" --pwfile="$WEFT_PG_DIR/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-instructions >"$WEFT_PG_DIR/initdb.log" 2>&1 || {
    cat "$WEFT_PG_DIR/initdb.log" >&2
    echo "weft: error: initdb failed" >&2
    return 1
  }

  # A test server: durability is not wanted, speed is (each test makes and drops a schema).
  local port tries=0
  while :; do
    port=$(weft_pg_free_port)
    if "${as[@]}" "$bindir/pg_ctl" -D "$WEFT_PG_DIR/data" -l "$WEFT_PG_DIR/server.log" -w -t 30 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $WEFT_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null; then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then
      cat "$WEFT_PG_DIR/server.log" >&2
      echo "weft: error: the test PostgreSQL server did not start" >&2
      return 1
    fi
  done

  "${as[@]}" "$bindir/psql" -h "$WEFT_PG_DIR" -p "$port" -U "$pg_user" -d postgres -qAtc "CREATE DATABASE $pg_database" >/dev/null
  export WEFT_PG_DIR WEFT_PG_BINDIR="$bindir"
  export WEFT_TEST_POSTGRES="postgres://$pg_user:$pg_password@127.0.0.1:$port/$pg_database"
  WEFT_PG_STARTED="$WEFT_PG_DIR"
  echo "PostgreSQL for the tests: 127.0.0.1:$port ($WEFT_PG_DIR)"
}

# The bin folder of the newest PostgreSQL installed from Debian's packages (or on PATH).
weft_pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

# A loopback port nothing listens on.
weft_pg_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

weft_pg_stop() {
  local dir="${1:-${WEFT_PG_DIR:-}}" bindir="${WEFT_PG_BINDIR:-$(weft_pg_bindir)}"
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  else
    "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: start, and stop at the end of the sourcing shell, after whatever it already does on exit.
  if weft_pg_main; then
    if [ -n "$WEFT_PG_STARTED" ]; then
      weft_pg_previous_exit=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
      # shellcheck disable=SC2064
      trap "${weft_pg_previous_exit:+$weft_pg_previous_exit;} weft_pg_stop '$WEFT_PG_STARTED'" EXIT
    fi
  else
    return 1
  fi
else
  set -euo pipefail
  if [ "${1:-}" = "stop" ]; then
    weft_pg_stop "${2:?usage: ensure-postgres.sh stop DIR}"
  else
    unset WEFT_TEST_POSTGRES
    weft_pg_main
    echo "export WEFT_TEST_POSTGRES='$WEFT_TEST_POSTGRES'   # stop: scripts/ensure-postgres.sh stop $WEFT_PG_DIR"
  fi
fi
