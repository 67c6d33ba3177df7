#!/usr/bin/env bash
# bench/assistant/run.sh — the assistant's ask against /healthz on the same server, side by side in one run, over
# the demo knowledge base and over a synthetic one of 10,000 more articles (issue 4, "Speed").
#
# Makes two SQLite stores in a temporary folder: "demo" (dvchub seed-demo: 50 articles, 81 procedures) and
# "synthetic" (a copy of demo plus `dvchub gen articles --count $ARTICLES`), starts one Release dvchub on each and
# waits until its assistant is ready (`dvchub_assistant_ready 1` in /metrics: the engine is built after the server
# listens), then runs wrk against six targets — on each server GET /api/v1/assistant/ask?q=… (rotating $QUESTIONS
# questions taken from content/assistant/eval.jsonl, URL-encoded, through rotate.lua), the same with a number no other
# request uses appended to each question ("ask distinct": nothing answered from the engine's memory of answers),
# and GET /healthz — alternating them over several rounds (order reversed every other round), and prints the
# median queries/s, p99 and server CPU time per request (user + system: other work on the machine skews it far less
# than req/s) of each, the ratio ask/healthz per server, and the issue's goals: p99 < 5 ms and ask ≥ 0.5× the
# /healthz rate. Those runs saturate the server, so their p99 is mostly the wait of 64 connections
# for two shared cores; a last phase offers each target a fixed load ($PACED_RATE requests/s over the same 64
# connections, each waiting at random 0.5–1.5 times 64 ms (at the defaults) before its next request) and prints
# the p50 and p99 of a request's own time.
# Before the runs it asks every question once on each server and prints the decisions and how many answers have the
# topic the evaluation set expects (so a faster but wrong engine would show). Builds nothing.
#
# Settings (environment): DVCHUB_BINARY (build/release/dvchub), ROUNDS (5), DURATION (10s), CONNECTIONS (64),
# WRK_THREADS (2), WARMUP (3s), ARTICLES (10000), QUESTIONS (20), SEED (1), PACED_RATE (1000 requests/s; 0 skips the
# paced phase).
# Needs: wrk, curl, jq (scripts/install-dependencies.sh bench).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/common.sh"

binary="${DVCHUB_BINARY:-$root/build/release/dvchub}"
rounds="${ROUNDS:-5}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
wrk_threads="${WRK_THREADS:-2}"
warmup="${WARMUP:-3s}"
article_count="${ARTICLES:-10000}"
question_count="${QUESTIONS:-20}"
seed="${SEED:-1}"
paced_rate="${PACED_RATE:-1000}"
cores="$(nproc)"

if [ ! -x "$binary" ]; then
  echo "bench/assistant: no dvchub binary at $binary." >&2
  echo "Build a Release binary first, e.g." >&2
  echo "  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDVCHUB_TESTS=OFF && ninja -C build-release dvchub" >&2
  echo "and point DVCHUB_BINARY at it." >&2
  exit 1
fi
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/assistant: $tool is missing; run scripts/install-dependencies.sh bench" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/dvchub-bench-assistant.XXXXXX")"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
dvchub_in() {  # store-name, then dvchub's arguments
  local store="$1"
  shift
  (cd "$work/$store" && exec env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$work/$store/var/dvchub.db" \
    DVCHUB_LOG_LEVEL=warn "$binary" "$@")
}

# --- the two stores -------------------------------------------------------------------------------------------------
mkdir -p "$work/demo/var" "$work/synthetic/var"
started="$(date +%s.%N)"
dvchub_in demo seed-demo >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
seed_seconds="$(seconds_since "$started")"
# dvchub has exited, so the store is one file (SQLite checkpoints the WAL on the last close).
cp "$work/demo/var/dvchub.db" "$work/synthetic/var/dvchub.db"
started="$(date +%s.%N)"
dvchub_in synthetic gen articles --count "$article_count" --seed "$seed" >"$work/gen.log" 2>&1 || { cat "$work/gen.log" >&2; exit 1; }
gen_seconds="$(seconds_since "$started")"

# --- the two servers ------------------------------------------------------------------------------------------------
declare -A url pid_of startup_seconds ready_seconds
for store in demo synthetic; do
  started="$(date +%s.%N)"
  (cd "$work/$store" && exec env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$work/$store/var/dvchub.db" \
    DVCHUB_LISTEN=127.0.0.1:0 DVCHUB_ACCESS_LOG=false DVCHUB_NETWORK_THREADS="$cores" \
    "$binary" serve >"$work/$store.log" 2>&1) &
  pid_of[$store]=$!
  pids+=("${pid_of[$store]}")
  port=""
  for _ in $(seq 1800); do  # 180 s
    port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/$store.log" 2>/dev/null | head -1 | sed 's/.*://')" || true
    [ -n "$port" ] && [ "$port" != 0 ] && break
    kill -0 "${pid_of[$store]}" 2>/dev/null || { echo "bench/assistant: dvchub ($store) exited:" >&2; cat "$work/$store.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { echo "bench/assistant: dvchub ($store) did not start:" >&2; cat "$work/$store.log" >&2; exit 1; }
  url[$store]="http://127.0.0.1:$port"
  for _ in $(seq 300); do curl -fsS "${url[$store]}/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  startup_seconds[$store]="$(seconds_since "$started")"
  # The assistant's engine is built after the server listens (asks answer 503 until then): wait for it.
  ready=""
  for _ in $(seq 1800); do  # 180 s
    curl -fsS "${url[$store]}/metrics" 2>/dev/null | grep -qx 'dvchub_assistant_ready 1' && { ready=1; break; }
    kill -0 "${pid_of[$store]}" 2>/dev/null || { echo "bench/assistant: dvchub ($store) exited:" >&2; cat "$work/$store.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$ready" ] || { echo "bench/assistant: the assistant of dvchub ($store) was not ready in 180 s:" >&2; cat "$work/$store.log" >&2; exit 1; }
  ready_seconds[$store]="$(seconds_since "$started")"
done

article_total() { curl -fsS "${url[$1]}/api/v1/assistant/articles" | jq 'if type == "array" then length else (.articles | length) end'; }

# --- the questions --------------------------------------------------------------------------------------------------
# Spread over the evaluation set (every style: unmarked, typos, abbreviations, long messages, …): in-scope questions
# at an even stride, and one out-of-scope question in ten, as a citizen-facing assistant receives them.
write_questions "$question_count" "$work"  # common.sh: questions.jsonl, ask-paths.txt

# Every question once on each server: all must answer 200 with a decision; count decisions and right topics.
declare -A quality
for store in demo synthetic; do
  : >"$work/$store-answers.jsonl"
  while IFS= read -r question_path; do
    curl -fsS "${url[$store]}$question_path" | jq -c '{decision, topic: (.answers[0].topic // null)}' >>"$work/$store-answers.jsonl" \
      || { echo "bench/assistant: $store did not answer $question_path" >&2; exit 1; }
  done <"$work/ask-paths.txt"
  quality[$store]="$(jq -rs --slurpfile expected "$work/questions.jsonl" '
      . as $answers
      | [range(0; length) | {e: $expected[.], a: $answers[.]}] as $pairs
      | ($pairs | map(select(.e.topic != null and .a.decision == "answer" and .a.topic == .e.topic)) | length) as $right
      | ($pairs | map(select(.e.topic == null and .a.decision == "out_of_scope")) | length) as $declined
      | ($answers | group_by(.decision) | map("\(.[0].decision) \(length)") | join(", "))
        + "; answered with the expected topic \($right)/\($pairs | map(select(.e.topic != null)) | length)"
        + ", out-of-scope declined \($declined)/\($pairs | map(select(.e.topic == null)) | length)"' \
      "$work/$store-answers.jsonl")"
done

# --- wrk -------------------------------------------------------------------------------------------------------------
# "ask" repeats the listed questions (a question asked again is answered from the engine's memory of answers);
# "ask distinct" appends a number no other request uses to each question, so every ask is ranked afresh.
names=("demo ask" "demo /healthz" "synthetic ask" "synthetic /healthz" "demo ask distinct" "synthetic ask distinct")
targets=("${url[demo]}" "${url[demo]}/healthz" "${url[synthetic]}" "${url[synthetic]}/healthz" "${url[demo]}" "${url[synthetic]}")
scripts=("$here/rotate.lua" "" "$here/rotate.lua" "" "$here/rotate.lua" "$here/rotate.lua")
distinct=(0 0 0 0 1 1)
healthz_of=(1 1 3 3 1 3)  # the /healthz target on the same server
server_of=(demo demo synthetic synthetic demo synthetic)
export ASK_PATHS="$work/ask-paths.txt"
printf '/healthz\n' >"$work/healthz-path.txt"
run_wrk() {  # index, duration
  if [ -n "${ASK_PACE_MS:-}" ]; then  # paced: every target through rotate.lua (/healthz as its one path)
    local paths="$ASK_PATHS" target="${targets[$1]}"
    [ -n "${scripts[$1]}" ] || { paths="$work/healthz-path.txt"; target="${target%/healthz}"; }
    ASK_PATHS="$paths" ASK_DISTINCT="${distinct[$1]}" wrk -t"$wrk_threads" -c"$connections" -d"$2" --latency \
      -s "$here/rotate.lua" "$target"
  elif [ -n "${scripts[$1]}" ]; then
    ASK_DISTINCT="${distinct[$1]}" wrk -t"$wrk_threads" -c"$connections" -d"$2" --latency -s "${scripts[$1]}" "${targets[$1]}"
  else
    wrk -t"$wrk_threads" -c"$connections" -d"$2" --latency "${targets[$1]}"
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

echo "assistant ask vs /healthz — $(date -u '+%Y-%m-%d %H:%M UTC'), $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
echo "dvchub: $binary ($cores network threads each, SQLite)"
echo "stores: demo $(article_total demo) articles (seed-demo ${seed_seconds} s); synthetic $(article_total synthetic) articles" \
  "(+$article_count by dvchub gen articles --seed $seed, ${gen_seconds} s)"
echo "server start to /healthz ok: demo ${startup_seconds[demo]} s, synthetic ${startup_seconds[synthetic]} s;" \
  "to the assistant ready (its engine built beside the server): demo ${ready_seconds[demo]} s, synthetic ${ready_seconds[synthetic]} s"
echo "wrk -t$wrk_threads -c$connections -d$duration --latency, $rounds rounds alternating targets (order reversed every other round)"
echo "ask: GET /api/v1/assistant/ask?q=… rotating $question_count questions of content/assistant/eval.jsonl" \
  "($in_scope_count in scope, $out_of_scope_count out of scope), no session"
echo "answers on demo:      ${quality[demo]}"
echo "answers on synthetic: ${quality[synthetic]}"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the figures)"
echo "Note: wrk and both servers share the same $cores cores (the idle server costs next to nothing); compare ratios."
echo

for index in "${!targets[@]}"; do run_wrk "$index" "$warmup" >/dev/null; done

# CPU accounting (as bench/http): the machine's user+system time minus wrk's and the servers', and stolen time.
ticks="$(getconf CLK_TCK)"
machine_cpu() { awk '/^cpu / { printf "%d %d\n", $2 + $3 + $4, $9 }' /proc/stat; }
servers_cpu() {
  local total=0 pid
  for pid in "${pids[@]}"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}
children_seconds() {  # user + system seconds of this shell's reaped children (`times` must run in this shell)
  times >"$work/times"
  awk 'NR == 2 { total = 0; for (i = 1; i <= 2; i++) { split($i, part, "m"); total += part[1] * 60 + part[2] } printf "%.2f\n", total }' "$work/times"
}
read -r busy_start steal_start < <(machine_cpu)
servers_start="$(servers_cpu)"
children_seconds >"$work/children-start"
clock_start="$(date +%s.%N)"

# CPU time (user + system) the server of a target spent per request it answered: unlike req/s, it does not depend on
# how much of the cores other work leaves (only on cache and hyper-thread contention).
process_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
cpu_microseconds() {  # ticks before, ticks after, requests
  awk -v a="$1" -v b="$2" -v n="$3" -v ticks="$ticks" 'BEGIN { if (n > 0) printf "%.0f", (b - a) / ticks * 1e6 / n; else print 0 }'
}

declare -A rps_runs p99_runs cpu_runs
declare -A round_ratios
total_errors=0
for round in $(seq "$rounds"); do
  order=(0 1 2 3 4 5)
  [ $((round % 2)) -eq 1 ] || order=(5 4 3 2 1 0)
  line="round $round:"
  declare -A this_round=()
  for index in "${order[@]}"; do
    server_pid="${pid_of[${server_of[$index]}]}"
    ticks_before="$(process_ticks "$server_pid")"
    result="$(run_wrk "$index" "$duration" | parse_wrk)"
    ticks_after="$(process_ticks "$server_pid")"
    read -r rps p99 errors _ requests <<<"$result"
    rps_runs[$index]+="$rps "
    p99_runs[$index]+="$p99 "
    cpu_runs[$index]+="$(cpu_microseconds "$ticks_before" "$ticks_after" "$requests") "
    this_round[$index]=$rps
    total_errors=$((total_errors + errors))
    line+="  ${names[$index]} ${rps}/s p99 ${p99}ms"
    [ "$errors" -eq 0 ] || line+=" ($errors errors)"
  done
  for index in 0 2 4 5; do round_ratios[$index]+="$(ratio "${this_round[$index]}" "${this_round[${healthz_of[$index]}]}") "; done
  echo "$line"
done
echo

declare -a rps_median p99_median cpu_median
printf '%-23s %14s %15s %17s   %s\n' "target" "req/s median" "p99 ms median" "server CPU µs/req" "req/s per round"
for index in "${!targets[@]}"; do
  # shellcheck disable=SC2086
  rps_median[$index]="$(median ${rps_runs[$index]})"
  # shellcheck disable=SC2086
  p99_median[$index]="$(median ${p99_runs[$index]})"
  # shellcheck disable=SC2086
  cpu_median[$index]="$(median ${cpu_runs[$index]})"
  printf '%-23s %14.0f %15.2f %17.0f   %s\n' "${names[$index]}" "${rps_median[$index]}" "${p99_median[$index]}" \
    "${cpu_median[$index]}" "${rps_runs[$index]}"
done
echo
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT met"; fi; }
for index in 0 2 4 5; do
  medians_ratio="$(ratio "${rps_median[$index]}" "${rps_median[${healthz_of[$index]}]}")"
  # shellcheck disable=SC2086
  printf '%-23s ask//healthz %s× (medians; per round %s)   p99 < 5 ms: %s (%.2f ms)   ask ≥ 0.5× /healthz: %s\n' \
    "${names[$index]}" "$medians_ratio" "${round_ratios[$index]% }" "$(verdict "${p99_median[$index]} < 5")" \
    "${p99_median[$index]}" "$(verdict "$medians_ratio >= 0.5")"
done
echo "memory (VmRSS) after the runs: demo $(rss_mb "${pid_of[demo]}") MB, synthetic $(rss_mb "${pid_of[synthetic]}") MB"
read -r busy_end steal_end < <(machine_cpu)
servers_end="$(servers_cpu)"
children_seconds >"$work/children-end"
clock_end="$(date +%s.%N)"
awk -v busy="$((busy_end - busy_start))" -v steal="$((steal_end - steal_start))" -v ticks="$ticks" \
  -v servers="$((servers_end - servers_start))" -v wrk_seconds="$(awk 'NR == FNR { a = $1; next } { print $1 - a }' "$work/children-start" "$work/children-end")" \
  -v elapsed="$(awk -v a="$clock_start" -v b="$clock_end" 'BEGIN { print b - a }')" -v cores="$cores" 'BEGIN {
    capacity = elapsed * cores
    ours = servers / ticks + wrk_seconds
    other = busy / ticks - ours
    if (other < 0) other = 0
    printf "CPU during the runs (%d s x %d cores): wrk + servers %.0f%%, other processes %.0f%%, stolen by the hypervisor %.0f%%\n",
      elapsed, cores, 100 * ours / capacity, 100 * other / capacity, 100 * steal / ticks / capacity
  }'

# --- at a fixed offered load -------------------------------------------------------------------------------------------
if [ "$paced_rate" != 0 ]; then
  pace_ms="$(awk -v c="$connections" -v r="$paced_rate" 'BEGIN { printf "%d", c * 1000 / r }')"
  echo
  echo "At a fixed offered load: $connections connections, each waiting 0.5–1.5 × $pace_ms ms at random before its next request" \
    "(about $paced_rate requests/s in all), one $duration run per target:"
  printf '%-23s %14s %15s %15s\n' "target" "req/s" "p50 ms" "p99 ms"
  for index in "${!targets[@]}"; do
    read -r rps p99 errors p50 _ <<<"$(ASK_PACE_MS="$pace_ms" run_wrk "$index" "$duration" | parse_wrk)"
    total_errors=$((total_errors + errors))
    printf '%-23s %14.0f %15.2f %15.2f   p99 < 5 ms: %s\n' "${names[$index]}" "$rps" "$p50" "$p99" "$(verdict "$p99 < 5")"
  done
fi
[ "$total_errors" -eq 0 ] || echo "warning: wrk reported $total_errors socket errors or non-2xx responses (see rounds above)"
