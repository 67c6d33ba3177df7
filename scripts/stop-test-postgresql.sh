#!/usr/bin/env bash
# Stops the throwaway server started by scripts/start-test-postgresql.sh and removes its folder.
# Usage: scripts/stop-test-postgresql.sh [FOLDER]   (default: $DVCHUB_TEST_POSTGRESQL_DIR)
set -euo pipefail

bin="${DVCHUB_POSTGRESQL_BIN:-/usr/lib/postgresql/15/bin}"
folder="${1:-${DVCHUB_TEST_POSTGRESQL_DIR:-}}"

fail() {
  echo "stop-test-postgresql: $*" >&2
  exit 1
}

[ -n "$folder" ] || fail "no folder given and DVCHUB_TEST_POSTGRESQL_DIR is not set"
[ -d "$folder" ] || fail "$folder does not exist (already stopped?)"
# Only ever delete a folder this script's partner made.
case "$(basename "$folder")" in
  dvchub-postgresql.*) ;;
  *) fail "$folder is not a folder made by start-test-postgresql.sh" ;;
esac

as_server_user=()
if [ "$(id -u)" -eq 0 ]; then as_server_user=(runuser -u postgres --); fi

if [ -f "$folder/data/postmaster.pid" ]; then
  "${as_server_user[@]}" "$bin/pg_ctl" -D "$folder/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
    "${as_server_user[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
    fail "could not stop the server in $folder (log: $folder/server.log)"
fi
rm -rf "$folder"
echo "stop-test-postgresql: stopped and removed $folder" >&2
