#!/usr/bin/env bash
# Installs everything on a fresh Debian 12 machine, skipping work already done:
# Debian packages, npm dependencies, the mediasoup worker (built offline, cached) and an OpenSSL libsrtp2
# for it (built from Debian's source package, cached), the Next.js build.
# Usage: scripts/setup.sh [--tests]   (--tests adds what the test suite needs: Chromium, Firefox ESR, iptables, ping, curl)
set -euo pipefail
cd "$(dirname "$0")/.."
# NEXT_IGNORE_INCORRECT_LOCKFILE: the registry lacks some optional swc builds; Next would try to "patch" the lockfile.
export NEXT_TELEMETRY_DISABLED=1 NEXT_IGNORE_INCORRECT_LOCKFILE=1 DEBIAN_FRONTEND=noninteractive

WITH_TESTS=0
[[ "${1:-}" == "--tests" ]] && WITH_TESTS=1

APP_PACKAGES=(coturn redis-server openssl meson ninja-build pkg-config g++ libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev libabsl-dev nlohmann-json3-dev)
TEST_PACKAGES=(chromium firefox-esr iproute2 iptables iputils-ping curl)

step() { printf '\n==> %s\n' "$*"; }

install_debian_packages() {
  local wanted=("${APP_PACKAGES[@]}") missing=()
  ((WITH_TESTS)) && wanted+=("${TEST_PACKAGES[@]}")
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then echo "Debian packages: all present"; return; fi
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "Debian packages: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_npm_dependencies() {
  local stamp=node_modules/.setup-lock-hash hash
  hash=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$hash" ]]; then echo "npm dependencies: up to date"; return; fi
  # MEDIASOUP_WORKER_BIN makes mediasoup's postinstall skip its download; we build the worker below.
  # `npm install --no-save` installs the locked versions like `npm ci`, but tolerates optional
  # platform packages (macOS/Windows builds of swc, rollup) that the reachable registry lacks,
  # which `npm ci` refuses as a lockfile mismatch.
  MEDIASOUP_WORKER_BIN="$(worker_path)" npm install --no-save --no-audit --no-fund --loglevel=error
  echo "$hash" >"$stamp"
}

worker_path() {
  local version
  version=$(node -p "require('./node_modules/mediasoup/package.json').version" 2>/dev/null || echo 3.12.16)
  echo "${MEDIASOUP_WORKER_CACHE:-$HOME/.cache/mesh-vs-sfu}/mediasoup-worker-$version"
}

build_front_end() {
  local stamp=.next/.setup-source-hash hash
  hash=$(git ls-files -s app signaling next.config.js package-lock.json tsconfig.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  # Uncommitted edits count too, so a developer's local change is never served stale.
  hash=$(printf '%s %s' "$hash" "$(git diff HEAD -- app signaling next.config.js 2>/dev/null | sha256sum)" | sha256sum | cut -d' ' -f1)
  if [[ -f .next/BUILD_ID && -f $stamp && $(cat "$stamp") == "$hash" ]]; then echo "front end: build up to date"; return; fi
  npx next build
  echo "$hash" >"$stamp"
}

SECONDS=0
step "Debian packages";      install_debian_packages
step "npm dependencies";     install_npm_dependencies
step "mediasoup worker";     scripts/build/build-mediasoup-worker.sh
# libsrtp2 on OpenSSL for the worker (seconds): Debian's libsrtp2 uses NSS, which costs the SFU
# several times the CPU per SRTP packet. Not fatal: without it the worker runs on Debian's and says so.
step "libsrtp2 on OpenSSL";  scripts/build/build-libsrtp2-openssl.sh ||
  echo "WARNING: libsrtp2 on OpenSSL not built; the SFU worker will use Debian's libsrtp2 (NSS, slower SRTP)." >&2
step "front-end build";      build_front_end
echo "setup finished in ${SECONDS}s"
