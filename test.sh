#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer + UndefinedBehaviorSanitizer, starts a throwaway
# PostgreSQL 15 cluster, and runs every test (unit, storage on both backends, HTTP integration, headless-Chromium
# browser test) through CTest. The exit code is the verdict.
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)

scripts/install-dependencies.sh test
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDVCHUB_SANITIZE=ON >/dev/null
cmake --build build/test

# Browser tests drive Debian's Chromium through playwright-core (no browser download).
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

eval "$(scripts/start-test-postgresql.sh)"
trap 'scripts/stop-test-postgresql.sh' EXIT
export DVCHUB_REQUIRE_POSTGRESQL=1
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

ctest --test-dir build/test --output-on-failure --timeout 900 -j2
echo "test.sh: hoàn tất trong $(( $(date +%s) - started )) giây"
