#!/usr/bin/env bash
# bench/kpi/run.sh — dvchub's dossier import and KPI queries against DuckDB and the sqlite3 shell, side by side.
#
#   DVCHUB_BINARY=build-bench/dvchub ROWS=1000000 ROUNDS=3 bench/kpi/run.sh
#
# Builds nothing. Generates a province with UNITS communes (default 3000), a catalogue of 200 procedures and ROWS
# dossiers received in 2025 (`dvchub gen dossiers`), then, ROUNDS times in alternating order, loads that same CSV
# with `dvchub import dossiers` (SQLite store, counters included), DuckDB (@duckdb/node-api, into a database file)
# and the sqlite3 shell's `.import` (no types, no index). It then re-imports 1 % of the dossiers with a changed
# status, and times the one-unit-one-year KPI query and the commune ranking in dvchub (over HTTP, one keep-alive
# client; the ranking in full and its first ten, `limit=10` / `LIMIT 10`) against the same SQL in DuckDB over its
# loaded table, after checking both give the same counts and the same first ten.
# Prints a table of medians; wall time and peak RSS from /usr/bin/time.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="$(realpath "${DVCHUB_BINARY:-$root/build/release/dvchub}")"
rows="${ROWS:-1000000}"
units="${UNITS:-3000}"
rounds="${ROUNDS:-3}"
query_rounds="${QUERY_ROUNDS:-100}"
port="${PORT:-18931}"
[ -x "$binary" ] || { echo "no dvchub binary at $binary (set DVCHUB_BINARY)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (apt-get install sqlite3)" >&2; exit 1; }
[ -d "$here/node_modules/@duckdb/node-api" ] || (cd "$here" && npm ci --no-audit --no-fund >&2)

work="$(mktemp -d /tmp/dvchub-bench-kpi.XXXXXX)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

# Units and catalogue (a fresh store is made from these for every dvchub round).
{
  echo "code,name,kind,parent_code,valid_from"
  echo "BP,Tỉnh thử nghiệm,province,,2025-01-01"
  for ((index = 1; index <= units; ++index)); do printf 'BX%04d,Xã thử nghiệm %d,commune,BP,2025-01-01\n' "$index" "$index"; done
} > units.csv
{
  echo "MaTTHC,TenTTHC,LinhVuc,CapThucHien,DuDieuKienToanTrinh,CungCapTrucTuyen,CoPhiLePhi"
  for ((index = 1; index <= 200; ++index)); do
    printf 'B.%06d,Thủ tục thử nghiệm %d,Lĩnh vực %d,Cấp xã,%d,%d,%d\n' "$index" "$index" $((index % 12)) \
      $((index % 5 != 0)) $((index % 3 == 0 ? 1 : 2)) $((index % 4 == 0))
  done
} > catalogue.csv
new_store() {
  rm -f "$1" "$1"-wal "$1"-shm
  DVCHUB_DATABASE_URL="sqlite://$1" "$binary" import units units.csv >/dev/null 2>&1
  DVCHUB_DATABASE_URL="sqlite://$1" "$binary" import catalogue catalogue.csv >/dev/null 2>&1
}
new_store "$work/base.db"
DVCHUB_DATABASE_URL="sqlite://$work/base.db" "$binary" gen dossiers --rows "$rows" --seed 7 -o dossiers.csv
# 1 % of the dossiers, status changed (a later snapshot of the same MaHoSo).
awk -F, -v OFS=, 'NR == 1 { print; next } NR % 100 == 0 { $9 = ($9 == 10 ? 4 : 10); print }' dossiers.csv > changed.csv
csv_bytes=$(stat -c %s dossiers.csv)

# time_of LABEL COMMAND…: runs it under /usr/bin/time, appends "label seconds peak_kib" to timings.txt.
time_of() {
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o time.out "$@" >/dev/null 2>>errors.log || { echo "$label failed:" >&2; tail -5 errors.log >&2; exit 1; }
  echo "$label $(cat time.out)" >> timings.txt
}
: > timings.txt
for ((round = 1; round <= rounds; ++round)); do
  order=(dvchub duckdb sqlite3)
  [ $((round % 2)) -eq 0 ] && order=(sqlite3 duckdb dvchub)
  for side in "${order[@]}"; do
    case "$side" in
      dvchub)
        cp base.db store.db
        time_of "dvchub_import" env DVCHUB_DATABASE_URL="sqlite://$work/store.db" "$binary" import dossiers dossiers.csv
        time_of "dvchub_reimport_1pct" env DVCHUB_DATABASE_URL="sqlite://$work/store.db" "$binary" import dossiers changed.csv ;;
      duckdb)
        rm -f bench.duckdb bench.duckdb.wal
        time_of "duckdb_load" node "$here/duckdb.mjs" load "$work/bench.duckdb" "$work/dossiers.csv" "$work/catalogue.csv" ;;
      sqlite3)
        rm -f shell.db
        time_of "sqlite3_import" sqlite3 shell.db ".import --csv dossiers.csv dossiers" ;;
    esac
  done
done

# Queries: dvchub serves the last store; DuckDB opens its last file.
DVCHUB_DATABASE_URL="sqlite://$work/store.db" DVCHUB_LISTEN="127.0.0.1:$port" DVCHUB_ACCESS_LOG=false \
  DVCHUB_LOG_LEVEL=warn "$binary" serve >server.log 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
queries="$(node "$here/duckdb.mjs" query "$work/bench.duckdb" BX0001 2025 "http://127.0.0.1:$port" "$query_rounds")"

median() { sort -n | awk '{ values[NR] = $1 } END { print values[int((NR + 1) / 2)] }'; }
column() { awk -v label="$1" -v field="$2" '$1 == label { print $field }' timings.txt | median; }
echo
echo "rows: $rows ($((csv_bytes / 1048576)) MiB CSV), units: $units, rounds: $rounds, query rounds: $query_rounds"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before queries: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-34s | %12s | %14s | %s |\n' "load (median of $rounds)" "seconds" "peak RSS, MiB" "seconds per round"
printf '|%s|%s|%s|%s|\n' "------------------------------------" "--------------" "----------------" "------"
for label in dvchub_import duckdb_load sqlite3_import dvchub_reimport_1pct; do
  printf '| %-34s | %12s | %14s | %s |\n' "$label" "$(column "$label" 2)" "$(( $(column "$label" 3) / 1024 ))" \
    "$(awk -v label="$label" '$1 == label { printf "%s ", $2 }' timings.txt)"
done
echo
echo "import ratio dvchub / DuckDB: $(awk -v a="$(column dvchub_import 2)" -v b="$(column duckdb_load 2)" 'BEGIN { printf "%.2f", a / b }')"
echo
node -e '
const result = JSON.parse(process.argv[1]);
const s = result.summary;
const row = (name, ours, theirs) => console.log(`| ${name.padEnd(30)} | ${ours.p50.toFixed(2).padStart(9)} | ${ours.p99.toFixed(2).padStart(9)} | ${theirs.p50.toFixed(2).padStart(9)} | ${theirs.p99.toFixed(2).padStart(9)} | ${(theirs.p50 / ours.p50).toFixed(1).padStart(8)} |`);
console.log("| query (ms)                     | dvchub p50 | dvchub p99 | DuckDB p50 | DuckDB p99 | DuckDB/dvchub p50 |");
console.log("|--------------------------------|-----------|-----------|-----------|-----------|----------|");
row("one commune, one year (KPI)", s.dvchub_kpi, s.duckdb_kpi);
row("ranking of communes", s.dvchub_ranking, s.duckdb_ranking);
row("ranking, first ten only", s.dvchub_ranking_top, s.duckdb_ranking_top);
console.log(`\ndossiers of the commune in the year: ${result.received}; answers agree: ${result.mismatches.length === 0 ? "yes" : "NO: " + result.mismatches.join("; ")}`);
' "$queries"
