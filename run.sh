#!/usr/bin/env bash
# Installs what is missing, builds a Release binary and serves the demo on SQLite at http://127.0.0.1:8080.
# The store is var/dvchub.db (created with demo data on the first start). Extra arguments go to `dvchub serve`.
# Settings: DVCHUB_LISTEN (127.0.0.1:8080), DVCHUB_DATABASE_URL, DVCHUB_CONFIG — see README.md.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-dependencies.sh build
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDVCHUB_TESTS=OFF >/dev/null
cmake --build build/release --target dvchub
echo "Đang khởi động dvchub tại http://${DVCHUB_LISTEN:-127.0.0.1:8080} (Ctrl+C để dừng)…"
exec build/release/dvchub serve --seed-demo "$@"
