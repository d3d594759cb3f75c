#!/usr/bin/env bash
# Installs what building and running need; --test adds what the tests need. Idempotent: it
# installs only what is missing. Debian/Ubuntu use apt; macOS gets the Homebrew line to run.
set -euo pipefail

with_tests=false with_bench=false
[ "${1:-}" = "--test" ] && with_tests=true
# --bench: what scripts/bench-server runs (wrk, and the FastAPI peer from Debian's packages).
[ "${1:-}" = "--bench" ] && with_bench=true

case "$(uname -s)" in
  Linux)
    command -v apt-get >/dev/null ||
      { echo "install-deps: only Debian/Ubuntu (apt) are scripted; see README for the packages" >&2; exit 1; }
    pg=postgresql-15
    apt-cache show "$pg" >/dev/null 2>&1 || pg=postgresql
    want=(cmake g++ make pkg-config ca-certificates curl libpqxx-dev libpistache-dev
          nlohmann-json3-dev libboost-program-options-dev libcurl4-openssl-dev libsimdjson-dev
          libsqlite3-dev libzstd-dev libssl-dev "$pg")
    # The deployment's scripts and units are checked by shellcheck and systemd-analyze.
    $with_tests && want+=(googletest libgtest-dev python3 chromium shellcheck systemd binutils)
    $with_bench && want+=(wrk python3-fastapi python3-uvicorn python3-asyncpg)
    missing=()
    for p in "${want[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && exit 0
    echo "install-deps: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    ;;
  Darwin)
    # Pistache is Linux-only: on a Mac the library and costs-sync build; the server runs on Linux.
    want=(cmake pkg-config libpqxx nlohmann-json boost curl simdjson sqlite zstd openssl@3 postgresql@15)
    $with_tests && want+=(googletest)
    command -v brew >/dev/null || { echo "install-deps: install Homebrew first (https://brew.sh)" >&2; exit 1; }
    missing=()
    for p in "${want[@]}"; do brew list --versions "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "install-deps: run: brew install ${missing[*]}" >&2
      exit 1
    fi
    ;;
  *)
    echo "install-deps: unsupported system $(uname -s)" >&2; exit 1 ;;
esac
