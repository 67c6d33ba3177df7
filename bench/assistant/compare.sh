#!/usr/bin/env bash
# bench/assistant/compare.sh OLD_BINARY NEW_BINARY — two builds of dvchub side by side on new questions, in one run.
#
# This machine's speed drifts by 10–30 % from one minute to the next (other work on the two cores), so two runs of
# run.sh minutes apart cannot tell a 10 % change. Here both servers run at once on copies of the same store, and
# every round measures one and then the other (the order swapped every round). Each measurement is:
#   - saturated: wrk, 64 connections, $DURATION, the benchmark's 20 questions each with a number no other request
#     uses ("ask distinct" in run.sh: every ask ranked afresh); the server's CPU time per request (user + system,
#     from /proc/PID/stat) and req/s;
#   - paced: the same questions at about 1,000 requests/s (64 connections, each waiting 0.5–1.5 × 64 ms), 10 s; p50,
#     p99 and the slowest request.
# Stores: "demo" (seed-demo) and "synthetic" (demo plus `gen articles --count $ARTICLES --seed 1`), made by
# NEW_BINARY (an older binary must be able to open them: no migration it lacks). Prints each round and the medians.
#
# Settings (environment): ROUNDS (3), DURATION (6s), ARTICLES (10000), STORES ("demo synthetic").
# Needs: wrk, curl, jq (scripts/install-dependencies.sh bench). Builds nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/common.sh"

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
  echo "usage: bench/assistant/compare.sh OLD_BINARY NEW_BINARY (two Release builds of dvchub)" >&2
  exit 2
fi
binary_of=([0]="$(realpath "$1")" [1]="$(realpath "$2")")
label_of=([0]=old [1]=new)
rounds="${ROUNDS:-3}"
duration="${DURATION:-6s}"
article_count="${ARTICLES:-10000}"
stores="${STORES:-demo synthetic}"
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/assistant: $tool is missing; run scripts/install-dependencies.sh bench" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/dvchub-bench-compare.XXXXXX")"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dvchub_on() {  # store folder, binary, then dvchub's arguments
  local folder="$1" binary="$2"
  shift 2
  (cd "$folder" && exec env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$folder/dvchub.db" DVCHUB_LOG_LEVEL=warn \
    "$binary" "$@")
}

# The stores, made once by the new binary.
mkdir -p "$work/demo" "$work/synthetic"
dvchub_on "$work/demo" "${binary_of[1]}" seed-demo >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
cp "$work/demo/dvchub.db" "$work/synthetic/dvchub.db"
dvchub_on "$work/synthetic" "${binary_of[1]}" gen articles --count "$article_count" --seed 1 >"$work/gen.log" 2>&1 \
  || { cat "$work/gen.log" >&2; exit 1; }

write_questions 20 "$work"
export ASK_PATHS="$work/ask-paths.txt" ASK_DISTINCT=1

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
echo "compare — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "old: ${binary_of[0]}"
echo "new: ${binary_of[1]}"
echo "new questions (20 of content/assistant/eval.jsonl, a fresh number on each); $rounds rounds, order swapped each round"
for store in $stores; do
  declare -A port pid cpu_runs rps_runs p50_runs p99_runs slowest_runs
  for side in 0 1; do
    folder="$work/$store-${label_of[$side]}"
    mkdir -p "$folder"
    cp "$work/$store/dvchub.db" "$folder/dvchub.db"
    port[$side]=$((18600 + side + ${#pids[@]}))
    (cd "$folder" && exec env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$folder/dvchub.db" DVCHUB_LOG_LEVEL=warn \
      DVCHUB_ACCESS_LOG=false DVCHUB_NETWORK_THREADS="$(nproc)" DVCHUB_LISTEN="127.0.0.1:${port[$side]}" \
      "${binary_of[$side]}" serve >"$folder/serve.log" 2>&1) &
    pid[$side]=$!  # dvchub itself (the subshell execs it)
    pids+=("${pid[$side]}")
  done
  for side in 0 1; do  # until each answers a question (a newer server builds its engine after it listens)
    answered=""
    for _ in $(seq 900); do
      curl -fsS "http://127.0.0.1:${port[$side]}/api/v1/assistant/ask?q=khai%20sinh" >/dev/null 2>&1 && { answered=1; break; }
      sleep 0.2
    done
    [ -n "$answered" ] || { echo "bench/assistant: the ${label_of[$side]} server ($store) never answered:" >&2; cat "$work/$store-${label_of[$side]}/serve.log" >&2; exit 1; }
  done
  for side in 0 1; do cpu_runs[$side]=""; rps_runs[$side]=""; p50_runs[$side]=""; p99_runs[$side]=""; slowest_runs[$side]=""; done
  for round in $(seq "$rounds"); do
    order="0 1"
    [ $((round % 2)) -eq 0 ] && order="1 0"
    line="$store round $round:"
    for side in $order; do
      before="$(cpu_ticks "${pid[$side]}")"
      read -r rps _ _ _ requests <<<"$(wrk -t2 -c64 -d"$duration" --latency -s "$here/rotate.lua" "http://127.0.0.1:${port[$side]}" | parse_wrk)"
      after="$(cpu_ticks "${pid[$side]}")"
      cpu="$(awk -v a="$before" -v b="$after" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) / hz * 1e6 / n }')"
      paced="$(ASK_PACE_MS=64 wrk -t2 -c64 -d10s --latency -s "$here/rotate.lua" "http://127.0.0.1:${port[$side]}")"
      read -r _ p99 _ p50 _ <<<"$(parse_wrk <<<"$paced")"
      slowest="$(awk '/^ +Latency/ { print $4; exit }' <<<"$paced")"
      cpu_runs[$side]+="$cpu "; rps_runs[$side]+="$rps "; p50_runs[$side]+="$p50 "; p99_runs[$side]+="$p99 "
      slowest_runs[$side]+="$slowest "
      line+="  ${label_of[$side]} ${cpu} µs/req ${rps}/s, paced p99 ${p99} ms (slowest ${slowest})"
    done
    echo "$line"
  done
  printf '%-10s %-4s %14s %12s %13s %13s   %s\n' "store" "" "CPU µs/req" "req/s" "paced p50 ms" "paced p99 ms" "slowest paced requests"
  for side in 0 1; do
    printf '%-10s %-4s %14.0f %12.0f %13.2f %13.2f   %s\n' "$store" "${label_of[$side]}" "$(median ${cpu_runs[$side]})" \
      "$(median ${rps_runs[$side]})" "$(median ${p50_runs[$side]})" "$(median ${p99_runs[$side]})" "${slowest_runs[$side]}"
  done
  for side in 0 1; do kill -TERM "${pid[$side]}" 2>/dev/null || true; wait "${pid[$side]}" 2>/dev/null || true; done
  pids=()
  unset port pid cpu_runs rps_runs p50_runs p99_runs slowest_runs
done
