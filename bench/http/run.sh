#!/usr/bin/env bash
# bench/http/run.sh — dvchub against nginx, side by side in one run on this machine.
#
# Starts a Release dvchub (seeded demo, access log off, in a temporary folder) and an nginx that serves the same
# bytes as static files (dvchub's home page saved as index.html, /healthz's body as healthz.json, the same security
# headers), then runs wrk against four targets, alternating them over several rounds, and prints the median
# requests/s and p99 latency of each with the ratio dvchub/nginx. Builds nothing.
# Five rounds by default: on this shared 2-core machine one 10 s run of the same target varies by up to ±30 %.
#
# Settings (environment): DVCHUB_BINARY (build/release/dvchub), ROUNDS (5), DURATION (10s), CONNECTIONS (64),
# WRK_THREADS (2), WARMUP (2s).
# Needs: wrk, nginx, curl (scripts/install-dependencies.sh bench).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

binary="${DVCHUB_BINARY:-$root/build/release/dvchub}"
rounds="${ROUNDS:-5}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
wrk_threads="${WRK_THREADS:-2}"
warmup="${WARMUP:-2s}"
cores="$(nproc)"

if [ ! -x "$binary" ]; then
  echo "bench/http: no dvchub binary at $binary." >&2
  echo "Build a Release binary first: ./run.sh (builds build/release/dvchub), or" >&2
  echo "  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDVCHUB_TESTS=OFF && cmake --build build/release --target dvchub" >&2
  echo "or point DVCHUB_BINARY at one." >&2
  exit 1
fi
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
for tool in wrk nginx curl; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "bench/http: $tool is missing; run scripts/install-dependencies.sh bench" >&2
    exit 1
  fi
done
nginx_binary="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d "${TMPDIR:-/tmp}/dvchub-bench-http.XXXXXX")"
dvchub_pid=""
nginx_pid=""
cleanup() {
  local status=$?
  for pid in $dvchub_pid $nginx_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $dvchub_pid $nginx_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- dvchub --------------------------------------------------------------------------------------------------------
mkdir -p "$work/dvchub"
(cd "$work/dvchub" && env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$work/dvchub/var/dvchub.db" \
  "$binary" seed-demo >"$work/dvchub-seed.log" 2>&1) || { cat "$work/dvchub-seed.log" >&2; exit 1; }
(cd "$work/dvchub" && exec env -u DVCHUB_CONFIG DVCHUB_DATABASE_URL="sqlite://$work/dvchub/var/dvchub.db" \
  DVCHUB_LISTEN=127.0.0.1:0 DVCHUB_ACCESS_LOG=false DVCHUB_NETWORK_THREADS="$cores" \
  "$binary" serve >"$work/dvchub.log" 2>&1) &
dvchub_pid=$!
dvchub_port=""
for _ in $(seq 300); do
  dvchub_port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/dvchub.log" 2>/dev/null | head -1 | sed 's/.*://')" || true
  [ -n "$dvchub_port" ] && [ "$dvchub_port" != 0 ] && break
  kill -0 "$dvchub_pid" 2>/dev/null || { echo "bench/http: dvchub exited:" >&2; cat "$work/dvchub.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$dvchub_port" ] || { echo "bench/http: dvchub did not start:" >&2; cat "$work/dvchub.log" >&2; exit 1; }
dvchub_url="http://127.0.0.1:$dvchub_port"
for _ in $(seq 100); do curl -fsS "$dvchub_url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# --- nginx serving the same bytes ------------------------------------------------------------------------------------
site="$work/nginx-root"
mkdir -p "$site" "$work/nginx-temp"
curl -fsS "$dvchub_url/healthz" -o "$site/healthz.json"
curl -fsS "$dvchub_url/" -o "$site/index.html"
# nginx's workers drop root privileges to "nobody": let them read the site.
chmod 755 "$work" "$site"
chmod 644 "$site"/*

free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  return 1
}

nginx_port=""
for attempt in 1 2 3 4 5; do
  nginx_port="$(free_port)"
  cat >"$work/nginx.conf" <<EOF
worker_processes $cores;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-temp/body;
  proxy_temp_path $work/nginx-temp/proxy;
  fastcgi_temp_path $work/nginx-temp/fastcgi;
  uwsgi_temp_path $work/nginx-temp/uwsgi;
  scgi_temp_path $work/nginx-temp/scgi;
  types { text/html html; application/json json; }
  default_type application/octet-stream;
  charset utf-8;
  charset_types application/json;
  # nginx at its best for small static files: descriptors kept open, and one writev per answer (for 2.5 KB,
  # sendfile costs a second system call; measured here, it was not faster).
  sendfile off;
  open_file_cache max=64 inactive=60s;
  open_file_cache_valid 60s;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  server_tokens off;
  server {
    listen 127.0.0.1:$nginx_port;
    root $site;
    # The same headers dvchub sends with these pages, so both answer with about the same bytes.
    add_header Cache-Control "no-cache" always;
    add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'" always;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy same-origin always;
    add_header X-Frame-Options DENY always;
    add_header X-Request-Id \$request_id always;
  }
}
EOF
  "$nginx_binary" -p "$work" -e "$work/nginx-error.log" -c "$work/nginx.conf" &
  nginx_pid=$!
  started=""
  for _ in $(seq 50); do
    if curl -fsS "http://127.0.0.1:$nginx_port/healthz.json" >/dev/null 2>&1; then started=1; break; fi
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$started" ] && break
  kill -TERM "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
  echo "bench/http: nginx did not start on port $nginx_port (attempt $attempt)" >&2
done
[ -n "$nginx_pid" ] || { cat "$work/nginx-error.log" >&2; exit 1; }
nginx_url="http://127.0.0.1:$nginx_port"

# The two must serve identical bodies, or the comparison is meaningless.
for pair in "/healthz /healthz.json" "/ /index.html"; do
  set -- $pair
  if ! cmp -s <(curl -fsS "$dvchub_url$1") <(curl -fsS "$nginx_url$2"); then
    echo "bench/http: dvchub $1 and nginx $2 differ; refusing to compare" >&2
    exit 1
  fi
done
home_bytes="$(wc -c <"$site/index.html")"
response_size() { curl -fsS -o /dev/null -w '%{size_header}+%{size_download}' "$1"; }
sizes="dvchub /healthz $(response_size "$dvchub_url/healthz"), nginx /healthz.json $(response_size "$nginx_url/healthz.json"),"
sizes+=" dvchub / $(response_size "$dvchub_url/"), nginx /index.html $(response_size "$nginx_url/index.html")"

# --- wrk -----------------------------------------------------------------------------------------------------------
names=("dvchub /healthz" "nginx /healthz.json" "dvchub /" "nginx /index.html")
urls=("$dvchub_url/healthz" "$nginx_url/healthz.json" "$dvchub_url/" "$nginx_url/index.html")

# Prints "<requests per second> <p99 in ms> <errors>" from wrk --latency output on stdin.
parse_wrk() {
  awk '
    function ms(value) {
      if (value ~ /us$/) return substr(value, 1, length(value) - 2) / 1000
      if (value ~ /ms$/) return substr(value, 1, length(value) - 2) + 0
      if (value ~ /s$/) return substr(value, 1, length(value) - 1) * 1000
      if (value ~ /m$/) return substr(value, 1, length(value) - 1) * 60000
      return value + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { errors += $5 }
    END { printf "%.0f %.3f %d\n", rps, p99, errors + 0 }'
}

median() {  # numbers as arguments
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "dvchub vs nginx — $(date -u '+%Y-%m-%d %H:%M UTC'), $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
echo "dvchub: $binary ($cores network threads), nginx $("$nginx_binary" -v 2>&1 | sed 's|.*/||') ($cores workers)"
echo "wrk -t$wrk_threads -c$connections -d$duration --latency, $rounds rounds alternating targets (order reversed every other round)"
echo "bytes per answer (headers+body): $sizes"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the figures)"
echo "Note: wrk and the server under test share the same $cores cores, so neither gets the machine to itself;"
echo "      the figures are for comparing the two servers side by side, not absolute capacity."
echo

for index in "${!urls[@]}"; do
  wrk -t"$wrk_threads" -c"$connections" -d"$warmup" "${urls[$index]}" >/dev/null
done

# CPU accounting, to tell how much of the machine other work took during the runs: the machine's user and system
# time (/proc/stat) minus what wrk (reaped children, from `times`) and the two servers used; and stolen time.
ticks="$(getconf CLK_TCK)"
# (irq and softirq time, much of it loopback TCP for our own traffic, is charged to no process: left out.)
machine_cpu() { awk '/^cpu / { printf "%d %d\n", $2 + $3 + $4, $9 }' /proc/stat; }
servers_cpu() {
  local total=0 pid
  for pid in $dvchub_pid $nginx_pid $(pgrep -P "$nginx_pid" || true); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
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

declare -A rps_runs p99_runs
declare -a health_round_ratios page_round_ratios
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
total_errors=0
for round in $(seq "$rounds"); do
  # Odd rounds run the targets in order, even rounds in reverse (ABBA), so a drift in the machine's speed during a
  # round does not always favour the same server.
  order=(0 1 2 3)
  [ $((round % 2)) -eq 1 ] || order=(3 2 1 0)
  line="round $round:"
  declare -A this_round=()
  for index in "${order[@]}"; do
    result="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "${urls[$index]}" | parse_wrk)"
    read -r rps p99 errors <<<"$result"
    rps_runs[$index]+="$rps "
    p99_runs[$index]+="$p99 "
    this_round[$index]=$rps
    total_errors=$((total_errors + errors))
    line+="  ${names[$index]} ${rps}/s p99 ${p99}ms"
    [ "$errors" -eq 0 ] || line+=" ($errors errors)"
  done
  health_round_ratios+=("$(ratio "${this_round[0]}" "${this_round[1]}")")
  page_round_ratios+=("$(ratio "${this_round[2]}" "${this_round[3]}")")
  echo "$line"
done
echo

declare -a rps_median p99_median
printf '%-22s %14s %16s   %s\n' "target" "req/s median" "p99 ms median" "req/s per round"
for index in "${!urls[@]}"; do
  # shellcheck disable=SC2086
  rps_median[$index]="$(median ${rps_runs[$index]})"
  # shellcheck disable=SC2086
  p99_median[$index]="$(median ${p99_runs[$index]})"
  printf '%-22s %14.0f %16.2f   %s\n' "${names[$index]}" "${rps_median[$index]}" "${p99_median[$index]}" "${rps_runs[$index]}"
done
echo
health_ratio="$(ratio "${rps_median[0]}" "${rps_median[1]}")"
page_ratio="$(ratio "${rps_median[2]}" "${rps_median[3]}")"
printf 'ratio dvchub/nginx, req/s:  health check %s×   cached home page %s×\n' "$health_ratio" "$page_ratio"
printf 'ratio dvchub/nginx, p99:    health check %s×   cached home page %s×   (below 1 = dvchub faster)\n' \
  "$(ratio "${p99_median[0]}" "${p99_median[1]}")" "$(ratio "${p99_median[2]}" "${p99_median[3]}")"
printf 'ratio within each round, req/s: health check %s (median %s×)   cached home page %s (median %s×)\n' \
  "${health_round_ratios[*]}" "$(printf '%.2f' "$(median "${health_round_ratios[@]}")")" \
  "${page_round_ratios[*]}" "$(printf '%.2f' "$(median "${page_round_ratios[@]}")")"
if awk -v r="$page_ratio" 'BEGIN { exit !(r >= 0.8) }'; then
  echo "goal dvchub ≥ 0.8× nginx on the cached page: met"
else
  echo "goal dvchub ≥ 0.8× nginx on the cached page: not met"
fi
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
[ "$total_errors" -eq 0 ] || echo "warning: wrk reported $total_errors socket errors or non-2xx responses (see rounds above)"
