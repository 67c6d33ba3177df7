#!/usr/bin/env bash
# bench/feedback/run.sh — durable feedback submissions: dvchub on SQLite against pgbench on PostgreSQL, side by side.
#
#   DVCHUB_BINARY=build/release/dvchub bench/feedback/run.sh
#   DVCHUB_BINARY=build-release/dvchub BASELINE_BINARY=/tmp/main/build-release/dvchub bench/feedback/run.sh
#
# Builds nothing. Starts a Release dvchub (seeded demo, SQLite in WAL mode with synchronous=FULL, access log off) and
# a throwaway PostgreSQL 15 cluster with fsync and synchronous commit ON (scripts/start-test-postgresql.sh with
# DVCHUB_POSTGRESQL_DURABLE=1) whose tables come from dvchub's own migrations. Then, ROUNDS times in alternating
# order: wrk POSTs valid, varied submissions (submit.lua) over CONNECTIONS connections for DURATION, counting the
# 201s that carry a tracking code; pgbench runs the same three inserts per submission (item, "received" event, audit
# record; pgbench.sql) in one transaction with CONNECTIONS clients. Prints acknowledged submissions/s and p99 of each,
# medians and the ratio, and checks that the store holds every acknowledged submission. With BASELINE_BINARY, a
# second dvchub (another build, on its own store) takes its turn in every round too, and the script also prints the
# ratio DVCHUB_BINARY/BASELINE_BINARY: an A/B comparison measured side by side on the same noisy machine.
#
# Settings (environment): DVCHUB_BINARY (build/release/dvchub), BASELINE_BINARY (none), ROUNDS (3), DURATION (30s), CONNECTIONS (64),
# WRK_THREADS (2), WORKER_THREADS (8, the server's default: a submission holds no handler thread while it waits for
# its commit; builds before the deferred submission route held one per submission and were measured with 64).
# Needs: wrk, curl, postgresql-15 (scripts/install-dependencies.sh bench).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${DVCHUB_BINARY:-$root/build/release/dvchub}"
rounds="${ROUNDS:-3}"
duration="${DURATION:-30s}"
connections="${CONNECTIONS:-64}"
wrk_threads="${WRK_THREADS:-2}"
worker_threads="${WORKER_THREADS:-8}"
seconds="${duration%s}"
pgbench=/usr/lib/postgresql/15/bin/pgbench

baseline="${BASELINE_BINARY:-}"
[ -x "$binary" ] || { echo "bench/feedback: no dvchub binary at $binary (./run.sh builds build/release/dvchub)" >&2; exit 1; }
binary="$(realpath "$binary")"
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] || { echo "bench/feedback: no baseline binary at $baseline" >&2; exit 1; }
  baseline="$(realpath "$baseline")"
fi
for tool in wrk curl "$pgbench"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/feedback: $tool is missing; run scripts/install-dependencies.sh bench" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/dvchub-bench-feedback.XXXXXX")"
dvchub_pids=()
postgresql_started=""
cleanup() {
  local status=$?
  for pid in "${dvchub_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [ -n "$postgresql_started" ] && "$root/scripts/stop-test-postgresql.sh" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- dvchub on SQLite ----------------------------------------------------------------------------------------------
# start_dvchub NAME BINARY: seeds a store $work/NAME.db, starts the server on a free port; sets url_NAME.
start_dvchub() {
  local name="$1" program="$2" store="$work/$1.db" port="" pid
  (cd "$work" && env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$store" "$program" seed-demo >"$work/$name-seed.log" 2>&1) ||
    { cat "$work/$name-seed.log" >&2; exit 1; }
  (cd "$work" && exec env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$store" DVCHUB_LISTEN=127.0.0.1:0 \
    DVCHUB_ACCESS_LOG=false DVCHUB_WORKER_THREADS="$worker_threads" "$program" serve >"$work/$name.log" 2>&1) &
  pid=$!
  dvchub_pids+=("$pid")
  for _ in $(seq 600); do
    port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/$name.log" 2>/dev/null | head -1 | sed 's/.*://')" || true
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "bench/feedback: dvchub ($name) exited:" >&2; cat "$work/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { echo "bench/feedback: dvchub ($name) did not start" >&2; exit 1; }
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  printf -v "url_$name" '%s' "http://127.0.0.1:$port"
  printf -v "items_before_$name" '%s' "$(sqlite3 "$store" 'SELECT COUNT(*) FROM feedback_items')"
}
start_dvchub dvchub "$binary"
[ -z "$baseline" ] || start_dvchub baseline "$baseline"

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
# run_dvchub URL: "<acknowledged per second> <p99 ms> <errors> <acknowledged>" from wrk with submit.lua.
run_dvchub() {
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s "$here/submit.lua" "$1/api/v1/feedback" >"$work/wrk.out"
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
[ -z "$baseline" ] || echo "baseline: $baseline, the same settings on its own store"
echo "pgbench: PostgreSQL $("$pgbench" --version | awk '{ print $3 }') with fsync=on, synchronous_commit=on; -c$connections -j$wrk_threads -T$seconds"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (wrk, pgbench and the servers share the same cores)"
echo
contestants=(dvchub pgbench)
[ -z "$baseline" ] || contestants=(dvchub baseline pgbench)
declare -A rates p99s acknowledged_total=([dvchub]=0 [baseline]=0)
for round in $(seq "$rounds"); do
  # Each round starts with the next contestant, so none always runs first (or right after the same one).
  order=()
  for index in "${!contestants[@]}"; do
    order+=("${contestants[$(((index + round - 1) % ${#contestants[@]}))]}")
  done
  line="round $round:"
  for who in "${order[@]}"; do
    if [ "$who" = pgbench ]; then
      read -r rate p99 errors < <(run_pgbench)
    else
      url_variable="url_$who"
      read -r rate p99 errors acknowledged < <(run_dvchub "${!url_variable}")
      acknowledged_total[$who]=$((acknowledged_total[$who] + acknowledged))
    fi
    rates[$who]+="$rate "; p99s[$who]+="$p99 "
    line+="  $who ${rate}/s p99 ${p99} ms"
    [ "$errors" -eq 0 ] || line+=" ($errors errors)"
  done
  echo "$line"
done
echo
declare -A labels=([dvchub]="dvchub POST /api/v1/feedback" [baseline]="baseline POST /api/v1/feedback"
                   [pgbench]="pgbench (same three inserts)")
declare -A median_rates
printf '%-34s %16s %12s\n' "" "submissions/s" "p99 ms"
for who in "${contestants[@]}"; do
  # shellcheck disable=SC2086  # the per-round figures, space-separated
  median_rates[$who]="$(median ${rates[$who]})"
  printf '%-34s %16.0f %12.2f\n' "${labels[$who]}" "${median_rates[$who]}" "$(median ${p99s[$who]})"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'ratio dvchub/pgbench, submissions/s: %s×   (medians of %d rounds)\n' \
  "$(ratio "${median_rates[dvchub]}" "${median_rates[pgbench]}")" "$rounds"
if [ -n "$baseline" ]; then
  printf 'ratio dvchub/baseline, submissions/s: %s×   (medians of %d rounds)\n' \
    "$(ratio "${median_rates[dvchub]}" "${median_rates[baseline]}")" "$rounds"
fi

status=0
for who in "${contestants[@]}"; do
  [ "$who" = pgbench ] && continue
  before_variable="items_before_$who"
  stored=$(($(sqlite3 "$work/$who.db" 'SELECT COUNT(*) FROM feedback_items') - ${!before_variable}))
  if [ "$stored" -ge "${acknowledged_total[$who]}" ]; then
    echo "store check ($who): ${acknowledged_total[$who]} acknowledged, $stored stored — nothing acknowledged was lost"
  else
    echo "store check FAILED ($who): ${acknowledged_total[$who]} acknowledged but only $stored stored" >&2
    status=1
  fi
done
exit "$status"
