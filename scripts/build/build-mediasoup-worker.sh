#!/usr/bin/env bash
# Builds the mediasoup worker binary offline and caches it outside the clone.
#
# Why: mediasoup's postinstall downloads a prebuilt worker (or meson from PyPI
# and the C/C++ dependencies from GitHub), none of which is reachable here.
# Instead we build the worker sources shipped in node_modules/mediasoup/worker
# against Debian 12's own libraries (libssl3, libuv1, libsrtp2, libusrsctp2,
# libabsl, nlohmann-json). Each meson wrap the worker wants is replaced by a
# tiny stand-in subproject from scripts/build/mediasoup-worker/subprojects/ that
# wraps the system library.
#
# Output: ${MEDIASOUP_WORKER_CACHE:-$HOME/.cache/mesh-vs-sfu}/mediasoup-worker-<version>
# Point MEDIASOUP_WORKER_BIN at it. Re-running is a no-op while the cached
# binary still runs. node_modules is never modified: the build happens in a
# copy under the cache dir.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
STUBS_DIR="$SCRIPT_DIR/mediasoup-worker/subprojects"
MEDIASOUP_DIR="$REPO_ROOT/node_modules/mediasoup"
CACHE_DIR="${MEDIASOUP_WORKER_CACHE:-$HOME/.cache/mesh-vs-sfu}"
APT_PACKAGES=(meson ninja-build pkg-config g++ libssl-dev libuv1-dev libsrtp2-dev
  libusrsctp-dev libabsl-dev nlohmann-json3-dev)

log() { echo "[mediasoup-worker] $*"; }
die() { echo "[mediasoup-worker] ERROR: $*" >&2; exit 1; }

read_version() {
  [[ -f "$MEDIASOUP_DIR/package.json" ]] ||
    die "$MEDIASOUP_DIR/package.json not found; run 'npm install' first"
  [[ -d "$MEDIASOUP_DIR/worker" ]] || die "$MEDIASOUP_DIR/worker (worker sources) not found"
  VERSION="$(node -p "require('$MEDIASOUP_DIR/package.json').version")"
  [[ -n "$VERSION" ]] || die "could not read the mediasoup version"
  OUT_BIN="$CACHE_DIR/mediasoup-worker-$VERSION"
  BUILD_DIR="$CACHE_DIR/build-$VERSION"
}

# True when the binary loads and runs. Without MEDIASOUP_VERSION in its
# environment the worker exits with its own code 41 ("you don't seem to be my
# real father"); a missing shared library gives 127 instead.
worker_runs() {
  local bin="$1" rc=0 libs
  [[ -x "$bin" ]] || return 1
  libs="$(ldd "$bin" 2>&1 || true)"
  [[ "$libs" != *"not found"* ]] || return 1
  env -u MEDIASOUP_VERSION timeout 10 "$bin" </dev/null >/dev/null 2>&1 || rc=$?
  [[ "$rc" -eq 41 ]]
}

install_build_deps() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ "$(id -u)" -eq 0 ]] ||
    die "missing Debian packages (run as root to install): ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Copy the worker sources and swap every wrap for a stand-in that uses the
# system library. Meson uses an existing subproject directory as is, so each
# stand-in goes where the wrap's `directory =` key points. Meson warns that the
# empty static libraries (needed only for the worker's link_whole lists) have
# no sources; that is expected and harmless.
prepare_sources() {
  rm -rf "$BUILD_DIR"
  mkdir -p "$BUILD_DIR"
  cp -a "$MEDIASOUP_DIR/worker" "$BUILD_DIR/worker"
  local src="$BUILD_DIR/worker" wrap name dir

  # Debian 12 ships meson 1.0.1; the worker asks for >= 1.1.0 but builds fine with it.
  sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" "$src/meson.build"

  for wrap in "$src"/subprojects/*.wrap; do
    name="$(basename "$wrap" .wrap)"
    if [[ ! -d "$STUBS_DIR/$name" ]]; then
      [[ "$name" == wingetopt ]] && continue   # only used on Windows
      die "no stand-in for subproject '$name' in $STUBS_DIR (new mediasoup version?)"
    fi
    dir="$(sed -n 's/^directory *= *//p' "$wrap" | tr -d '[:space:]')"
    [[ -n "$dir" ]] || die "no 'directory =' key in $wrap"
    rm -rf "$src/subprojects/$dir"
    cp -r "$STUBS_DIR/$name" "$src/subprojects/$dir"
  done
}

compile_worker() {
  local src="$BUILD_DIR/worker" out="$BUILD_DIR/out"
  log "configuring (meson $(meson --version))"
  meson setup "$out" "$src" \
    --wrap-mode=nodownload \
    --buildtype=release \
    -Db_ndebug=true \
    -Db_pie=true \
    -Db_staticpic=true
  log "compiling with ninja (several minutes)"
  ninja -C "$out" mediasoup-worker
  [[ -x "$out/mediasoup-worker" ]] || die "ninja finished but $out/mediasoup-worker is missing"
}

install_binary() {
  local built="$BUILD_DIR/out/mediasoup-worker" tmp="$OUT_BIN.tmp.$$"
  worker_runs "$built" || die "the freshly built worker does not run: $built"
  cp "$built" "$tmp"
  chmod 755 "$tmp"
  mv -f "$tmp" "$OUT_BIN"
  rm -rf "$BUILD_DIR"
}

main() {
  read_version
  if worker_runs "$OUT_BIN"; then
    echo "mediasoup worker $VERSION: cached at $OUT_BIN"
    exit 0
  fi
  [[ -e "$OUT_BIN" ]] && log "cached $OUT_BIN does not run; rebuilding"

  local start=$SECONDS
  install_build_deps
  mkdir -p "$CACHE_DIR"
  log "building mediasoup worker $VERSION in $BUILD_DIR"
  prepare_sources
  compile_worker
  install_binary
  echo "mediasoup worker $VERSION: built in $((SECONDS - start)) s, at $OUT_BIN"
}

main "$@"
