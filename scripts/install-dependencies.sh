#!/usr/bin/env bash
# Installs every Debian 12 package dvchub needs to build, test and benchmark.
# Usage: scripts/install-dependencies.sh [build|test|bench]   (default: build)
# Idempotent: installs only what is missing, so a second run costs about a second.
set -euo pipefail
profile="${1:-build}"

build_packages=(
  build-essential cmake ninja-build ccache mold pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libexpected-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libkainjow-mustache-dev libicu-dev libcsv-dev libxapian-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
  libqrencode-dev libgmime-3.0-dev
  libxlsxwriter-dev libminizip-dev libpango1.0-dev libcairo2-dev fonts-dejavu-core
  libcurl4-openssl-dev
)
test_packages=(libgtest-dev libgmock-dev postgresql-15 chromium unzip poppler-utils python3-aiosmtpd)
bench_packages=(wrk nginx libbenchmark-dev)

wanted=("${build_packages[@]}")
case "$profile" in
  build) ;;
  test) wanted+=("${test_packages[@]}") ;;
  bench) wanted+=("${test_packages[@]}" "${bench_packages[@]}") ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$package")
  fi
done
# Node.js and npm may come from Debian or from the image's own build: only ask apt when neither is there.
if [ "$profile" != build ] && ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Đang cài các gói còn thiếu: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
