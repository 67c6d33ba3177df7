#!/usr/bin/env bash
# bench/assistant/startup.sh — how long `dvchub serve` takes, after a start, to answer GET /healthz and to answer a
# question (GET /api/v1/assistant/ask … 200), on the synthetic store of bench/assistant/run.sh (the demo plus
# `dvchub gen articles --count $ARTICLES --seed $SEED`: 10,050 articles), for one or more binaries side by side.
#
#   bench/assistant/startup.sh BINARY [BINARY…]     e.g. a build of main, then a build of a branch
#
# Makes the store once (with the first binary), then for each of $ROUNDS rounds starts each binary in turn on a fresh
# copy of it (alternating, so machine noise falls on both), polls /healthz every 20 ms until it answers 200, then the
# ask every 20 ms until it answers 200 (timing a GET /healthz beside each ask that is not answered yet), stops the
# server (SIGTERM) and prints one line per start: both times from the start of the process, the status of the first
# ask after /healthz answered (503 while the assistant's engine is built), the server's CPU time (user + system) when
# the ask was answered, the median and maximum time of /healthz while asks were not answered, and the server's own
# "ready" log line when it writes one. Builds nothing.
#
# Settings (environment): ROUNDS (3), ARTICLES (10000), SEED (1), PORT (18431). Needs: curl.
set -euo pipefail
[ "$#" -ge 1 ] || { sed -n '2,13p' "$0" >&2; exit 1; }
rounds="${ROUNDS:-3}"
article_count="${ARTICLES:-10000}"
seed="${SEED:-1}"
port="${PORT:-18431}"
binaries=()
for binary in "$@"; do
  [ -x "$binary" ] || { echo "bench/assistant/startup: no dvchub binary at $binary" >&2; exit 1; }
  binaries+=("$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")")
done
command -v curl >/dev/null || { echo "bench/assistant/startup: curl is missing" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/dvchub-bench-startup.XXXXXX")"
pid=""
cleanup() {
  [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/store/var"
store() { env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$work/store/var/dvchub.db" DVCHUB_LOG_LEVEL=warn "$@"; }
(cd "$work/store" && store "${binaries[0]}" seed-demo >"$work/seed.log" 2>&1 &&
  store "${binaries[0]}" gen articles --count "$article_count" --seed "$seed" >>"$work/seed.log" 2>&1) ||
  { cat "$work/seed.log" >&2; exit 1; }

question="dang%20ky%20khai%20sinh%20can%20giay%20to%20gi"
echo "dvchub serve start-up — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "store: demo + $article_count synthetic articles (seed $seed), SQLite, a fresh copy per start; ask: q=$question"
for round in $(seq "$rounds"); do
  for binary in "${binaries[@]}"; do
    rm -rf "$work/run" && mkdir -p "$work/run/var" && cp "$work/store/var/dvchub.db" "$work/run/var/"
    started="$(date +%s.%N)"
    (cd "$work/run" && exec env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$work/run/var/dvchub.db" \
      DVCHUB_LISTEN="127.0.0.1:$port" DVCHUB_ACCESS_LOG=false "$binary" serve >"$work/run/log" 2>&1) &
    pid=$!
    since() { awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
    healthz=""; asked=""; cpu=""; first_status=""; : >"$work/run/healthz-times"
    for _ in $(seq 15000); do  # 300 s
      kill -0 "$pid" 2>/dev/null || { echo "dvchub exited:" >&2; cat "$work/run/log" >&2; exit 1; }
      if [ -z "$healthz" ]; then
        curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && healthz="$(since)"
      else
        status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/assistant/ask?q=$question")"
        first_status="${first_status:-$status}"
        if [ "$status" = 200 ]; then
          asked="$(since)"
          cpu="$(awk -v ticks="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / ticks }' "/proc/$pid/stat")"
          break
        fi
        curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/healthz" >>"$work/run/healthz-times"
      fi
      sleep 0.02
    done
    kill -TERM "$pid"; wait "$pid" || true; pid=""
    ready_line="$(grep -o 'Trợ lý đã sẵn sàng.*' "$work/run/log" || true)"
    waiting="$(sort -n "$work/run/healthz-times" | awk '{ v[NR] = $1 } END {
      if (NR == 0) print "-"; else printf "%d, median %.1f ms, max %.1f ms", NR, v[int((NR + 1) / 2)] * 1000, v[NR] * 1000 }')"
    printf 'round %s  %s\n  /healthz 200 after %s s, ask 200 after %s s (server CPU by then %s s; first ask after /healthz: %s)\n' \
      "$round" "$binary" "$healthz" "${asked:-never}" "${cpu:--}" "$first_status"
    printf '  /healthz while asks waited: %s\n  %s\n' "$waiting" "${ready_line:-(no ready line)}"
  done
done
