#!/usr/bin/env bash
# bench/feedback/run.sh — durable feedback submissions: dvchub on SQLite against pgbench on PostgreSQL, side by side.
#
#   DVCHUB_BINARY=build/release/dvchub bench/feedback/run.sh
#
# Builds nothing. Starts a Release dvchub (seeded demo, SQLite in WAL mode with synchronous=FULL, access log off) and
# a throwaway PostgreSQL 15 cluster with fsync and synchronous commit ON (scripts/start-test-postgresql.sh with
# DVCHUB_POSTGRESQL_DURABLE=1) whose tables come from dvchub's own migrations. Then, ROUNDS times in alternating
# order: wrk POSTs valid, varied submissions (submit.lua) over CONNECTIONS connections for DURATION, counting the
# 201s that carry a tracking code; pgbench runs the same three inserts per submission (item, "received" event, audit
# record; pgbench.sql) in one transaction with CONNECTIONS clients. Prints acknowledged submissions/s and p99 of each,
# medians and the ratio, and checks that the store holds every acknowledged submission.
#
# Settings (environment): DVCHUB_BINARY (build/release/dvchub), ROUNDS (3), DURATION (30s), CONNECTIONS (64),
# WRK_THREADS (2), WORKER_THREADS (64: dvchub's handler threads; a submission holds one while it waits for its commit).
# Needs: wrk, curl, postgresql-15 (scripts/install-dependencies.sh bench).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${DVCHUB_BINARY:-$root/build/release/dvchub}"
rounds="${ROUNDS:-3}"
duration="${DURATION:-30s}"
connections="${CONNECTIONS:-64}"
wrk_threads="${WRK_THREADS:-2}"
worker_threads="${WORKER_THREADS:-64}"
seconds="${duration%s}"
pgbench=/usr/lib/postgresql/15/bin/pgbench

[ -x "$binary" ] || { echo "bench/feedback: no dvchub binary at $binary (./run.sh builds build/release/dvchub)" >&2; exit 1; }
binary="$(realpath "$binary")"
for tool in wrk curl "$pgbench"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/feedback: $tool is missing; run scripts/install-dependencies.sh bench" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/dvchub-bench-feedback.XXXXXX")"
dvchub_pid=""
postgresql_started=""
cleanup() {
  local status=$?
  if [ -n "$dvchub_pid" ]; then
    kill -TERM "$dvchub_pid" 2>/dev/null || true
    wait "$dvchub_pid" 2>/dev/null || true
  fi
  [ -n "$postgresql_started" ] && "$root/scripts/stop-test-postgresql.sh" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- dvchub on SQLite ----------------------------------------------------------------------------------------------
store="$work/dvchub.db"
(cd "$work" && env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$store" "$binary" seed-demo >"$work/seed.log" 2>&1) ||
  { cat "$work/seed.log" >&2; exit 1; }
(cd "$work" && exec env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$store" DVCHUB_LISTEN=127.0.0.1:0 \
  DVCHUB_ACCESS_LOG=false DVCHUB_WORKER_THREADS="$worker_threads" "$binary" serve >"$work/dvchub.log" 2>&1) &
dvchub_pid=$!
port=""
for _ in $(seq 600); do
  port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/dvchub.log" 2>/dev/null | head -1 | sed 's/.*://')" || true
  [ -n "$port" ] && break
  kill -0 "$dvchub_pid" 2>/dev/null || { echo "bench/feedback: dvchub exited:" >&2; cat "$work/dvchub.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "bench/feedback: dvchub did not start" >&2; exit 1; }
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
items_before="$(sqlite3 "$store" 'SELECT COUNT(*) FROM feedback_items')"

# --- PostgreSQL, durable -------------------------------------------------------------------------------------------
eval "$(DVCHUB_POSTGRESQL_DURABLE=1 "$root/scripts/start-test-postgresql.sh")"
postgresql_started=1
(cd "$work" && env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="$DVCHUB_TEST_POSTGRESQL_URL" "$binary" migrate >"$work/migrate.log" 2>&1) ||
  { cat "$work/migrate.log" >&2; exit 1; }
pg_host_port="${DVCHUB_TEST_POSTGRESQL_URL#postgresql://postgres@}"
pg_host="${pg_host_port%%:*}"
pg_port="${pg_host_port#*:}"
pg_port="${pg_port%%/*}"

# --- runs ------------------------------------------------------------------------------------------------------------
# "<acknowledged per second> <p99 ms> <errors>" from wrk with submit.lua.
run_dvchub() {
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s "$here/submit.lua" "$url/api/v1/feedback" >"$work/wrk.out"
  awk -v seconds="$seconds" '
    function ms(value) {
      if (value ~ /us$/) return substr(value, 1, length(value) - 2) / 1000
      if (value ~ /ms$/) return substr(value, 1, length(value) - 2) + 0
      if (value ~ /s$/) return substr(value, 1, length(value) - 1) * 1000
      return value + 0
    }
    $1 == "99%" { p99 = ms($2) }
    /^acknowledged/ { acknowledged = $2; other = $4 }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %d %d\n", acknowledged / seconds, p99, other + errors, acknowledged }' "$work/wrk.out"
}
# "<transactions per second> <p99 ms> <failures>" from pgbench's per-transaction log.
run_pgbench() {
  rm -f "$work"/pgbench_log.*
  (cd "$work" && "$pgbench" -n -h "$pg_host" -p "$pg_port" -U postgres -c "$connections" -j "$wrk_threads" \
    -T "$seconds" -f "$here/pgbench.sql" --log --log-prefix="$work/pgbench_log" postgres >"$work/pgbench.out" 2>&1) ||
    { cat "$work/pgbench.out" >&2; return 1; }
  local tps p99
  tps="$(awk '/^tps = / { print $3; exit }' "$work/pgbench.out")"
  p99="$(cat "$work"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -g | awk '{ v[NR] = $1 } END { print v[int(NR * 0.99)] }')"
  local failed
  failed="$(awk '/number of failed transactions/ { print $5; exit }' "$work/pgbench.out")"
  printf '%.0f %.2f %d\n' "$tps" "$p99" "${failed:-0}"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "durable feedback submissions — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
echo "dvchub: $binary on SQLite (WAL, synchronous=FULL), $worker_threads worker threads; wrk -t$wrk_threads -c$connections -d$duration"
echo "pgbench: PostgreSQL $("$pgbench" --version | awk '{ print $3 }') with fsync=on, synchronous_commit=on; -c$connections -j$wrk_threads -T$seconds"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (wrk, pgbench and both servers share the same cores)"
echo
dvchub_rates=() dvchub_p99s=() pg_rates=() pg_p99s=() acknowledged_total=0
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order=(dvchub pgbench); else order=(pgbench dvchub); fi
  line="round $round:"
  for who in "${order[@]}"; do
    if [ "$who" = dvchub ]; then
      read -r rate p99 errors acknowledged < <(run_dvchub)
      dvchub_rates+=("$rate"); dvchub_p99s+=("$p99"); acknowledged_total=$((acknowledged_total + acknowledged))
      line+="  dvchub ${rate}/s p99 ${p99} ms"
    else
      read -r rate p99 errors < <(run_pgbench)
      pg_rates+=("$rate"); pg_p99s+=("$p99")
      line+="  pgbench ${rate}/s p99 ${p99} ms"
    fi
    [ "$errors" -eq 0 ] || line+=" ($errors errors)"
  done
  echo "$line"
done
echo
dvchub_rate="$(median "${dvchub_rates[@]}")"; pg_rate="$(median "${pg_rates[@]}")"
dvchub_p99="$(median "${dvchub_p99s[@]}")"; pg_p99="$(median "${pg_p99s[@]}")"
printf '%-34s %16s %12s\n' "" "submissions/s" "p99 ms"
printf '%-34s %16.0f %12.2f\n' "dvchub POST /api/v1/feedback" "$dvchub_rate" "$dvchub_p99"
printf '%-34s %16.0f %12.2f\n' "pgbench (same three inserts)" "$pg_rate" "$pg_p99"
printf 'ratio dvchub/pgbench, submissions/s: %s×   (medians of %d rounds)\n' \
  "$(awk -v a="$dvchub_rate" -v b="$pg_rate" 'BEGIN { printf "%.2f", a / b }')" "$rounds"

items_after="$(sqlite3 "$store" 'SELECT COUNT(*) FROM feedback_items')"
stored=$((items_after - items_before))
if [ "$stored" -ge "$acknowledged_total" ]; then
  echo "store check: $acknowledged_total acknowledged, $stored stored — nothing acknowledged was lost"
else
  echo "store check FAILED: $acknowledged_total acknowledged but only $stored stored" >&2
  exit 1
fi
