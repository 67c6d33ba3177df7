#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server for the tests and prints the shell lines that point the tests at it:
#
#   eval "$(scripts/start-test-postgresql.sh)"      # sets DVCHUB_TEST_POSTGRESQL_URL and DVCHUB_TEST_POSTGRESQL_DIR
#   build/dvchub_storage_tests
#   scripts/stop-test-postgresql.sh                 # stops it and removes its folder
#
# The server lives in a new temporary folder (data, log, unix socket), listens on 127.0.0.1 only on a free port,
# trusts every local connection and skips fsync (unless DVCHUB_POSTGRESQL_DURABLE=1): for tests only. Needs only the postgresql-15 package (the Debian
# default cluster need not exist or run). As root, the server runs as the `postgres` system user.
# Environment: DVCHUB_POSTGRESQL_BIN (default /usr/lib/postgresql/15/bin), DVCHUB_POSTGRESQL_START_TIMEOUT (seconds,
# default 60), DVCHUB_POSTGRESQL_DURABLE=1 (keep fsync and synchronous commit on, as in production: for benchmarks
# that compare durable writes). Everything except the export lines goes to stderr or to the log file.
set -euo pipefail

bin="${DVCHUB_POSTGRESQL_BIN:-/usr/lib/postgresql/15/bin}"
timeout="${DVCHUB_POSTGRESQL_START_TIMEOUT:-60}"

fail() {
  echo "start-test-postgresql: $*" >&2
  exit 1
}

for program in initdb pg_ctl pg_isready; do
  [ -x "$bin/$program" ] || fail "$bin/$program not found: install postgresql-15 (scripts/install-dependencies.sh test)"
done

as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || fail "running as root but there is no 'postgres' user to run the server as"
  as_server_user=(runuser -u postgres --)
fi

# The socket path must stay under ~100 bytes, so the folder goes in a short temporary directory.
folder="$(mktemp -d "${TMPDIR:-/tmp}/dvchub-postgresql.XXXXXX")"
started=no
cleanup_on_failure() {
  if [ "$started" = no ]; then
    if [ -f "$folder/server.log" ]; then
      echo "start-test-postgresql: last lines of $folder/server.log:" >&2
      tail -n 20 "$folder/server.log" >&2 || true
    fi
    "${as_server_user[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$folder"
  fi
}
trap cleanup_on_failure EXIT

chmod 700 "$folder"
if [ ${#as_server_user[@]} -gt 0 ]; then
  chown postgres: "$folder"
  "${as_server_user[@]}" test -w "$folder" || fail "user postgres cannot write to $folder (set TMPDIR to a folder it can reach)"
fi

"${as_server_user[@]}" "$bin/initdb" --pgdata="$folder/data" --username=postgres --auth=trust --encoding=UTF8 \
  --no-locale --no-sync >"$folder/initdb.log" 2>&1 || {
  cat "$folder/initdb.log" >&2
  fail "initdb failed"
}

# A port nothing listens on now; if another process takes it first, the server fails to bind and we try another.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=""
for attempt in 1 2 3 4 5; do
  candidate=$((20000 + RANDOM % 40000))
  port_is_free "$candidate" || continue
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${DVCHUB_POSTGRESQL_DURABLE:-0}" = 1 ] && durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  if "${as_server_user[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t "$timeout" \
    -o "-c listen_addresses=127.0.0.1 -p $candidate -c unix_socket_directories=$folder $durability \
        -c max_connections=200" \
    start >>"$folder/pg_ctl.log" 2>&1; then
    port="$candidate"
    break
  fi
  grep -q "could not bind\|Address already in use" "$folder/server.log" 2>/dev/null ||
    fail "the server did not start within ${timeout}s (see the log above)"
  echo "start-test-postgresql: port $candidate was taken, trying another (attempt $attempt)" >&2
done
[ -n "$port" ] || fail "no free port found after 5 attempts"

deadline=$((SECONDS + timeout))
until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; do
  [ "$SECONDS" -lt "$deadline" ] || fail "server on port $port not ready within ${timeout}s"
  sleep 0.2
done

started=yes
echo "export DVCHUB_TEST_POSTGRESQL_URL=postgresql://postgres@127.0.0.1:$port/postgres"
echo "export DVCHUB_TEST_POSTGRESQL_DIR=$folder"
echo "start-test-postgresql: PostgreSQL 15 ready on 127.0.0.1:$port, log in $folder/server.log" >&2
