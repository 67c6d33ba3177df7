#!/usr/bin/env bash
# bench/feedback/million.sh — the public pages and statistics of the feedback module with ROWS stored items.
#
#   DVCHUB_BINARY=build/release/dvchub ROWS=1000000 bench/feedback/million.sh
#
# Builds nothing. Seeds the demo into a fresh SQLite store, adds ROWS synthetic items (`dvchub gen feedback`: 70 %
# published, 10 % rejected, 20 % open, over a year and the demo's communes, counters filled), serves it, and times
# each target with wrk on ONE connection (-t1 -c1, so the latency is one request's own time, not queueing) for
# DURATION after a warm-up: requests/s, median and p99. The issue's goal: list and statistics pages under 20 ms.
# Settings (environment): DVCHUB_BINARY (build/release/dvchub), ROWS (1000000), DURATION (5s).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${DVCHUB_BINARY:-$root/build/release/dvchub}"
rows="${ROWS:-1000000}"
duration="${DURATION:-5s}"
[ -x "$binary" ] || { echo "bench/feedback: no dvchub binary at $binary (./run.sh builds build/release/dvchub)" >&2; exit 1; }
binary="$(realpath "$binary")"
command -v wrk >/dev/null || { echo "bench/feedback: wrk is missing; run scripts/install-dependencies.sh bench" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/dvchub-bench-million.XXXXXX")"
server_pid=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
export DVCHUB_DATABASE_URL="sqlite://$work/dvchub.db"
unset DVCHUB_CONFIG
cd "$work"
"$binary" seed-demo >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
started=$(date +%s.%N)
"$binary" gen feedback --count "$rows" >"$work/gen.log" 2>&1 || { cat "$work/gen.log" >&2; exit 1; }
generated=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
DVCHUB_LISTEN=127.0.0.1:0 DVCHUB_ACCESS_LOG=false "$binary" serve >"$work/serve.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 600); do
  port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/serve.log" 2>/dev/null | head -1 | sed 's/.*://')" || true
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

echo "feedback at scale — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, SQLite, $(ls -la "$work/dvchub.db" | awk '{ printf "%.0f MB", $5 / 1048576 }') store"
echo "$(grep -oE '[0-9]+ phản ánh' "$work/gen.log" | head -1) generated in ${generated} s (dvchub gen feedback), plus the demo's 13"
echo "wrk -t1 -c1 -d$duration --latency per target (one request at a time)"
echo
printf '%-58s %10s %10s %10s %8s\n' "target" "req/s" "p50 ms" "p99 ms" "status"
targets=(
  "/phan-anh"
  "/api/v1/feedback"
  "/api/v1/feedback?page=500"
  "/api/v1/feedback?page=20000"
  "/api/v1/feedback?unit=MH-XA-2"
  "/api/v1/feedback?unit=MH-XA-2&page=500"
  "/api/v1/feedback/stats"
  "/api/v1/feedback/stats?unit=ST&from=2025-01-01&to=2025-12-31"
  "/api/v1/feedback/stats?unit=MH-XA-2&from=2025-04-01&to=2025-06-30"
  "/api/v1/feedback?q=khai+sinh"
)
for target in "${targets[@]}"; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$url$target")"
  wrk -t1 -c1 -d1s "$url$target" >/dev/null
  wrk -t1 -c1 -d"$duration" --latency "$url$target" | awk -v target="$target" -v status="$status" '
    function ms(value) {
      if (value ~ /us$/) return substr(value, 1, length(value) - 2) / 1000
      if (value ~ /ms$/) return substr(value, 1, length(value) - 2) + 0
      if (value ~ /s$/) return substr(value, 1, length(value) - 1) * 1000
      return value + 0
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%-58s %10.0f %10.2f %10.2f %8s\n", target, rps, p50, p99, status }'
done
